#include "api/json_write.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "domain/rules.hpp"

namespace visor::api {
namespace json = boost::json;

json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_iso8601(*t));
}

json::value date_or_null(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return json::value(format_date(*d));
}

json::object to_json(const storage::TaskRow& row, TimePoint now) {
  const Task& t = row.task;
  json::object o;
  o["id"] = t.id.value;
  o["odoo_id"] = id_or_null(t.odoo_id);
  o["title"] = t.title;
  o["priority"] = t.priority;
  o["type"] = to_string(t.type);
  o["execution"] = to_string(t.execution);
  o["stage"] = {{"id", t.stage_id.value}, {"name", row.stage_name}, {"done", row.stage_done}};
  o["equipment"] = t.equipment_id ? json::value(json::object{{"id", t.equipment_id->value},
                                                             {"name", row.equipment_name},
                                                             {"location", row.equipment_location},
                                                             {"code", row.equipment_code}})
                                  : json::value(nullptr);
  o["assignee"] = t.assignee_id
                      ? json::value(json::object{{"id", t.assignee_id->value}, {"name", row.assignee_name}})
                      : json::value(nullptr);
  o["team_id"] = id_or_null(t.team_id);
  o["schedule_start"] = time_or_null(t.schedule_start);
  o["schedule_end"] = time_or_null(t.schedule_end);
  o["request_date"] = date_or_null(t.request_date);
  o["close_date"] = date_or_null(t.close_date);
  o["archived"] = t.archived;
  o["overdue"] = is_overdue(t, row.stage_done, now);
  o["steps"] = {{"total", row.steps_total}, {"done", row.steps_done}};
  o["version"] = t.version;
  o["updated_at"] = format_iso8601(t.updated_at);
  return o;
}

void write_json(JsonWriter& w, const storage::TaskRow& row, TimePoint now) {
  const Task& t = row.task;
  auto time = [&](const std::optional<TimePoint>& v) -> JsonWriter& {
    return v ? w.string(format_iso8601(*v)) : w.null();
  };
  auto date = [&](const std::optional<Date>& v) -> JsonWriter& { return v ? w.string(format_date(*v)) : w.null(); };
  w.begin_object();
  w.key("id").number(t.id.value);
  w.key("odoo_id").optional_number(t.odoo_id ? std::optional(t.odoo_id->value) : std::nullopt);
  w.key("title").string(t.title);
  w.key("priority").number(t.priority);
  w.key("type").string(to_string(t.type));
  w.key("execution").string(to_string(t.execution));
  w.key("stage").begin_object();
  w.key("id").number(t.stage_id.value).key("name").string(row.stage_name).key("done").boolean(row.stage_done);
  w.end_object();
  w.key("equipment");
  if (t.equipment_id) {
    w.begin_object();
    w.key("id").number(t.equipment_id->value).key("name").string(row.equipment_name);
    w.key("location").string(row.equipment_location).key("code").string(row.equipment_code);
    w.end_object();
  } else {
    w.null();
  }
  w.key("assignee");
  if (t.assignee_id) {
    w.begin_object().key("id").number(t.assignee_id->value).key("name").string(row.assignee_name).end_object();
  } else {
    w.null();
  }
  w.key("team_id").optional_number(t.team_id ? std::optional(t.team_id->value) : std::nullopt);
  w.key("schedule_start");
  time(t.schedule_start);
  w.key("schedule_end");
  time(t.schedule_end);
  w.key("request_date");
  date(t.request_date);
  w.key("close_date");
  date(t.close_date);
  w.key("archived").boolean(t.archived);
  w.key("overdue").boolean(is_overdue(t, row.stage_done, now));
  w.key("steps").begin_object().key("total").number(row.steps_total).key("done").number(row.steps_done).end_object();
  w.key("version").number(t.version);
  w.key("updated_at").string(format_iso8601(t.updated_at));
  w.end_object();
}

json::object to_json(const Step& s) {
  return {{"number", s.number},
          {"text", s.text},
          {"wants_value", s.wants_value},
          {"unit", s.unit},
          {"done", s.done},
          {"note", s.note},
          {"value", s.value},
          {"done_at", time_or_null(s.done_at)},
          {"done_by", id_or_null(s.done_by)}};
}

json::object to_json(const WorkLogEntry& e) {
  json::object o{{"id", e.id},
                 {"kind", to_string(e.kind)},
                 {"at", format_iso8601(e.at)},
                 {"user_id", id_or_null(e.user_id)},
                 {"step", e.step ? json::value(*e.step) : json::value(nullptr)},
                 {"text", e.text},
                 {"value", e.value},
                 {"media_id", id_or_null(e.media)}};
  if (!e.client_action_id.empty()) o["client_action_id"] = e.client_action_id;
  return o;
}

json::object to_json(const services::TaskDetail& d, TimePoint now) {
  json::object o = to_json(d.row, now);
  const Task& t = d.row.task;
  o["description"] = t.description;
  o["instructions"] = {{"kind", to_string(t.instructions.kind)},
                       {"text", t.instructions.text},
                       {"url", t.instructions.url},
                       {"summary", d.summary}};
  json::array safety;
  for (const auto& s : d.safety) safety.emplace_back(s);
  o["safety"] = std::move(safety);
  o["recurrence"] = {{"enabled", t.recurrence.enabled},
                     {"interval", t.recurrence.interval},
                     {"unit", to_string(t.recurrence.unit)},
                     {"type", to_string(t.recurrence.type)},
                     {"until", date_or_null(t.recurrence.until)}};
  json::array steps;
  for (const Step& s : d.steps) steps.emplace_back(to_json(s));
  o["steps"] = {{"total", d.row.steps_total}, {"done", d.row.steps_done}};
  o["step_list"] = std::move(steps);
  json::array log;
  for (const WorkLogEntry& e : d.log) log.emplace_back(to_json(e));
  o["work_log"] = std::move(log);
  o["time_on_tool_seconds"] = d.time_on_tool.count();
  o["reporter_contact"] = t.reporter_contact;
  o["reported_by"] = id_or_null(t.reported_by);
  o["created_at"] = format_iso8601(t.created_at);
  return o;
}

json::object to_json(const Equipment& e) {
  return {{"id", e.id.value},
          {"odoo_id", id_or_null(e.odoo_id)},
          {"name", e.name},
          {"serial_no", e.serial_no},
          {"model", e.model},
          {"category_id", id_or_null(e.category_id)},
          {"location", e.location},
          {"technician_id", id_or_null(e.technician_id)},
          {"team_id", id_or_null(e.team_id)},
          {"note", e.note},
          {"code", e.code},
          {"active", e.active},
          {"version", e.version},
          {"updated_at", format_iso8601(e.updated_at)}};
}

json::object to_json(const storage::EquipmentRow& row) {
  json::object o = to_json(row.equipment);
  o["category_name"] = row.category_name;
  o["open_tasks"] = row.open_tasks;
  return o;
}

json::object to_json(const Stage& s) {
  return {{"id", s.id.value}, {"odoo_id", id_or_null(s.odoo_id)}, {"name", s.name},
          {"sequence", s.sequence}, {"done", s.done}, {"folded", s.folded}};
}

json::object to_json(const Team& t) {
  return {{"id", t.id.value}, {"odoo_id", id_or_null(t.odoo_id)}, {"name", t.name}};
}

json::object to_json(const Category& c) {
  return {{"id", c.id.value}, {"odoo_id", id_or_null(c.odoo_id)}, {"name", c.name},
          {"technician_id", id_or_null(c.technician_id)}};
}

json::object to_json(const User& u) {
  return {{"id", u.id.value},     {"odoo_id", id_or_null(u.odoo_id)}, {"login", u.login},
          {"name", u.name},       {"email", u.email},                 {"role", to_string(u.role)},
          {"team_id", id_or_null(u.team_id)}, {"locale", u.locale},   {"active", u.active},
          {"created_at", format_iso8601(u.created_at)}};
}

json::object to_json(const storage::DeviceRecord& d) {
  return {{"id", d.id.value},
          {"user_id", d.user_id.value},
          {"name", d.name},
          {"profile", d.profile},
          {"created_at", format_iso8601(d.created_at)},
          {"last_used_at", time_or_null(d.last_used_at)},
          {"revoked_at", time_or_null(d.revoked_at)}};
}

json::object to_json(const storage::AuditEntry& a) {
  boost::system::error_code ec;
  json::value detail = json::parse(a.detail, ec);
  if (ec) detail = a.detail;
  return {{"id", a.id},
          {"at", format_iso8601(a.at)},
          {"actor_id", id_or_null(a.actor)},
          {"actor", a.actor_label},
          {"action", a.action},
          {"target_type", a.target_type},
          {"target_id", a.target_id},
          {"detail", std::move(detail)},
          {"remote_addr", a.remote_addr}};
}

json::object to_json(const storage::Conflict& c) {
  return {{"id", c.id},
          {"task_id", id_or_null(c.task_id)},
          {"field", c.field},
          {"local_value", c.local_value},
          {"remote_value", c.remote_value},
          {"resolution", c.resolution},
          {"at", format_iso8601(c.at)},
          {"reviewed_at", time_or_null(c.reviewed_at)},
          {"reviewed_by", id_or_null(c.reviewed_by)}};
}

json::object to_json(const Media& m) {
  return {{"id", m.id.value},
          {"task_id", m.task_id.value},
          {"content_type", m.content_type},
          {"size", m.size},
          {"sha256", m.sha256},
          {"url", "/api/v1/media/" + std::to_string(m.id.value)},
          {"created_at", format_iso8601(m.created_at)}};
}

}  // namespace visor::api
