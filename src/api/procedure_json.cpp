#include "api/procedure_json.hpp"

#include "api/json_write.hpp"
#include "domain/steps.hpp"
#include "domain/value_range.hpp"

namespace visor::api {
namespace json = boost::json;

namespace {

JsonWriter& decimal(JsonWriter& w, double v) { return w.raw(format_decimal(v)); }

json::value decimal_or_null(const std::optional<double>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

void write_code(JsonWriter& w, std::string_view key, const std::optional<FailureCode>& c) {
  w.key(key);
  if (!c) {
    w.null();
    return;
  }
  w.begin_object().key("id").number(c->id.value).key("code").string(c->code);
  w.key("label_en").string(c->label_en).key("label_fr").string(c->label_fr).end_object();
}

void write_time(JsonWriter& w, std::string_view key, const std::optional<TimePoint>& t) {
  w.key(key);
  if (t) w.string(format_iso8601(*t));
  else w.null();
}

}  // namespace

void write_step(JsonWriter& w, const Step& s, std::optional<TaskId> follow_up, int photos) {
  w.begin_object();
  w.key("number").number(s.number).key("text").string(s.text).key("kind").string(to_string(s.kind));
  w.key("wants_value").boolean(s.kind == StepKind::number).key("required").boolean(s.required);
  w.key("unit").string(s.unit);
  if (s.kind == StepKind::number) {
    w.key("min");
    if (s.min) decimal(w, *s.min);
    else w.null();
    w.key("max");
    if (s.max) decimal(w, *s.max);
    else w.null();
  }
  if (s.kind == StepKind::choice) {
    w.key("options").begin_array();
    for (const auto& o : s.options) w.string(o);
    w.end_array();
  }
  if (!s.meter.empty()) w.key("meter").string(s.meter);
  w.key("done").boolean(s.done).key("note").string(s.note).key("value").string(s.value);
  w.key("flag").string(to_string(step_flag(s)));
  write_time(w, "done_at", s.done_at);
  w.key("done_by").optional_number(s.done_by ? std::optional(s.done_by->value) : std::nullopt);
  if (follow_up) w.key("follow_up").number(follow_up->value);
  w.key("photos").number(photos);
  w.end_object();
}

void write_procedure_members(JsonWriter& w, const services::ProcedureDetail& d) {
  w.key("procedure");
  if (d.followed || d.signoff) {
    const TaskProcedure tp = d.followed.value_or(TaskProcedure{});
    const TaskSignOff so = d.signoff.value_or(TaskSignOff{});
    w.begin_object();
    w.key("id").optional_number(tp.procedure_id ? std::optional(tp.procedure_id->value) : std::nullopt);
    w.key("name").string(d.procedure_name).key("version").number(tp.version);
    w.key("signoff").string(to_string(tp.signoff)).key("signature").string(so.signature);
    w.key("signed_by").optional_number(so.signed_by ? std::optional(so.signed_by->value) : std::nullopt);
    write_time(w, "signed_at", so.signed_at);
    w.key("approved_by").optional_number(so.approved_by ? std::optional(so.approved_by->value) : std::nullopt);
    write_time(w, "approved_at", so.approved_at);
    w.key("approval_comment").string(so.approval_comment);
    w.end_object();
  } else {
    w.null();
  }
  w.key("failure");
  if (d.failure) {
    w.begin_object();
    write_code(w, "problem", d.problem);
    write_code(w, "cause", d.cause);
    write_code(w, "remedy", d.remedy);
    w.end_object();
  } else {
    w.null();
  }
  w.key("follow_up_of");
  if (d.follow_up_of) {
    w.begin_object().key("task_id").number(d.follow_up_of->origin_id.value);
    w.key("step").number(d.follow_up_of->origin_step).key("title").string(d.origin_title).end_object();
  } else {
    w.null();
  }
}

json::array to_json(const std::vector<StepSpec>& steps) {
  json::array out;
  int n = 0;
  for (const StepSpec& s : steps) {
    json::object o{{"number", ++n},
                   {"text", s.text},
                   {"kind", to_string(s.kind)},
                   {"wants_value", s.kind == StepKind::number},
                   {"required", s.required},
                   {"unit", s.unit}};
    if (s.kind == StepKind::number) {
      o["min"] = decimal_or_null(s.min);
      o["max"] = decimal_or_null(s.max);
    }
    if (s.kind == StepKind::choice) {
      json::array options;
      for (const auto& opt : s.options) options.push_back(json::string(opt));
      o["options"] = std::move(options);
    }
    if (!s.meter.empty()) o["meter"] = s.meter;
    out.push_back(std::move(o));
  }
  return out;
}

json::object parsed_json(const ParsedInstructions& parsed) {
  json::array safety, warnings;
  for (const std::string& s : parsed.safety) safety.emplace_back(s);
  for (const std::string& s : parsed.warnings) warnings.emplace_back(s);
  return {{"summary", parsed.summary},
          {"steps", to_json(parsed.steps)},
          {"safety", std::move(safety)},
          {"signoff", to_string(parsed.signoff)},
          {"warnings", std::move(warnings)}};
}

json::object to_json(const Procedure& p) {
  return {{"id", p.id.value},
          {"name", p.name},
          {"category_id", id_or_null(p.category_id)},
          {"equipment_id", id_or_null(p.equipment_id)},
          {"type", p.type ? json::value(to_string(*p.type)) : json::value(nullptr)},
          {"active", p.active},
          {"version", p.version},
          {"text", p.text},
          {"updated_at", format_iso8601(p.updated_at)},
          {"updated_by", id_or_null(p.updated_by)}};
}

json::object to_json(const ProcedureVersion& v) {
  return {{"version", v.version},
          {"text", v.text},
          {"created_at", format_iso8601(v.created_at)},
          {"created_by", id_or_null(v.created_by)}};
}

json::object to_json(const FailureCode& c) {
  return {{"id", c.id.value},     {"kind", to_string(c.kind)}, {"code", c.code},         {"label_en", c.label_en},
          {"label_fr", c.label_fr}, {"active", c.active},        {"position", c.position}};
}

json::object to_json(const MeterRule& r) {
  return {{"id", r.id.value},
          {"meter_id", r.meter_id.value},
          {"kind", to_string(r.kind)},
          {"value", r.value},
          {"next_due", decimal_or_null(r.next_due)},
          {"title", r.title},
          {"priority", r.priority},
          {"active", r.active},
          {"last_task_id", id_or_null(r.last_task)},
          {"last_fired_at", time_or_null(r.last_fired_at)},
          {"created_at", format_iso8601(r.created_at)}};
}

json::object to_json(const Meter& m, const std::vector<MeterRule>& rules) {
  json::array rs;
  for (const auto& r : rules) rs.push_back(to_json(r));
  return {{"id", m.id.value},
          {"equipment_id", m.equipment_id.value},
          {"name", m.name},
          {"unit", m.unit},
          {"last_value", decimal_or_null(m.last_value)},
          {"last_at", time_or_null(m.last_at)},
          {"rules", std::move(rs)}};
}

json::object to_json(const MeterReading& r) {
  return {{"id", r.id},
          {"meter_id", r.meter_id.value},
          {"value", r.value},
          {"at", format_iso8601(r.at)},
          {"user_id", id_or_null(r.user_id)},
          {"task_id", id_or_null(r.task_id)},
          {"step", r.step ? json::value(*r.step) : json::value(nullptr)}};
}

}  // namespace visor::api
