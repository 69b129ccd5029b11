// Meters and failure codes:
//   /api/v1/failure-codes                 the catalogue (everyone reads, planners edit)
//   /api/v1/equipment/{id}/meters         a machine's meters with their rules
//   /api/v1/meters/{id}/readings          readings (chart) and new readings (floor)
//   /api/v1/meters/{id}/rules, /api/v1/meter-rules/{id}   meter-based maintenance
//   /api/v1/reports/failures              failure Pareto and MTBF by failure mode
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/procedure_json.hpp"
#include "http/handlers/routes.hpp"
#include "http/handlers/task_response.hpp"
#include "services/failure_codes.hpp"
#include "services/meters.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

constexpr double kLimit = 1e12;

bool include_inactive(const Call& call) { return call.query.flag("include_inactive").value_or(false); }

// --- failure codes ------------------------------------------------------------

http::Response codes(Call& call) {
  json::array items;
  for (const auto& c : services::list_failure_codes(call.ctx.deps, call.caller(), include_inactive(call)))
    items.push_back(api::to_json(c));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response create_code(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"kind", "code", "label_en", "label_fr", "active", "position"});
  FailureCode c;
  const std::string kind = api::required(api::get_string(body, "kind", 20), "kind");
  const auto k = parse_failure_code_kind(kind);
  if (!k) invalid("kind must be problem, cause or remedy.");
  c.kind = *k;
  c.code = api::required(api::get_string(body, "code", 16), "code");
  c.label_en = api::required(api::get_string(body, "label_en", 80), "label_en");
  c.label_fr = api::required(api::get_string(body, "label_fr", 80), "label_fr");
  c.active = api::get_bool(body, "active").value.value_or(true);
  c.position = int(api::get_int(body, "position", 0, 10'000).value.value_or(0));
  const FailureCode saved = services::create_failure_code(call.ctx.deps, call.caller(), c);
  http::Response res = json_response(201, api::to_json(saved));
  res.set_header("Location", "/api/v1/failure-codes/" + std::to_string(saved.id.value));
  return res;
}

http::Response update_code(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"code", "label_en", "label_fr", "active", "position"});
  services::FailureCodeChanges c;
  if (const auto f = api::get_string(body, "code", 16); f.present) c.code = api::required(f, "code");
  if (const auto f = api::get_string(body, "label_en", 80); f.present) c.label_en = api::required(f, "label_en");
  if (const auto f = api::get_string(body, "label_fr", 80); f.present) c.label_fr = api::required(f, "label_fr");
  if (const auto f = api::get_bool(body, "active"); f.present) c.active = api::required(f, "active");
  if (const auto f = api::get_int(body, "position", 0, 10'000); f.present) c.position = int(api::required(f, "position"));
  return json_response(200, api::to_json(services::update_failure_code(call.ctx.deps, call.caller(),
                                                                       FailureCodeId{call.id_param("id")}, c)));
}

// --- meters -------------------------------------------------------------------

http::Response meters(Call& call) {
  json::array items;
  for (const auto& v : services::list_meters(call.ctx.deps, call.caller(), EquipmentId{call.id_param("id")}))
    items.push_back(api::to_json(v.meter, v.rules));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response create_meter(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"name", "unit"});
  const std::string name = api::required(api::get_string(body, "name", 40), "name");
  const std::string unit = api::get_string(body, "unit", 16).value.value_or("");
  const auto v = services::create_meter(call.ctx.deps, call.caller(), EquipmentId{call.id_param("id")}, name, unit);
  http::Response res = json_response(201, api::to_json(v.meter, v.rules));
  res.set_header("Location", "/api/v1/meters/" + std::to_string(v.meter.id.value) + "/readings");
  return res;
}

http::Response readings(Call& call) {
  storage::ReadingQuery q;
  q.from = call.query.time("from");
  q.to = call.query.time("to");
  if (const auto n = call.query.integer("limit", 1, 2000)) q.limit = int(*n);
  json::array items;
  for (const auto& r : services::list_readings(call.ctx.deps, call.caller(), MeterId{call.id_param("id")}, q))
    items.push_back(api::to_json(r));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response add_reading(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"value", "at", "client_action_id"});
  const double value = api::required(api::get_number(body, "value", -kLimit, kLimit), "value");
  const auto r =
      services::record_reading(call.ctx.deps, call.caller(), MeterId{call.id_param("id")}, value, parse_action(body));
  json::array created;
  for (TaskId id : r.created) created.push_back(id.value);
  return json_response(r.replay ? 200 : 201, json::object{{"meter", api::to_json(r.meter.meter, r.meter.rules)},
                                                          {"reading", api::to_json(r.reading)},
                                                          {"created_task_ids", std::move(created)}});
}

http::Response add_rule(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"kind", "value", "title", "priority"});
  MeterRule rule;
  const std::string kind = api::required(api::get_string(body, "kind", 10), "kind");
  const auto k = parse_meter_rule_kind(kind);
  if (!k) invalid("kind must be above, below or every.");
  rule.kind = *k;
  rule.value = api::required(api::get_number(body, "value", -kLimit, kLimit), "value");
  rule.title = api::get_string(body, "title", 200).value.value_or("");
  rule.priority = int(api::get_int(body, "priority", kMinPriority, kMaxPriority).value.value_or(2));
  const MeterRule saved = services::add_meter_rule(call.ctx.deps, call.caller(), MeterId{call.id_param("id")}, rule);
  return json_response(201, api::to_json(saved));
}

http::Response remove_rule(Call& call) {
  services::remove_meter_rule(call.ctx.deps, call.caller(), MeterRuleId{call.id_param("id")});
  return status_only(204);
}

// --- the failure report -----------------------------------------------------------

json::value code_or_null(const std::optional<FailureCode>& c) {
  if (!c) return nullptr;
  return api::to_json(*c);
}

json::array groups(const std::vector<services::FailureGroup>& gs) {
  json::array out;
  for (const auto& g : gs)
    out.push_back(json::object{{"id", g.id}, {"name", g.name}, {"failures", g.failures},
                               {"top_problem", code_or_null(g.top_problem)}});
  return out;
}

http::Response failures(Call& call) {
  storage::FailureQuery q;
  const auto from = call.query.time("from");
  const auto to = call.query.time("to");
  if (!from || !to) invalid("from and to are required (ISO 8601 date-times).");
  q.from = *from;
  q.to = *to;
  if (const auto e = call.query.id("equipment")) q.equipment = EquipmentId{*e};
  if (const auto c = call.query.id("category")) q.category = CategoryId{*c};
  const auto r = services::failure_report(call.ctx.deps, call.caller(), q);
  json::array pareto;
  for (const auto& b : r.pareto)
    pareto.push_back(json::object{{"problem", code_or_null(b.problem)},
                                  {"failures", b.failures},
                                  {"share", b.share},
                                  {"cumulative", b.cumulative},
                                  {"mtbf_hours", b.mtbf_hours ? json::value(*b.mtbf_hours) : json::value(nullptr)}});
  return json_response(200, json::object{{"from", format_iso8601(r.from)},
                                         {"to", format_iso8601(r.to)},
                                         {"machines", r.machines},
                                         {"failures", r.failures},
                                         {"uncoded", r.uncoded},
                                         {"pareto", std::move(pareto)},
                                         {"by_machine", groups(r.by_machine)},
                                         {"by_category", groups(r.by_category)}});
}

}  // namespace

void add_reliability_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/failure-codes", "failure_codes.list", P::task_read, codes, {"include_inactive"}});
  r.push_back({Method::post, "/api/v1/failure-codes", "failure_codes.create", P::task_plan, create_code});
  r.push_back({Method::patch, "/api/v1/failure-codes/{id}", "failure_codes.update", P::task_plan, update_code});
  r.push_back({Method::get, "/api/v1/equipment/{id}/meters", "meters.list", P::equipment_read, meters});
  r.push_back({Method::post, "/api/v1/equipment/{id}/meters", "meters.create", P::equipment_write, create_meter});
  r.push_back({Method::get, "/api/v1/meters/{id}/readings", "meters.readings", P::equipment_read, readings, {"from", "to", "limit"}});
  r.push_back({Method::post, "/api/v1/meters/{id}/readings", "meters.read", P::task_execute, add_reading});
  r.push_back({Method::post, "/api/v1/meters/{id}/rules", "meters.rule_add", P::equipment_write, add_rule});
  r.push_back({Method::delete_, "/api/v1/meter-rules/{id}", "meters.rule_remove", P::equipment_write, remove_rule});
  r.push_back({Method::get, "/api/v1/reports/failures", "reports.failures", P::reports_read, failures, {"from", "to", "equipment", "category"}});
}

}  // namespace visor::handlers
