#include "connectors/odoo/chatter.hpp"

#include <stdexcept>

#include "connectors/odoo/chatter_table.hpp"
#include "sync/changes.hpp"
#include "util/html.hpp"

namespace visor::odoo {
namespace json = boost::json;

namespace {

std::string text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

std::string who(const std::string& author) { return author.empty() ? "a Visor user" : escape_html(author); }

std::string value_text(const std::string& value, const std::string& unit) {
  return escape_html(value) + (unit.empty() || value.find(unit) != std::string::npos ? "" : " " + escape_html(unit));
}

constexpr const char* kPriorities[] = {"very low", "low", "normal", "high"};

// A planner's decision on a reported fault: approved (and how it is
// planned), rejected (and why), or merged into another request.
std::string triage_html(const json::object& p, const std::string& author) {
  const std::string decision = text(p, "decision");
  if (decision == "rejected")
    return "<p><b>Rejected in Visor</b> by " + who(author) + ": " + escape_html(text(p, "reason")) + "</p>";
  if (decision == "merged")
    return "<p><b>Merged in Visor</b> by " + who(author) + " into the request “" + escape_html(text(p, "into_title")) +
           "” (Visor task " + std::to_string(number(p, "into_task_id")) + "): the same fault.</p>";
  if (decision != "approved") throw std::invalid_argument("a triage note without a known decision");
  std::string html = "<p><b>Approved in Visor</b> by " + who(author) + ": ";
  html += text(p, "assignee").empty() ? std::string("not assigned yet") : "assigned to " + escape_html(text(p, "assignee"));
  if (p.contains("schedule_start")) html += "; scheduled " + escape_html(text(p, "schedule_start"));
  const std::int64_t priority = number(p, "priority");
  if (p.contains("priority") && priority >= 0 && priority <= 3) html += "; priority " + std::string(kPriorities[priority]);
  if (!text(p, "stage").empty()) html += "; stage " + escape_html(text(p, "stage"));
  return html + ".</p>";
}

}  // namespace

std::string chatter_html(const json::object& p, const std::string& author) {
  // Written before notes were recorded in Visor's terms: the HTML as it was.
  if (const json::value* body = p.if_contains("body"); body && body->is_string()) return std::string(body->get_string());
  const auto kind = sync::parse_note_kind(text(p, "kind"));
  if (!kind) throw std::invalid_argument("a note without a known kind");
  switch (*kind) {
    case sync::NoteKind::note: return "<p>" + who(author) + ": " + escape_html(text(p, "text")) + "</p>";
    case sync::NoteKind::step: {
      std::string html = "<p>" + who(author) + ", step " + std::to_string(number(p, "step")) + " (" +
                         escape_html(text(p, "step_text")) + ")";
      if (p.contains("value")) {
        const std::string kind = text(p, "kind");
        html += kind == "check" ? " — " + check_words(text(p, "value"))
                                : " — value: " + value_text(text(p, "value"), text(p, "unit"));
      }
      if (p.contains("flag")) html += " — <b>" + flag_words(text(p, "flag")) + "</b>";
      if (p.contains("note")) html += " — note: " + escape_html(text(p, "note"));
      return html + "</p>";
    }
    case sync::NoteKind::completion: return completion_html(p, who(author));
    case sync::NoteKind::triage: return triage_html(p, author);
    case sync::NoteKind::photo: {
      std::string html = "<p>Photo added in Visor by " + who(author);
      if (p.contains("step")) html += " at step " + std::to_string(number(p, "step"));
      return html + ".</p>";
    }
    case sync::NoteKind::approval: {
      std::string html = "<p><b>Approved in Visor</b> by " + who(author);
      if (!text(p, "comment").empty()) html += ": " + escape_html(text(p, "comment"));
      return html + "</p>";
    }
  }
  return {};
}

}  // namespace visor::odoo
