#include "services/exports.hpp"

#include <cmath>
#include <cstdio>

#include "api/json_writer.hpp"
#include "services/csv.hpp"
#include "services/export_words.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace {

using namespace std::chrono;

void require_planner(const Caller& caller) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only managers and admins can read reports.");
}

// The language asked for, else the caller's own.
const ExportWords& words_for(Deps& deps, const Caller& caller, const std::string& lang) {
  if (!lang.empty()) return export_words(lang);
  const std::optional<User> me = deps.store.read_value([&](storage::Tx& tx) { return tx.users().get(caller.actor.user); });
  return export_words(me ? me->locale : "en");
}

CsvWriter writer(const ExportWords& w) { return CsvWriter(true, w.separator, w.decimal_point); }

void headings(CsvWriter& csv, const ExportWords& w, std::initializer_list<std::string_view> keys,
              std::initializer_list<std::string_view> times, const PlantZone& zone) {
  for (const std::string_view key : keys) {
    std::string heading(w.heading(key));
    for (const std::string_view t : times)
      if (t == key) heading += " (" + zone.name() + ")";
    csv.text(heading);
  }
  csv.end_row();
}

api::JsonWriter& time_or_null(api::JsonWriter& j, const std::optional<TimePoint>& t, const PlantZone& zone) {
  return t ? j.string(zone.iso(*t)) : j.null();
}

void open_document(api::JsonWriter& j, const PlantZone& zone, TimePoint from, TimePoint to) {
  j.begin_object().key("timezone").string(zone.name());
  j.key("from").string(zone.iso(from)).key("to").string(zone.iso(to));
}

std::string decimal_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

const std::initializer_list<std::string_view> kTaskKeys{
    "id", "odoo_id", "title", "type", "priority", "stage", "stage_done", "execution", "equipment_code", "equipment",
    "team", "assignee_login", "assignee", "reported_at", "schedule_start", "schedule_end", "completed_at", "overdue",
    "steps_done", "steps_total", "recurring"};
const std::initializer_list<std::string_view> kTaskTimes{"reported_at", "schedule_start", "schedule_end",
                                                             "completed_at"};
const std::initializer_list<std::string_view> kLogKeys{"entry",     "at",   "task_id", "task",  "equipment_code",
                                                           "kind",      "user_login", "user", "step", "step_text",
                                                           "value",     "unit", "note",    "media_id"};
const std::initializer_list<std::string_view> kKpiKeys{
    "bucket_start", "bucket_end", "reported_corrective", "reported_preventive", "completed_corrective",
    "completed_preventive", "open_at_end", "overdue_at_end", "pm_due", "pm_on_time", "pm_compliance_pct", "repairs",
    "mttr_hours", "mtbf_hours"};

// The rows of a KPI export: each bucket, then the period's total.
struct KpiRow {
  bool total = false;
  TimePoint start{}, end{};
  std::int64_t reported_corrective = 0, reported_preventive = 0, completed_corrective = 0, completed_preventive = 0;
  std::int64_t open_at_end = 0, overdue_at_end = 0, pm_due = 0, pm_on_time = 0, repairs = 0;
  std::optional<double> pm_compliance_pct, mttr_hours, mtbf_hours;
};

std::vector<KpiRow> kpi_rows(Deps& deps, const Caller& caller, const KpiRequest& request) {
  KpiRequest all = request;
  all.parts = KpiParts::period;
  const Kpis k = kpis(deps, caller, all);
  const auto scaled = [](std::optional<double> v, double f) { return v ? std::optional<double>(*v * f) : std::nullopt; };
  std::vector<KpiRow> rows;
  for (const KpiBucket& b : k.buckets) {
    KpiRow r{false, b.start, b.end, b.reported_corrective, b.reported_preventive, b.completed_corrective,
             b.completed_preventive, b.open_at_end, b.overdue_at_end, b.pm_due, b.pm_on_time, b.repairs};
    if (b.pm_due > 0) r.pm_compliance_pct = 100.0 * double(b.pm_on_time) / double(b.pm_due);
    r.mttr_hours = scaled(mttr_seconds(b.repairs, b.repair_seconds), 1.0 / 3600.0);
    r.mtbf_hours = scaled(mtbf_seconds(duration_cast<seconds>(b.end - b.start), k.totals.machines, b.reported_corrective),
                          1.0 / 3600.0);
    rows.push_back(r);
  }
  const KpiTotals& t = k.totals;
  KpiRow total{true, k.from, k.to, t.reported_corrective, t.reported_preventive, t.completed_corrective,
               t.completed_preventive, k.buckets.empty() ? 0 : k.buckets.back().open_at_end,
               k.buckets.empty() ? 0 : k.buckets.back().overdue_at_end, t.pm_due, t.pm_on_time, t.repairs};
  total.pm_compliance_pct = scaled(t.pm_compliance, 100.0);
  total.mttr_hours = scaled(t.mttr_seconds, 1.0 / 3600.0);
  total.mtbf_hours = scaled(t.mtbf_seconds, 1.0 / 3600.0);
  rows.push_back(total);
  return rows;
}

}  // namespace

std::string tasks_csv(Deps& deps, const Caller& caller, const storage::ExportQuery& q, const ExportFormat& f) {
  require_planner(caller);
  check_period(q.from, q.to);
  const ExportWords& w = words_for(deps, caller, f.lang);
  const TimePoint now = deps.clock.now();
  CsvWriter csv = writer(w);
  headings(csv, w, kTaskKeys, kTaskTimes, f.zone);
  deps.store.read([&](storage::Tx& tx) {
    tx.reports().export_tasks(q, [&](const storage::TaskExportRow& r) {
      const Task& t = r.task;
      csv.number(t.id.value);
      if (t.odoo_id) csv.number(t.odoo_id->value);
      else csv.empty();
      csv.text(t.title).text(w.type(t.type)).text(w.priority(t.priority)).text(r.stage_name).text(w.yes_no(r.stage_done));
      csv.text(w.execution(t.execution)).text(r.equipment_code).text(r.equipment_name).text(r.team_name);
      csv.text(r.assignee_login).text(r.assignee_name).time(r.reported_at, f.zone).time(t.schedule_start, f.zone);
      csv.time(t.schedule_end, f.zone).time(r.completed_at, f.zone).text(w.yes_no(is_overdue(t, r.stage_done, now)));
      csv.number(r.steps_done).number(r.steps_total).text(w.yes_no(t.recurrence.enabled)).end_row();
    });
  });
  return csv.take();
}

std::string worklog_csv(Deps& deps, const Caller& caller, const storage::ExportQuery& q, const ExportFormat& f) {
  require_planner(caller);
  check_period(q.from, q.to);
  const ExportWords& w = words_for(deps, caller, f.lang);
  CsvWriter csv = writer(w);
  headings(csv, w, kLogKeys, {"at"}, f.zone);
  deps.store.read([&](storage::Tx& tx) {
    tx.reports().export_work_log(q, [&](const storage::WorkLogExportRow& r) {
      const WorkLogEntry& e = r.entry;
      csv.number(e.id).time(e.at, f.zone).number(e.task_id.value).text(r.task_title).text(r.equipment_code);
      csv.text(w.kind(e.kind)).text(r.user_login).text(r.user_name);
      if (e.step) csv.number(*e.step);
      else csv.empty();
      csv.text(r.step_text).text(e.value).text(e.value.empty() ? std::string_view() : std::string_view(r.step_unit));
      csv.text(e.text);
      if (e.media) csv.number(e.media->value);
      else csv.empty();
      csv.end_row();
    });
  });
  return csv.take();
}

std::string kpis_csv(Deps& deps, const Caller& caller, const KpiRequest& request, const ExportFormat& f) {
  const ExportWords& w = words_for(deps, caller, f.lang);
  const std::vector<KpiRow> rows = kpi_rows(deps, caller, request);
  CsvWriter csv = writer(w);
  headings(csv, w, kKpiKeys, {"bucket_start", "bucket_end"}, f.zone);
  const auto ratio = [&](std::optional<double> v) {
    if (v) csv.decimal(*v, 2);
    else csv.empty();
  };
  for (const KpiRow& r : rows) {
    if (r.total) csv.text(w.total()).time(r.end, f.zone);
    else csv.time(r.start, f.zone).time(r.end, f.zone);
    csv.number(r.reported_corrective).number(r.reported_preventive).number(r.completed_corrective);
    csv.number(r.completed_preventive).number(r.open_at_end).number(r.overdue_at_end).number(r.pm_due);
    csv.number(r.pm_on_time);
    ratio(r.pm_compliance_pct);
    csv.number(r.repairs);
    ratio(r.mttr_hours);
    ratio(r.mtbf_hours);
    csv.end_row();
  }
  return csv.take();
}

std::string tasks_json(Deps& deps, const Caller& caller, const storage::ExportQuery& q, const PlantZone& zone) {
  require_planner(caller);
  check_period(q.from, q.to);
  const TimePoint now = deps.clock.now();
  std::string out;
  api::JsonWriter j(out);
  open_document(j, zone, q.from, q.to);
  j.key("items").begin_array();
  deps.store.read([&](storage::Tx& tx) {
    tx.reports().export_tasks(q, [&](const storage::TaskExportRow& r) {
      const Task& t = r.task;
      j.begin_object().key("id").number(t.id.value);
      j.key("odoo_id").optional_number(t.odoo_id ? std::optional(t.odoo_id->value) : std::nullopt);
      j.key("title").string(t.title).key("type").string(to_string(t.type)).key("priority").number(t.priority);
      j.key("stage").string(r.stage_name).key("stage_done").boolean(r.stage_done);
      j.key("execution").string(to_string(t.execution)).key("equipment_code").string(r.equipment_code);
      j.key("equipment").string(r.equipment_name).key("team").string(r.team_name);
      j.key("assignee_login").string(r.assignee_login).key("assignee").string(r.assignee_name);
      time_or_null(j.key("reported_at"), r.reported_at, zone);
      time_or_null(j.key("schedule_start"), t.schedule_start, zone);
      time_or_null(j.key("schedule_end"), t.schedule_end, zone);
      time_or_null(j.key("completed_at"), r.completed_at, zone);
      j.key("overdue").boolean(is_overdue(t, r.stage_done, now));
      j.key("steps_done").number(r.steps_done).key("steps_total").number(r.steps_total);
      j.key("recurring").boolean(t.recurrence.enabled).end_object();
    });
  });
  j.end_array().end_object();
  return out;
}

std::string worklog_json(Deps& deps, const Caller& caller, const storage::ExportQuery& q, const PlantZone& zone) {
  require_planner(caller);
  check_period(q.from, q.to);
  std::string out;
  api::JsonWriter j(out);
  open_document(j, zone, q.from, q.to);
  j.key("items").begin_array();
  deps.store.read([&](storage::Tx& tx) {
    tx.reports().export_work_log(q, [&](const storage::WorkLogExportRow& r) {
      const WorkLogEntry& e = r.entry;
      j.begin_object().key("id").number(e.id).key("at").string(zone.iso(e.at));
      j.key("task_id").number(e.task_id.value).key("task").string(r.task_title);
      j.key("equipment_code").string(r.equipment_code).key("kind").string(to_string(e.kind));
      j.key("user_login").string(r.user_login).key("user").string(r.user_name);
      j.key("step").optional_number(e.step).key("step_text").string(r.step_text);
      j.key("value").string(e.value).key("unit").string(e.value.empty() ? std::string() : r.step_unit);
      j.key("note").string(e.text);
      j.key("media_id").optional_number(e.media ? std::optional(e.media->value) : std::nullopt).end_object();
    });
  });
  j.end_array().end_object();
  return out;
}

std::string kpis_json(Deps& deps, const Caller& caller, const KpiRequest& request, const PlantZone& zone) {
  const std::vector<KpiRow> rows = kpi_rows(deps, caller, request);
  std::string out;
  api::JsonWriter j(out);
  open_document(j, zone, request.from, request.to);
  const auto ratio = [&](std::string_view key, std::optional<double> v) {
    j.key(key);
    if (v && std::isfinite(*v)) j.raw(decimal_text(*v));
    else j.null();
  };
  const auto row = [&](const KpiRow& r) {
    j.begin_object();
    if (!r.total) j.key("start").string(zone.iso(r.start)).key("end").string(zone.iso(r.end));
    j.key("reported_corrective").number(r.reported_corrective).key("reported_preventive").number(r.reported_preventive);
    j.key("completed_corrective").number(r.completed_corrective);
    j.key("completed_preventive").number(r.completed_preventive);
    j.key("open_at_end").number(r.open_at_end).key("overdue_at_end").number(r.overdue_at_end);
    j.key("pm_due").number(r.pm_due).key("pm_on_time").number(r.pm_on_time);
    ratio("pm_compliance_pct", r.pm_compliance_pct);
    j.key("repairs").number(r.repairs);
    ratio("mttr_hours", r.mttr_hours);
    ratio("mtbf_hours", r.mtbf_hours);
    j.end_object();
  };
  j.key("buckets").begin_array();
  for (const KpiRow& r : rows)
    if (!r.total) row(r);
  j.end_array().key("total");
  row(rows.back());
  j.end_object();
  return out;
}

}  // namespace visor::services
