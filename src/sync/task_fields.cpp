#include "sync/task_fields.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include <boost/json/object.hpp>

#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

constexpr std::array<std::pair<TaskField, std::string_view>, 13> kKeys{{
    {TaskField::title, "title"},
    {TaskField::description, "description"},
    {TaskField::schedule_start, "schedule_start"},
    {TaskField::schedule_end, "schedule_end"},
    {TaskField::assignee, "assignee_id"},
    {TaskField::stage, "stage_id"},
    {TaskField::priority, "priority"},
    {TaskField::type, "type"},
    {TaskField::equipment, "equipment_id"},
    {TaskField::team, "team_id"},
    {TaskField::archived, "archived"},
    {TaskField::instructions, "instructions"},
    {TaskField::recurrence, "recurrence"},
}};

constexpr std::array<TaskField, 13> kAll{
    TaskField::title,    TaskField::description, TaskField::schedule_start, TaskField::schedule_end,
    TaskField::assignee, TaskField::stage,       TaskField::priority,       TaskField::type,
    TaskField::equipment, TaskField::team,       TaskField::archived,       TaskField::instructions,
    TaskField::recurrence};

[[noreturn]] void bad(TaskField f, std::string_view what) {
  throw std::invalid_argument("outbox value of " + std::string(payload_key(f)) + ": " + std::string(what));
}

json::value time_value(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_iso8601(*t));
}

std::optional<TimePoint> time_from(TaskField f, const json::value& v) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_string()) bad(f, "expected a time or null");
  auto t = parse_iso8601(v.get_string());
  if (!t) bad(f, "malformed time");
  return t;
}

template <class Id>
json::value id_value(const std::optional<Id>& id) {
  if (!id) return nullptr;
  return json::value(id->value);
}

template <class Id>
std::optional<Id> id_from(TaskField f, const json::value& v) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_int64() || v.get_int64() <= 0) bad(f, "expected a positive id or null");
  return Id(v.get_int64());
}

const json::value& member(TaskField f, const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) bad(f, "missing member " + std::string(key));
  return *v;
}

std::string text_of(TaskField f, const json::value& v) {
  if (!v.is_string()) bad(f, "expected text");
  return std::string(v.get_string());
}

}  // namespace

std::span<const TaskField> all_task_fields() { return kAll; }

std::string_view payload_key(TaskField f) {
  for (const auto& [field, key] : kKeys)
    if (field == f) return key;
  return "?";
}

std::optional<TaskField> parse_payload_key(std::string_view key) {
  for (const auto& [field, k] : kKeys)
    if (k == key) return field;
  return std::nullopt;
}

bool is_planning(TaskField f) { return f != TaskField::stage; }

json::value payload_value(const Task& t, TaskField f) {
  switch (f) {
    case TaskField::title: return json::value(t.title);
    case TaskField::description: return json::value(t.description);
    case TaskField::schedule_start: return time_value(t.schedule_start);
    case TaskField::schedule_end: return time_value(t.schedule_end);
    case TaskField::assignee: return id_value(t.assignee_id);
    case TaskField::stage: return json::value(t.stage_id.value);
    case TaskField::priority: return json::value(t.priority);
    case TaskField::type: return json::value(to_string(t.type));
    case TaskField::equipment: return id_value(t.equipment_id);
    case TaskField::team: return id_value(t.team_id);
    case TaskField::archived: return json::value(t.archived);
    case TaskField::instructions:
      return json::object{{"kind", to_string(t.instructions.kind)},
                          {"text", t.instructions.text},
                          {"url", t.instructions.url}};
    case TaskField::recurrence: {
      json::object r{{"enabled", t.recurrence.enabled},
                     {"interval", t.recurrence.interval},
                     {"unit", to_string(t.recurrence.unit)},
                     {"type", to_string(t.recurrence.type)}};
      r["until"] = t.recurrence.until ? json::value(format_date(*t.recurrence.until)) : json::value(nullptr);
      return r;
    }
  }
  return nullptr;
}

void set_from_payload(Task& t, TaskField f, const json::value& v) {
  switch (f) {
    case TaskField::title: t.title = text_of(f, v); return;
    case TaskField::description: t.description = text_of(f, v); return;
    case TaskField::schedule_start: t.schedule_start = time_from(f, v); return;
    case TaskField::schedule_end: t.schedule_end = time_from(f, v); return;
    case TaskField::assignee: t.assignee_id = id_from<UserId>(f, v); return;
    case TaskField::stage: {
      auto id = id_from<StageId>(f, v);
      if (!id) bad(f, "a stage is required");
      t.stage_id = *id;
      return;
    }
    case TaskField::priority:
      if (!v.is_int64() || v.get_int64() < kMinPriority || v.get_int64() > kMaxPriority) bad(f, "expected 0..3");
      t.priority = static_cast<Priority>(v.get_int64());
      return;
    case TaskField::type: {
      auto type = v.is_string() ? parse_maintenance_type(v.get_string()) : std::nullopt;
      if (!type) bad(f, "unknown maintenance type");
      t.type = *type;
      return;
    }
    case TaskField::equipment: t.equipment_id = id_from<EquipmentId>(f, v); return;
    case TaskField::team: t.team_id = id_from<TeamId>(f, v); return;
    case TaskField::archived:
      if (!v.is_bool()) bad(f, "expected a boolean");
      t.archived = v.get_bool();
      return;
    case TaskField::instructions: {
      if (!v.is_object()) bad(f, "expected an object");
      const auto& o = v.get_object();
      const auto kind = parse_instruction_kind(text_of(f, member(f, o, "kind")));
      if (!kind) bad(f, "unknown instruction kind");
      t.instructions = Instructions{*kind, text_of(f, member(f, o, "text")), text_of(f, member(f, o, "url"))};
      return;
    }
    case TaskField::recurrence: {
      if (!v.is_object()) bad(f, "expected an object");
      const auto& o = v.get_object();
      Recurrence r;
      const auto& enabled = member(f, o, "enabled");
      const auto& interval = member(f, o, "interval");
      if (!enabled.is_bool() || !interval.is_int64()) bad(f, "malformed recurrence");
      r.enabled = enabled.get_bool();
      r.interval = static_cast<int>(interval.get_int64());
      const auto unit = parse_repeat_unit(text_of(f, member(f, o, "unit")));
      const auto type = parse_repeat_type(text_of(f, member(f, o, "type")));
      if (!unit || !type) bad(f, "unknown repeat unit or type");
      r.unit = *unit;
      r.type = *type;
      const auto& until = member(f, o, "until");
      if (!until.is_null()) {
        auto d = until.is_string() ? parse_date(until.get_string()) : std::nullopt;
        if (!d) bad(f, "malformed until date");
        r.until = d;
      }
      t.recurrence = r;
      return;
    }
  }
}

}  // namespace visor::sync
