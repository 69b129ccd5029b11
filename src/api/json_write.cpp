#include "api/json_write.hpp"

#include <boost/json/serialize.hpp>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "api/procedure_json.hpp"
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

namespace {

JsonWriter& time(JsonWriter& w, const std::optional<TimePoint>& v) {
  return v ? w.string(format_iso8601(*v)) : w.null();
}
JsonWriter& date(JsonWriter& w, const std::optional<Date>& v) { return v ? w.string(format_date(*v)) : w.null(); }
template <class Id>
JsonWriter& id(JsonWriter& w, const std::optional<Id>& v) {
  return w.optional_number(v ? std::optional(v->value) : std::nullopt);
}

// The list form's members, inside an object the caller opened.
void write_row_members(JsonWriter& w, const storage::TaskRow& row, TimePoint now) {
  const Task& t = row.task;
  w.key("id").number(t.id.value);
  id(w.key("odoo_id"), t.odoo_id);
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
  id(w.key("team_id"), t.team_id);
  time(w.key("schedule_start"), t.schedule_start);
  time(w.key("schedule_end"), t.schedule_end);
  date(w.key("request_date"), t.request_date);
  date(w.key("close_date"), t.close_date);
  w.key("archived").boolean(t.archived);
  w.key("overdue").boolean(is_overdue(t, row.stage_done, now));
  w.key("steps").begin_object().key("total").number(row.steps_total).key("done").number(row.steps_done).end_object();
  w.key("version").number(t.version);
  w.key("updated_at").string(format_iso8601(t.updated_at));
}

}  // namespace

void write_json(JsonWriter& w, const WorkLogEntry& e) {
  w.begin_object();
  w.key("id").number(e.id).key("kind").string(to_string(e.kind)).key("at").string(format_iso8601(e.at));
  id(w.key("user_id"), e.user_id);
  w.key("step").optional_number(e.step);
  w.key("text").string(e.text).key("value").string(e.value);
  id(w.key("media_id"), e.media);
  if (!e.client_action_id.empty()) w.key("client_action_id").string(e.client_action_id);
  w.end_object();
}

void write_json(JsonWriter& w, const storage::TaskRow& row, TimePoint now) {
  w.begin_object();
  write_row_members(w, row, now);
  w.end_object();
}

std::string event_json(const storage::TaskRow& row, TimePoint now, const boost::json::object& extra) {
  std::string out;
  out.reserve(768);
  JsonWriter w(out);
  w.begin_object();
  write_row_members(w, row, now);
  for (const auto& kv : extra) w.key(kv.key()).raw(boost::json::serialize(kv.value()));
  w.end_object();
  return out;
}

std::string card_json(const services::TaskDetail& d, TimePoint now) {
  const Task& t = d.row.task;
  std::string out;
  out.reserve(1024 + t.description.size() + t.instructions.text.size() + 160 * (d.steps.size() + d.log.size()));
  JsonWriter w(out);
  w.begin_object();
  write_row_members(w, d.row, now);
  w.key("description").string(t.description);
  w.key("instructions").begin_object();
  w.key("kind").string(to_string(t.instructions.kind)).key("text").string(t.instructions.text);
  w.key("url").string(t.instructions.url).key("summary").string(d.summary);
  w.end_object();
  w.key("safety").begin_array();
  for (const auto& note : d.safety) w.string(note);
  w.end_array();
  w.key("recurrence").begin_object();
  w.key("enabled").boolean(t.recurrence.enabled).key("interval").number(t.recurrence.interval);
  w.key("unit").string(to_string(t.recurrence.unit)).key("type").string(to_string(t.recurrence.type));
  date(w.key("until"), t.recurrence.until);
  w.end_object();
  w.key("step_list").begin_array();
  for (const Step& step : d.steps) {
    int photos = 0;
    for (const auto& [number, count] : d.photos) photos = number == step.number ? count : photos;
    write_step(w, step, services::follow_up_of_step(d.procedure, step.number), photos);
  }
  w.end_array();
  write_procedure_members(w, d.procedure);
  w.key("work_log").begin_array();
  for (const WorkLogEntry& entry : d.log) write_json(w, entry);
  w.end_array();
  w.key("work_log_before");
  if (d.log_before.empty()) w.null();
  else w.string(d.log_before);
  w.key("session");
  if (d.session) write_json(w, *d.session);
  else w.null();
  w.key("time_on_tool_seconds").number(d.time_on_tool.count());
  w.key("reporter_contact").string(t.reporter_contact);
  id(w.key("reported_by"), t.reported_by);
  w.key("created_at").string(format_iso8601(t.created_at));
  w.end_object();
  return out;
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
