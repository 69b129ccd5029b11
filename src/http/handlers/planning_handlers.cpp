// Planning helpers for the console: bulk changes to tasks and the preview of
// instructions as the glasses' steps.
//
// POST /api/v1/tasks/bulk takes either the same changes for many tasks
//   {"ids": [1, 2], "changes": {"assignee_id": 7}}
// or changes per task (a reschedule moves each task differently)
//   {"items": [{"id": 1, "version": 3, "changes": {"schedule_start": "…"}}]}
// Each task is updated in its own transaction (services::bulk_update): the
// answer lists, per task, the new version or the problem that stopped it.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/procedure_json.hpp"
#include "http/handlers/routes.hpp"
#include "http/problem.hpp"
#include "services/planning.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

template <class Id>
std::optional<std::optional<Id>> optional_id(const json::object& body, std::string_view key) {
  const auto f = api::get_int(body, key, 1, INT64_MAX);
  if (!f.present) return std::nullopt;
  if (!f.value) return std::optional<Id>{};
  return std::optional<Id>{Id{*f.value}};
}

// The planning fields a bulk change may set.
services::TaskChanges parse_changes(const json::value& v) {
  if (!v.is_object()) invalid("changes must be an object.");
  const json::object& body = v.get_object();
  api::reject_unknown(body, {"assignee_id", "team_id", "stage_id", "priority", "schedule_start", "schedule_end",
                             "archived"});
  services::TaskChanges c;
  c.assignee_id = optional_id<UserId>(body, "assignee_id");
  c.team_id = optional_id<TeamId>(body, "team_id");
  if (const auto f = api::get_int(body, "stage_id", 1, INT64_MAX); f.present)
    c.stage_id = StageId{api::required(f, "stage_id")};
  if (const auto f = api::get_int(body, "priority", kMinPriority, kMaxPriority); f.present)
    c.priority = int(api::required(f, "priority"));
  if (const auto f = api::get_time(body, "schedule_start"); f.present) c.schedule_start = f.value;
  if (const auto f = api::get_time(body, "schedule_end"); f.present) c.schedule_end = f.value;
  if (const auto f = api::get_bool(body, "archived"); f.present) c.archived = api::required(f, "archived");
  return c;
}

TaskId task_id(const json::value& v) {
  if (!v.is_int64() || v.get_int64() <= 0) invalid("Task ids must be positive integers.");
  return TaskId{v.get_int64()};
}

std::vector<services::BulkItem> parse_bulk(const json::object& body) {
  api::reject_unknown(body, {"ids", "changes", "items"});
  std::vector<services::BulkItem> items;
  const auto ids = body.find("ids");
  const auto list = body.find("items");
  if ((ids == body.end()) == (list == body.end())) invalid("Send either ids with changes, or items.");
  if (ids != body.end()) {
    if (!ids->value().is_array()) invalid("ids must be an array of task ids.");
    const auto changes = body.find("changes");
    if (changes == body.end()) invalid("changes is required with ids.");
    const services::TaskChanges c = parse_changes(changes->value());
    for (const auto& id : ids->value().get_array()) items.push_back({task_id(id), std::nullopt, c});
  } else {
    if (!list->value().is_array()) invalid("items must be an array.");
    if (body.contains("changes")) invalid("changes goes inside each item when items is used.");
    for (const auto& v : list->value().get_array()) {
      if (!v.is_object()) invalid("Each item must be an object {id, version, changes}.");
      const json::object& o = v.get_object();
      api::reject_unknown(o, {"id", "version", "changes"});
      const auto id = o.find("id");
      if (id == o.end()) invalid("Each item needs an id.");
      const auto changes = o.find("changes");
      if (changes == o.end()) invalid("Each item needs changes.");
      services::BulkItem item{task_id(id->value()), api::get_int(o, "version", 1, INT64_MAX).value,
                              parse_changes(changes->value())};
      items.push_back(std::move(item));
    }
  }
  if (items.size() > services::kMaxBulkItems) invalid("At most 500 tasks at once.");
  return items;
}

http::Response bulk(Call& call) {
  const auto outcomes = services::bulk_update(call.ctx.deps, call.caller(), parse_bulk(api::parse_object(call.req.body)));
  json::array items;
  int ok = 0;
  for (const auto& o : outcomes) {
    json::object item{{"id", o.id.value}, {"ok", o.ok}};
    if (o.ok) {
      ++ok;
      item["version"] = o.version;
    } else {
      item["status"] = http::status_for(o.error);
      item["detail"] = o.detail;
    }
    items.emplace_back(std::move(item));
  }
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"updated", ok},
                                         {"failed", int(outcomes.size()) - ok}});
}

http::Response preview(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"text"});
  Instructions in;
  in.text = api::get_string(body, "text", 200'000).value.value_or("");
  in.kind = in.text.empty() ? InstructionKind::none : InstructionKind::text;
  const ParsedInstructions parsed = services::preview_instructions(call.caller(), in);
  return json_response(200, api::parsed_json(parsed));
}

}  // namespace

void add_planning_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::post, "/api/v1/tasks/bulk", "tasks.bulk", P::task_plan, bulk});
  r.push_back({Method::post, "/api/v1/instructions/preview", "instructions.preview", P::task_plan, preview});
}

}  // namespace visor::handlers
