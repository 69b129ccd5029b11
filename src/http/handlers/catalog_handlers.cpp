// Reference data (stages, teams, categories) and the audit log.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

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

void no_query(const Call& call) {
  if (!call.req.query_pairs().empty()) invalid("This endpoint takes no query parameters.");
}

http::Response stages(Call& call) {
  no_query(call);
  return json_response(200, items(call.ctx.deps.store.read_value([](storage::Tx& tx) { return tx.catalog().stages(); })));
}

http::Response teams(Call& call) {
  no_query(call);
  return json_response(200, items(call.ctx.deps.store.read_value([](storage::Tx& tx) { return tx.catalog().teams(); })));
}

http::Response categories(Call& call) {
  no_query(call);
  return json_response(200, items(call.ctx.deps.store.read_value([](storage::Tx& tx) { return tx.catalog().categories(); })));
}

std::int64_t number(const std::string& text, std::string_view name) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < 0) invalid(std::string(name) + " must be a number.");
  return v;
}

// A filter value, refused (not truncated) when longer than `max`.
std::string bounded(const std::string& text, std::string_view name, std::size_t max) {
  if (text.size() > max) invalid(std::string(name) + " must be at most " + std::to_string(max) + " characters.");
  return text;
}

http::Response audit(Call& call) {
  storage::AuditQuery q;
  for (const auto& [k, v] : call.req.query_pairs()) {
    if (k == "actor") q.actor = UserId{number(v, k)};
    else if (k == "action") q.action = bounded(v, k, 100);
    else if (k == "target_type") q.target_type = bounded(v, k, 50);
    else if (k == "target_id") q.target_id = bounded(v, k, 50);
    else if (k == "since" || k == "until") {
      const auto t = parse_iso8601(v);
      if (!t) invalid(k + " must be an ISO 8601 date-time.");
      (k == "since" ? q.since : q.until) = t;
    } else if (k == "before") q.before_id = number(v, k);
    else if (k == "limit") {
      q.limit = int(number(v, k));
      if (q.limit < 1 || q.limit > 1000) invalid("limit must be between 1 and 1000.");
    } else invalid("Unknown query parameter '" + k + "'. Use actor, action, target_type, target_id, since, until, before or limit.");
  }
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
  r.push_back({Method::get, "/api/v1/audit", "audit.list", P::audit_read, audit});
}

}  // namespace visor::handlers
