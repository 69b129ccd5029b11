// Reference data (stages, teams, categories) and the audit log.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_write.hpp"
#include "http/handlers/routes.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

template <class T>
json::object items(const std::vector<T>& records) {
  json::array a;
  for (const T& r : records) a.emplace_back(api::to_json(r));
  return json::object{{"items", std::move(a)}};
}

http::Response stages(Call& call) {
  return json_response(200, items(call.ctx.deps.store.read_value([](storage::Tx& tx) { return tx.catalog().stages(); })));
}

http::Response teams(Call& call) {
  return json_response(200, items(call.ctx.deps.store.read_value([](storage::Tx& tx) { return tx.catalog().teams(); })));
}

http::Response categories(Call& call) {
  return json_response(200, items(call.ctx.deps.store.read_value([](storage::Tx& tx) { return tx.catalog().categories(); })));
}

http::Response audit(Call& call) {
  const api::Query& in = call.query;
  storage::AuditQuery q;
  if (const auto v = in.id("actor")) q.actor = UserId{*v};
  q.action = in.text("action", 100).value_or("");
  q.target_type = in.text("target_type", 50).value_or("");
  q.target_id = in.text("target_id", 50).value_or("");
  q.since = in.time("since");
  q.until = in.time("until");
  if (const auto v = in.id("before")) q.before_id = *v;
  if (const auto v = in.integer("limit", 1, 1000)) q.limit = int(*v);
  const auto entries = call.ctx.deps.store.read_value([&](storage::Tx& tx) { return tx.audit().list(q); });
  json::object body = items(entries);
  body["next_before"] = int(entries.size()) == q.limit && !entries.empty() ? json::value(entries.back().id)
                                                                          : json::value(nullptr);
  return json_response(200, body);
}

}  // namespace

void add_catalog_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/stages", "stages.list", P::catalog_read, stages});
  r.push_back({Method::get, "/api/v1/teams", "teams.list", P::catalog_read, teams});
  r.push_back({Method::get, "/api/v1/categories", "categories.list", P::catalog_read, categories});
  r.push_back({Method::get, "/api/v1/audit", "audit.list", P::audit_read, audit,
               {"actor", "action", "target_type", "target_id", "since", "until", "before", "limit"}});
}

}  // namespace visor::handlers
