// /api/v1/reports: the dashboard's KPIs (JSON) and the CSV exports of tasks,
// work logs and KPIs for a period. Periods are explicit instants (ISO 8601,
// offsets allowed): the console sends the plant's midnights.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_write.hpp"
#include "http/handlers/routes.hpp"
#include "services/exports.hpp"
#include "services/reports.hpp"
#include "util/error.hpp"
#include "util/zone.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

TimePoint instant(std::string_view text, std::string_view name) {
  const auto t = parse_iso8601(text);
  if (!t) invalid(std::string(name) + " must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00+01:00.");
  return *t;
}

std::vector<TimePoint> instants(std::string_view list, std::string_view name) {
  std::vector<TimePoint> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    out.push_back(instant(list.substr(0, comma), name));
    if (out.size() > services::kMaxBuckets) invalid(std::string(name) + ": too many values.");
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return out;
}

// Query parameters shared by every report: from, to (required), team,
// equipment; the KPI report adds bounds, day_start, week_from, week_to; a
// CSV export takes lang (en or fr: its words and spreadsheet conventions).
services::KpiRequest parse_request(const Call& call, bool kpi, std::string* lang = nullptr) {
  services::KpiRequest r;
  const api::Query& in = call.query;
  if (lang) *lang = in.choice("lang", {"en", "fr"}).value_or("");
  const auto at = [&](std::string_view name) -> std::optional<TimePoint> {
    const auto text = in.text(name, 64);
    if (!text) return std::nullopt;
    return instant(*text, name);
  };
  const auto from = at("from"), to = at("to");
  const bool has_from = from.has_value(), has_to = to.has_value();
  if (from) r.from = *from;
  if (to) r.to = *to;
  if (const auto v = in.id("team")) r.filter.team = TeamId{*v};
  if (const auto v = in.id("equipment")) r.filter.equipment = EquipmentId{*v};
  if (kpi) {
    if (const auto v = in.text("bounds", 64 * (services::kMaxBuckets + 1))) r.bounds = instants(*v, "bounds");
    r.day_start = at("day_start");
    r.week_from = at("week_from");
    r.week_to = at("week_to");
    if (const auto v = in.choice("parts", {"all", "now", "period"}))
      r.parts = *v == "all" ? services::KpiParts::all : *v == "now" ? services::KpiParts::now : services::KpiParts::period;
  }
  if (!has_from || !has_to) invalid("from and to are required (ISO 8601 date-times).");
  return r;
}

json::value ratio(std::optional<double> v) { return v ? json::value(*v) : json::value(nullptr); }
json::value hours(std::optional<double> seconds) {
  return seconds ? json::value(*seconds / 3600.0) : json::value(nullptr);
}

json::object to_json(const storage::Snapshot& s) {
  return {{"open", s.open},           {"overdue", s.overdue},         {"in_progress", s.in_progress},
          {"paused", s.paused},       {"unassigned", s.unassigned},   {"unscheduled", s.unscheduled},
          {"done_today", s.done_today}};
}

json::object to_json(const storage::TeamBacklog& t) {
  return {{"team_id", api::id_or_null(t.team)}, {"name", t.name},
          {"open", t.open},                     {"overdue", t.overdue},
          {"in_progress", t.in_progress},       {"paused", t.paused},
          {"unassigned", t.unassigned},         {"unscheduled", t.unscheduled},
          {"planned_hours", double(t.planned_seconds) / 3600.0}};
}

json::object to_json(const storage::TechnicianLoad& l) {
  return {{"user_id", l.user.value},     {"name", l.name},         {"scheduled", l.scheduled},
          {"planned_hours", double(l.planned_seconds) / 3600.0}, {"in_progress", l.in_progress},
          {"paused", l.paused},          {"open", l.open},         {"overdue", l.overdue}};
}

json::object to_json(const services::KpiBucket& b) {
  return {{"start", format_iso8601(b.start)},
          {"end", format_iso8601(b.end)},
          {"reported", {{"corrective", b.reported_corrective}, {"preventive", b.reported_preventive}}},
          {"completed", {{"corrective", b.completed_corrective}, {"preventive", b.completed_preventive}}},
          {"open_at_end", b.open_at_end},
          {"overdue_at_end", b.overdue_at_end},
          {"pm_due", b.pm_due},
          {"pm_on_time", b.pm_on_time},
          {"repairs", b.repairs},
          {"mttr_hours", hours(services::mttr_seconds(b.repairs, b.repair_seconds))}};
}

json::array reliability_json(const std::vector<storage::Reliability>& rows, std::chrono::seconds period,
                             bool machines) {
  json::array out;
  for (const auto& r : rows) {
    json::object o{{"id", r.id}, {"name", r.name}, {"failures", r.failures}, {"repairs", r.repairs}};
    if (machines) o["code"] = r.code;
    else o["machines"] = r.machines;
    o["mttr_hours"] = hours(services::mttr_seconds(r.repairs, r.repair_seconds));
    o["mtbf_hours"] = hours(services::mtbf_seconds(period, r.machines, r.failures));
    out.emplace_back(std::move(o));
  }
  return out;
}

json::object to_json(const services::Kpis& k) {
  const auto period = std::chrono::duration_cast<std::chrono::seconds>(k.to - k.from);
  const auto& t = k.totals;
  json::array teams, technicians, buckets;
  for (const auto& x : k.teams) teams.emplace_back(to_json(x));
  for (const auto& x : k.technicians) technicians.emplace_back(to_json(x));
  for (const auto& x : k.buckets) buckets.emplace_back(to_json(x));
  json::object o{{"from", format_iso8601(k.from)},
                 {"to", format_iso8601(k.to)},
                 {"generated_at", format_iso8601(k.generated_at)},
                 {"day_start", format_iso8601(k.day_start)},
                 {"week", {{"from", format_iso8601(k.week_from)}, {"to", format_iso8601(k.week_to)}}}};
  if (k.parts != services::KpiParts::period) {
    o["now"] = to_json(k.now);
    o["teams"] = std::move(teams);
    o["technicians"] = std::move(technicians);
  }
  if (k.parts != services::KpiParts::now) {
    o["buckets"] = std::move(buckets);
    o["totals"] = {{"reported", {{"corrective", t.reported_corrective}, {"preventive", t.reported_preventive}}},
                   {"completed", {{"corrective", t.completed_corrective}, {"preventive", t.completed_preventive}}},
                   {"pm_due", t.pm_due},
                   {"pm_on_time", t.pm_on_time},
                   {"pm_compliance", ratio(t.pm_compliance)},
                   {"corrective_share", ratio(t.corrective_share)},
                   {"repairs", t.repairs},
                   {"machines", t.machines},
                   {"mttr_hours", hours(t.mttr_seconds)},
                   {"mtbf_hours", hours(t.mtbf_seconds)}};
    o["machines"] = reliability_json(k.machines, period, true);
    o["categories"] = reliability_json(k.categories, period, false);
  }
  return o;
}

// A report is the same for every planner: the reports' version, the minute
// (overdue counts move with time alone) and the query identify it, and key
// the cache of rendered reports — a dashboard refreshed by several managers
// between two changes costs one computation.
http::Response kpis(Call& call) {
  const services::KpiRequest request = parse_request(call, true);
  const std::string minute = minute_of(call.ctx.deps.clock.now());
  std::string key;
  std::shared_ptr<const Rendered> cached;
  const auto report = services::kpis_unless(call.ctx.deps, call.caller(), request, [&](const std::string& version) {
    key = version + "." + minute + "|" + call.req.query_string;
    cached = call.ctx.kpi_reports.find(key);
    return cached != nullptr;
  });
  if (cached) return json_response(200, std::string(cached->body));
  http::Response res = json_response(200, to_json(*report));
  call.ctx.kpi_reports.put(key, {res.body, ""});
  return res;
}

storage::ExportQuery export_query(const Call& call, std::string* lang = nullptr) {
  const services::KpiRequest r = parse_request(call, false, lang);
  return storage::ExportQuery{r.filter, r.from, r.to};
}

http::Response file(std::string body, std::string_view name, std::string_view ext, std::string_view type,
                    const PlantZone& zone, TimePoint from, TimePoint to) {
  http::Response res = status_only(200);
  res.body = std::move(body);
  res.set_header("Content-Type", std::string(type));
  // Named by the plant's days, the last one included.
  res.set_header("Content-Disposition", "attachment; filename=\"visor-" + std::string(name) + "-" + zone.date(from) + "-" +
                                            zone.date(to - std::chrono::seconds(1)) + "." + std::string(ext) + "\"");
  res.set_header("Cache-Control", "no-store");
  return res;
}

http::Response csv(std::string body, std::string_view name, const PlantZone& zone, TimePoint from, TimePoint to) {
  return file(std::move(body), name, "csv", "text/csv; charset=utf-8", zone, from, to);
}

http::Response json_file(std::string body, std::string_view name, const PlantZone& zone, TimePoint from, TimePoint to) {
  return file(std::move(body), name, "json", "application/json", zone, from, to);
}

PlantZone plant_zone(const Call& call) { return PlantZone::load(call.ctx.timezone); }

http::Response tasks_csv(Call& call) {
  std::string lang;
  const auto q = export_query(call, &lang);
  const PlantZone zone = plant_zone(call);
  return csv(services::tasks_csv(call.ctx.deps, call.caller(), q, {lang, zone}), "tasks", zone, q.from, q.to);
}

http::Response worklog_csv(Call& call) {
  std::string lang;
  const auto q = export_query(call, &lang);
  const PlantZone zone = plant_zone(call);
  return csv(services::worklog_csv(call.ctx.deps, call.caller(), q, {lang, zone}), "worklog", zone, q.from, q.to);
}

http::Response kpis_csv(Call& call) {
  std::string lang;
  const auto r = parse_request(call, true, &lang);
  const PlantZone zone = plant_zone(call);
  return csv(services::kpis_csv(call.ctx.deps, call.caller(), r, {lang, zone}), "kpis", zone, r.from, r.to);
}

http::Response tasks_json(Call& call) {
  const auto q = export_query(call);
  const PlantZone zone = plant_zone(call);
  return json_file(services::tasks_json(call.ctx.deps, call.caller(), q, zone), "tasks", zone, q.from, q.to);
}

http::Response worklog_json(Call& call) {
  const auto q = export_query(call);
  const PlantZone zone = plant_zone(call);
  return json_file(services::worklog_json(call.ctx.deps, call.caller(), q, zone), "worklog", zone, q.from, q.to);
}

http::Response kpis_json(Call& call) {
  const auto r = parse_request(call, true);
  const PlantZone zone = plant_zone(call);
  return json_file(services::kpis_json(call.ctx.deps, call.caller(), r, zone), "kpis", zone, r.from, r.to);
}

// GET /activity?limit=&before=: the newest work-log entries of every task.
http::Response activity(Call& call) {
  const api::Query& in = call.query;
  const int limit = int(in.integer("limit", 1, 200).value_or(40));
  const std::int64_t before = in.id("before").value_or(0);
  const auto rows = services::recent_activity(call.ctx.deps, call.caller(), limit, before);
  json::array items;
  for (const auto& r : rows) {
    const WorkLogEntry& e = r.entry;
    items.emplace_back(json::object{{"id", e.id},
                                    {"kind", to_string(e.kind)},
                                    {"at", format_iso8601(e.at)},
                                    {"task_id", e.task_id.value},
                                    {"task", r.task_title},
                                    {"equipment_code", r.equipment_code},
                                    {"user_id", api::id_or_null(e.user_id)},
                                    {"user", r.user_name},
                                    {"step", e.step ? json::value(*e.step) : json::value(nullptr)},
                                    {"step_text", r.step_text},
                                    {"value", e.value},
                                    {"unit", r.step_unit},
                                    {"text", e.text},
                                    {"media_id", api::id_or_null(e.media)}});
  }
  const json::value next = int(rows.size()) == limit && !rows.empty() ? json::value(rows.back().entry.id)
                                                                        : json::value(nullptr);
  return json_response(200, json::object{{"items", std::move(items)}, {"next_before", next}});
}

}  // namespace

void add_report_routes(std::vector<ApiRoute>& r) {
  const api::QueryNames period{"from", "to", "team", "equipment"};
  const api::QueryNames period_lang{"from", "to", "team", "equipment", "lang"};
  const api::QueryNames kpi{"from", "to", "team", "equipment", "bounds", "day_start", "week_from", "week_to", "parts"};
  api::QueryNames kpi_lang = kpi;
  kpi_lang.push_back("lang");
  r.push_back({Method::get, "/api/v1/reports/kpis", "reports.kpis", P::reports_read, kpis, kpi, false, Work::bulk});
  r.push_back({Method::get, "/api/v1/reports/tasks.csv", "reports.tasks_csv", P::reports_read, tasks_csv, period_lang,
               false, Work::bulk});
  r.push_back({Method::get, "/api/v1/reports/worklog.csv", "reports.worklog_csv", P::reports_read, worklog_csv,
               period_lang, false, Work::bulk});
  r.push_back({Method::get, "/api/v1/reports/kpis.csv", "reports.kpis_csv", P::reports_read, kpis_csv, kpi_lang, false,
               Work::bulk});
  r.push_back({Method::get, "/api/v1/reports/tasks.json", "reports.tasks_json", P::reports_read, tasks_json, period,
               false, Work::bulk});
  r.push_back({Method::get, "/api/v1/reports/worklog.json", "reports.worklog_json", P::reports_read, worklog_json,
               period, false, Work::bulk});
  r.push_back({Method::get, "/api/v1/reports/kpis.json", "reports.kpis_json", P::reports_read, kpis_json, kpi, false,
               Work::bulk});
  r.push_back({Method::get, "/api/v1/activity", "activity.list", P::reports_read, activity, {"limit", "before"}});
}

}  // namespace visor::handlers
