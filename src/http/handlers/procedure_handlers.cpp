// Procedures and what completing work under them involves:
//   /api/v1/procedures                     templates (planners), versioned
//   /api/v1/tasks/{id}/complete            completion with sign-off and failure codes
//   /api/v1/tasks/{id}/steps/{n}/follow-up a corrective follow-up from a flagged step
//   /api/v1/tasks/{id}/approval            a supervisor's approval
//   /api/v1/tasks/{id}/failure             failure codes of a piece of work
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/procedure_json.hpp"
#include "http/handlers/routes.hpp"
#include "http/handlers/task_response.hpp"
#include "services/completion.hpp"
#include "services/follow_ups.hpp"
#include "services/procedures.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

template <class Id>
std::optional<Id> optional_id(const json::object& body, std::string_view key) {
  const auto f = api::get_int(body, key, 1, INT64_MAX);
  return f.value ? std::optional<Id>(Id{*f.value}) : std::nullopt;
}

http::Response procedure_response(int status, const services::ProcedureView& v) {
  json::object o = api::to_json(v.procedure);
  json::object parsed = api::parsed_json(v.parsed);
  o["steps"] = std::move(parsed["steps"]);
  o["signoff"] = std::move(parsed["signoff"]);
  o["warnings"] = std::move(parsed["warnings"]);
  json::array versions;
  for (const auto& ver : v.versions) versions.push_back(api::to_json(ver));
  o["versions"] = std::move(versions);
  o["tasks_updated"] = v.tasks_updated;
  http::Response res = json_response(status, o);
  res.set_header("ETag", "\"v" + std::to_string(v.procedure.version) + "\"");
  if (status == 201) res.set_header("Location", "/api/v1/procedures/" + std::to_string(v.procedure.id.value));
  return res;
}

services::ProcedureInput parse_procedure(const json::object& body) {
  api::reject_unknown(body, {"name", "category_id", "equipment_id", "type", "active", "text"});
  services::ProcedureInput in;
  in.name = api::required(api::get_string(body, "name", 120), "name");
  in.category_id = optional_id<CategoryId>(body, "category_id");
  in.equipment_id = optional_id<EquipmentId>(body, "equipment_id");
  if (const auto t = api::get_string(body, "type", 20).value) {
    in.type = parse_maintenance_type(*t);
    if (!in.type) invalid("type must be corrective, preventive or null (any work).");
  }
  in.active = api::get_bool(body, "active").value.value_or(true);
  in.text = api::required(api::get_string(body, "text", 50'000), "text");
  return in;
}

std::optional<int> if_match(const http::Request& req) {
  const auto v = if_match_version(req);
  if (!v) return std::nullopt;
  return int(*v);
}

http::Response list(Call& call) {
  const bool all = call.query.flag("include_inactive").value_or(false);
  json::array items;
  for (const Procedure& p : services::list_procedures(call.ctx.deps, call.caller(), all)) items.push_back(api::to_json(p));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response get(Call& call) {
  return procedure_response(200, services::get_procedure(call.ctx.deps, call.caller(), ProcedureId{call.id_param("id")}));
}

http::Response create(Call& call) {
  const auto in = parse_procedure(api::parse_object(call.req.body));
  return procedure_response(201, services::create_procedure(call.ctx.deps, call.caller(), in));
}

http::Response save(Call& call) {
  const auto in = parse_procedure(api::parse_object(call.req.body));
  return procedure_response(200, services::save_procedure(call.ctx.deps, call.caller(),
                                                          ProcedureId{call.id_param("id")}, in, if_match(call.req)));
}

services::FailureCodes parse_codes(const json::object& body) {
  services::FailureCodes c;
  c.problem = optional_id<FailureCodeId>(body, "problem_id");
  c.cause = optional_id<FailureCodeId>(body, "cause_id");
  c.remedy = optional_id<FailureCodeId>(body, "remedy_id");
  return c;
}

json::object optional_body(const http::Request& req) {
  if (req.body.empty()) return {};
  return api::parse_object(req.body);
}

http::Response complete(Call& call) {
  const auto body = optional_body(call.req);
  api::reject_unknown(body, {"at", "client_action_id", "signature", "problem_id", "cause_id", "remedy_id"});
  services::Completion c;
  c.signature = api::get_string(body, "signature", 200).value.value_or("");
  c.codes = parse_codes(body);
  return task_card(call, services::complete_task(call.ctx.deps, call.caller(), TaskId{call.id_param("id")},
                                                 parse_action(body), c));
}

http::Response follow_up(Call& call) {
  const auto body = optional_body(call.req);
  api::reject_unknown(body, {"title", "note", "priority", "at", "client_action_id"});
  services::FollowUpRequest r;
  r.title = api::get_string(body, "title", 200).value;
  r.note = api::get_string(body, "note", 4000).value;
  r.priority = int(api::get_int(body, "priority", kMinPriority, kMaxPriority).value.value_or(2));
  r.opts = parse_action(body);
  const std::int64_t n = call.id_param("n");
  if (n > 10'000) not_found("No such step.");
  return task_card(call, services::raise_follow_up(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, int(n), r),
                   201);
}

http::Response approve(Call& call) {
  const auto body = optional_body(call.req);
  api::reject_unknown(body, {"comment"});
  const std::string comment = api::get_string(body, "comment", 1000).value.value_or("");
  return task_card(call, services::approve_task(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, comment));
}

http::Response failure(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"problem_id", "cause_id", "remedy_id"});
  return task_card(call, services::set_failure_codes(call.ctx.deps, call.caller(), TaskId{call.id_param("id")},
                                                     parse_codes(body)));
}

}  // namespace

void add_procedure_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/procedures", "procedures.list", P::task_plan, list, {"include_inactive"}});
  r.push_back({Method::post, "/api/v1/procedures", "procedures.create", P::task_plan, create});
  r.push_back({Method::get, "/api/v1/procedures/{id}", "procedures.get", P::task_plan, get});
  r.push_back({Method::put, "/api/v1/procedures/{id}", "procedures.save", P::task_plan, save});
  r.push_back({Method::post, "/api/v1/tasks/{id}/complete", "tasks.complete", P::task_execute, complete});
  r.push_back({Method::post, "/api/v1/tasks/{id}/steps/{n}/follow-up", "tasks.follow_up", P::task_execute, follow_up});
  r.push_back({Method::post, "/api/v1/tasks/{id}/approval", "tasks.approve", P::task_plan, approve});
  r.push_back({Method::put, "/api/v1/tasks/{id}/failure", "tasks.failure", P::task_execute, failure});
}

}  // namespace visor::handlers
