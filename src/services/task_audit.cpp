#include "services/task_audit.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace visor::services {
namespace json = boost::json;

namespace {

json::value time_value(const std::optional<TimePoint>& t) {
  return t ? json::value(format_iso8601(*t)) : json::value(nullptr);
}

json::value user_name(storage::Tx& tx, const std::optional<UserId>& id) {
  if (!id) return nullptr;
  const auto u = tx.users().get(*id);
  return json::value(u ? u->name : "#" + std::to_string(id->value));
}

json::value team_name(storage::Tx& tx, const std::optional<TeamId>& id) {
  if (!id) return nullptr;
  const auto t = tx.catalog().team(*id);
  return json::value(t ? t->name : "#" + std::to_string(id->value));
}

json::value machine_name(storage::Tx& tx, const std::optional<EquipmentId>& id) {
  if (!id) return nullptr;
  const auto e = tx.equipment().get(*id);
  return json::value(e ? e->name + " · " + e->code : "#" + std::to_string(id->value));
}

json::value stage_name(storage::Tx& tx, StageId id) {
  const auto s = tx.catalog().stage(id);
  return json::value(s ? s->name : "#" + std::to_string(id.value));
}

json::value recurrence_text(const Recurrence& r) {
  if (!r.enabled) return nullptr;
  std::string text = std::to_string(r.interval) + " " + std::string(to_string(r.unit));
  if (r.until) text += " until " + format_date(*r.until);
  return json::value(text);
}

}  // namespace

std::string change_detail(storage::Tx& tx, const Task& before, const Task& after) {
  json::object changes;
  const auto put = [&](const char* key, json::value from, json::value to) {
    if (from != to) changes[key] = json::object{{"from", std::move(from)}, {"to", std::move(to)}};
  };
  put("title", json::value(before.title), json::value(after.title));
  if (before.description != after.description) changes["description"] = json::object{{"changed", true}};
  if (before.equipment_id != after.equipment_id)
    put("machine", machine_name(tx, before.equipment_id), machine_name(tx, after.equipment_id));
  if (before.assignee_id != after.assignee_id)
    put("assignee", user_name(tx, before.assignee_id), user_name(tx, after.assignee_id));
  if (before.team_id != after.team_id) put("team", team_name(tx, before.team_id), team_name(tx, after.team_id));
  if (before.stage_id != after.stage_id) put("stage", stage_name(tx, before.stage_id), stage_name(tx, after.stage_id));
  put("priority", json::value(before.priority), json::value(after.priority));
  put("type", json::value(to_string(before.type)), json::value(to_string(after.type)));
  put("schedule_start", time_value(before.schedule_start), time_value(after.schedule_start));
  put("schedule_end", time_value(before.schedule_end), time_value(after.schedule_end));
  if (before.instructions.kind != after.instructions.kind || before.instructions.text != after.instructions.text ||
      before.instructions.url != after.instructions.url)
    changes["instructions"] = json::object{{"changed", true}};
  put("recurrence", recurrence_text(before.recurrence), recurrence_text(after.recurrence));
  put("archived", json::value(before.archived), json::value(after.archived));
  // The title names the task in the log, as the other task entries do.
  return json::serialize(json::object{{"title", after.title}, {"changes", std::move(changes)}});
}

}  // namespace visor::services
