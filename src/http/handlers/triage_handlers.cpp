// /api/v1/triage: the planners' inbox of faults reported from the floor, its
// badge count, and the decisions (approve, reject, merge).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "http/handlers/routes.hpp"
#include "services/triage.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

json::value person(std::optional<UserId> id, const std::string& name) {
  if (!id) return nullptr;
  return json::object{{"id", id->value}, {"name", name}};
}

json::object item_json(const services::TriageItem& item, TimePoint now) {
  const TriageRecord& r = item.record;
  json::object o = api::to_json(item.row, now);
  o["description"] = item.description;
  o["triage"] = json::object{{"source", to_string(r.source)},
                             {"state", to_string(r.state)},
                             {"reported_at", format_iso8601(r.reported_at)},
                             {"reporter", person(r.reporter_id, item.reporter_name)},
                             {"contact", item.row.task.reporter_contact},
                             {"device_name", r.device_name},
                             {"decided_at", api::time_or_null(r.decided_at)},
                             {"decided_by", person(r.decided_by, item.decided_by_name)},
                             {"reason", r.reason},
                             {"merged_into", api::id_or_null(r.merged_into)}};
  return o;
}

http::Response list(Call& call) {
  const api::Query& in = call.query;
  TriageState state = TriageState::pending;
  if (const auto v = in.choice("state", {"pending", "approved", "rejected", "merged"})) state = *parse_triage_state(*v);
  std::string cursor;
  if (const auto v = in.text("cursor", 8192)) {
    if (v->size() > 64) invalid("cursor is not valid; use the next_cursor of the previous page.");
    cursor = *v;
  }
  const int limit = int(in.integer("limit", 1, 200).value_or(50));
  const TimePoint now = call.ctx.deps.clock.now();
  const services::TriagePage page = services::list_triage(call.ctx.deps, call.caller(), state, cursor, limit);
  json::array items;
  for (const auto& item : page.items) items.emplace_back(item_json(item, now));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"pending", page.pending},
                                         {"next_cursor", page.next_cursor.empty() ? json::value(nullptr)
                                                                                  : json::value(page.next_cursor)}});
}

http::Response count(Call& call) {
  return json_response(200, json::object{{"pending", services::pending_reports(call.ctx.deps, call.caller())}});
}

template <class Id>
std::optional<std::optional<Id>> optional_id(const json::object& body, std::string_view key) {
  const auto f = api::get_int(body, key, 1, INT64_MAX);
  if (!f.present) return std::nullopt;
  if (!f.value) return std::optional<Id>{};
  return std::optional<Id>{Id{*f.value}};
}

http::Response decided(const Call& call, const services::TaskDetail& d) {
  return json_response(200, api::card_json(d, call.ctx.deps.clock.now()));
}

http::Response approve(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"assignee_id", "team_id", "schedule_start", "schedule_end", "priority", "stage_id"});
  services::Approval a;
  a.assignee_id = optional_id<UserId>(body, "assignee_id");
  a.team_id = optional_id<TeamId>(body, "team_id");
  if (const auto f = api::get_time(body, "schedule_start"); f.present) a.schedule_start = f.value;
  if (const auto f = api::get_time(body, "schedule_end"); f.present) a.schedule_end = f.value;
  if (const auto f = api::get_int(body, "priority", kMinPriority, kMaxPriority); f.present)
    a.priority = int(api::required(f, "priority"));
  if (const auto f = api::get_int(body, "stage_id", 1, INT64_MAX); f.present)
    a.stage_id = StageId{api::required(f, "stage_id")};
  return decided(call, services::approve_report(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, a));
}

http::Response reject(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"reason"});
  const std::string reason = api::required(api::get_string(body, "reason", kMaxTriageReason), "reason");
  return decided(call, services::reject_report(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, reason));
}

http::Response merge(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"into_task_id"});
  const TaskId into{api::required(api::get_int(body, "into_task_id", 1, INT64_MAX), "into_task_id")};
  return decided(call, services::merge_report(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, into));
}

}  // namespace

void add_triage_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/triage", "triage.list", P::task_plan, list,
               {"state", "cursor", "limit"}});
  r.push_back({Method::get, "/api/v1/triage/count", "triage.count", P::task_plan, count});
  r.push_back({Method::post, "/api/v1/triage/{id}/approve", "triage.approve", P::task_plan, approve});
  r.push_back({Method::post, "/api/v1/triage/{id}/reject", "triage.reject", P::task_plan, reject});
  r.push_back({Method::post, "/api/v1/triage/{id}/merge", "triage.merge", P::task_plan, merge});
}

}  // namespace visor::handlers
