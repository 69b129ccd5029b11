#include "services/export_words.hpp"

#include <array>
#include <utility>

namespace visor::services {
namespace {

using Pair = std::pair<std::string_view, std::string_view>;

// Headings: key, English, French.
struct Heading {
  std::string_view key, en, fr;
};

constexpr std::array<Heading, 48> kHeadings{{
    {"id", "Task", "Tâche"},
    {"odoo_id", "Odoo request", "Demande Odoo"},
    {"title", "Title", "Titre"},
    {"type", "Type", "Type"},
    {"priority", "Priority", "Priorité"},
    {"stage", "Stage", "Étape"},
    {"stage_done", "Done stage", "Étape terminée"},
    {"execution", "On the floor", "Sur le terrain"},
    {"equipment_code", "Machine code", "Code machine"},
    {"equipment", "Machine", "Machine"},
    {"team", "Team", "Équipe"},
    {"assignee_login", "Assignee login", "Identifiant assigné"},
    {"assignee", "Assigned to", "Assignée à"},
    {"reported_at", "Reported", "Signalée"},
    {"schedule_start", "Scheduled start", "Début prévu"},
    {"schedule_end", "Scheduled end", "Fin prévue"},
    {"completed_at", "Completed", "Terminée"},
    {"overdue", "Late", "En retard"},
    {"steps_done", "Steps done", "Étapes faites"},
    {"steps_total", "Steps", "Étapes"},
    {"recurring", "Recurring", "Récurrente"},
    {"entry", "Entry", "Entrée"},
    {"at", "When", "Quand"},
    {"task_id", "Task", "Tâche"},
    {"task", "Task title", "Titre de la tâche"},
    {"kind", "What", "Quoi"},
    {"user_login", "Login", "Identifiant"},
    {"user", "Who", "Qui"},
    {"step", "Step", "Étape"},
    {"step_text", "Step text", "Texte de l’étape"},
    {"value", "Value", "Valeur"},
    {"unit", "Unit", "Unité"},
    {"note", "Note", "Note"},
    {"media_id", "Photo", "Photo"},
    {"bucket_start", "From", "Du"},
    {"bucket_end", "To", "Au"},
    {"reported_corrective", "Corrective requests", "Demandes correctives"},
    {"reported_preventive", "Preventive requests", "Demandes préventives"},
    {"completed_corrective", "Corrective completed", "Correctives terminées"},
    {"completed_preventive", "Preventive completed", "Préventives terminées"},
    {"open_at_end", "Open at the end", "Ouvertes à la fin"},
    {"overdue_at_end", "Late at the end", "En retard à la fin"},
    {"pm_due", "Preventive due", "Préventives dues"},
    {"pm_on_time", "Preventive on time", "Préventives à l’heure"},
    {"pm_compliance_pct", "PM compliance (%)", "Respect du préventif (%)"},
    {"repairs", "Repairs", "Réparations"},
    {"mttr_hours", "MTTR (hours)", "MTTR (heures)"},
    {"mtbf_hours", "MTBF (hours)", "MTBF (heures)"},
}};

constexpr std::array<Pair, 4> kPriorityEn{{{"0", "Very low"}, {"1", "Low"}, {"2", "Normal"}, {"3", "High"}}};
constexpr std::array<Pair, 4> kPriorityFr{{{"0", "Très basse"}, {"1", "Basse"}, {"2", "Normale"}, {"3", "Haute"}}};

const ExportWords kEn{"en", ',', '.'};
const ExportWords kFr{"fr", ';', ','};

bool is_fr(const ExportWords& w) { return w.lang == "fr"; }

}  // namespace

std::string_view ExportWords::heading(std::string_view key) const {
  for (const Heading& h : kHeadings)
    if (h.key == key) return is_fr(*this) ? h.fr : h.en;
  return key;
}

std::string_view ExportWords::priority(Priority p) const {
  if (p < kMinPriority || p > kMaxPriority) return "?";
  return (is_fr(*this) ? kPriorityFr : kPriorityEn)[std::size_t(p)].second;
}

std::string_view ExportWords::type(MaintenanceType t) const {
  const bool fr = is_fr(*this);
  if (t == MaintenanceType::corrective) return "Corrective";  // the same word in both
  return fr ? "Préventive" : "Preventive";
}

std::string_view ExportWords::execution(Execution e) const {
  const bool fr = is_fr(*this);
  switch (e) {
    case Execution::not_started: return fr ? "Pas commencée" : "Not started";
    case Execution::in_progress: return fr ? "Au travail" : "Working";
    case Execution::paused: return fr ? "En pause" : "Paused";
    case Execution::completed: return fr ? "Finie" : "Finished";
  }
  return "?";
}

std::string_view ExportWords::kind(WorkLogKind k) const {
  const bool fr = is_fr(*this);
  switch (k) {
    case WorkLogKind::started: return fr ? "Démarrée" : "Started";
    case WorkLogKind::paused: return fr ? "Mise en pause" : "Paused";
    case WorkLogKind::resumed: return fr ? "Reprise" : "Resumed";
    case WorkLogKind::step_done: return fr ? "Étape faite" : "Step done";
    case WorkLogKind::note: return "Note";  // the same word in both
    case WorkLogKind::measurement: return fr ? "Mesure" : "Measurement";
    case WorkLogKind::photo: return "Photo";
    case WorkLogKind::completed: return fr ? "Terminée" : "Completed";
  }
  return "?";
}

std::string_view ExportWords::yes_no(bool v) const {
  if (is_fr(*this)) return v ? "Oui" : "Non";
  return v ? "Yes" : "No";
}

std::string_view ExportWords::total() const { return "Total"; }  // the same word in both

const ExportWords& export_words(std::string_view lang) { return lang == "fr" ? kFr : kEn; }

}  // namespace visor::services
