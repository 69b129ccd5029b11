// The CMMS connection and the sync's administration: connector settings
// (the secret is write-only), connection test, the outbox (list, requeue),
// conflicts (list, review) and deletions held by the mass-deletion guard
// (list, confirm). Status and "sync now" are in ops_handlers.cpp. Handlers
// parse, call one use case of sync/admin.hpp and serialise.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "http/handlers/routes.hpp"
#include "sync/admin.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

sync::SyncServices& services(Call& call) {
  if (!call.ctx.sync) fail(ErrorCode::unavailable, "The sync engine is not running in this instance.");
  return *call.ctx.sync;
}

sync::AdminActor actor(const Call& call) {
  const auto c = call.caller();
  return sync::AdminActor{c.actor.user, c.label, c.remote_addr};
}

int limit_param(const Call& call) { return int(call.query.integer("limit", 1, 1000).value_or(100)); }

std::chrono::seconds seconds(std::int64_t v) { return std::chrono::seconds(v); }

// The body of PUT /connector (and of POST /connector/test, which tests
// settings before they are saved).
sync::ConnectorUpdate parse_update(const json::object& body) {
  api::reject_unknown(body, {"url", "database", "login", "secret", "protocol", "poll_interval_seconds", "verify_tls",
                             "ca_file", "proxy", "timeout_seconds", "enabled", "deletion_guard_percent",
                             "deletion_guard_max"});
  sync::ConnectorUpdate u;
  if (const auto f = api::get_string(body, "url", 2000); f.present) u.url = api::required(f, "url");
  if (const auto f = api::get_string(body, "database", 200); f.present) u.database = f.value.value_or("");
  if (const auto f = api::get_string(body, "login", 200); f.present) u.login = f.value.value_or("");
  if (const auto f = api::get_string(body, "secret", 1000); f.present) u.secret = Secret(api::required(f, "secret"));
  // The connector's driver judges the protocol's value.
  if (const auto f = api::get_string(body, "protocol", 20); f.present) u.protocol = api::required(f, "protocol");
  if (const auto f = api::get_int(body, "poll_interval_seconds", 1, 86400); f.present)
    u.poll_interval = f.value ? std::optional(seconds(*f.value)) : std::nullopt;
  if (const auto f = api::get_bool(body, "verify_tls"); f.present) u.verify_tls = api::required(f, "verify_tls");
  if (const auto f = api::get_string(body, "ca_file", 1000); f.present) u.ca_file = f.value.value_or("");
  if (const auto f = api::get_string(body, "proxy", 1000); f.present) u.proxy = f.value.value_or("");
  if (const auto f = api::get_int(body, "timeout_seconds", 1, 600); f.present)
    u.timeout = seconds(api::required(f, "timeout_seconds"));
  if (const auto f = api::get_bool(body, "enabled"); f.present) u.enabled = api::required(f, "enabled");
  if (const auto f = api::get_int(body, "deletion_guard_percent", 1, 100); f.present)
    u.guard_share_percent = static_cast<int>(api::required(f, "deletion_guard_percent"));
  if (const auto f = api::get_int(body, "deletion_guard_max", 1, 1000000); f.present)
    u.guard_max_records = static_cast<int>(api::required(f, "deletion_guard_max"));
  return u;
}

http::Response get_connector(Call& call) {
  return json_response(200, sync::to_json(sync::get_connector(services(call))));
}

http::Response put_connector(Call& call) {
  const sync::ConnectorUpdate u = parse_update(api::parse_object(call.req.body));
  return json_response(200, sync::to_json(sync::put_connector(services(call), u, actor(call))));
}

// With a body: settings not saved yet, merged over the stored ones.
http::Response test_connector(Call& call) {
  std::optional<sync::ConnectorUpdate> u;
  if (!call.req.body.empty()) u = parse_update(api::parse_object(call.req.body));
  return json_response(200, sync::test_connector(services(call), u));
}

std::optional<storage::OutboxStatus> status_param(const Call& call) {
  const auto text = call.query.text("status", 20);
  if (!text || text->empty()) return std::nullopt;
  const auto s = storage::parse_outbox_status(*text);
  if (!s) invalid("status must be pending, delivered or failed.");
  return s;
}

http::Response list_outbox(Call& call) {
  json::array items;
  for (const auto& m : sync::list_outbox(services(call), status_param(call), limit_param(call)))
    items.push_back(sync::to_json(m));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response requeue(Call& call) {
  sync::requeue(services(call), call.id_param("id"), actor(call));
  return status_only(204);
}

http::Response list_conflicts(Call& call) {
  const bool unreviewed = call.query.flag("unreviewed").value_or(false);
  json::array items;
  for (const auto& c : sync::list_conflicts(services(call), unreviewed, limit_param(call)))
    items.push_back(api::to_json(c));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response review_conflict(Call& call) {
  sync::review_conflict(services(call), call.id_param("id"), actor(call));
  return status_only(204);
}

http::Response list_held_deletions(Call& call) {
  json::array items;
  for (const auto& h : sync::held_deletions(services(call))) items.push_back(sync::to_json(h));
  return json_response(200, json::object{{"items", std::move(items)}});
}

// Body: {"model": "maintenance.request"} for one model, {} for all.
http::Response confirm_deletions(Call& call) {
  std::optional<std::string> model;
  if (!call.req.body.empty()) {
    const auto body = api::parse_object(call.req.body);
    api::reject_unknown(body, {"model"});
    if (const auto f = api::get_string(body, "model", 128); f.present) model = api::required(f, "model");
  }
  const std::size_t n = sync::confirm_deletions(services(call), model, actor(call));
  return json_response(200, json::object{{"confirmed", static_cast<std::int64_t>(n)}});
}

}  // namespace

void add_sync_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/connector", "connector.get", P::settings_admin, get_connector});
  r.push_back({Method::put, "/api/v1/connector", "connector.put", P::settings_admin, put_connector});
  r.push_back({Method::post, "/api/v1/connector/test", "connector.test", P::settings_admin, test_connector, {}, false,
               Work::bulk});
  r.push_back({Method::get, "/api/v1/sync/outbox", "sync.outbox", P::sync_read, list_outbox,
               {"status", "limit"}});
  r.push_back({Method::post, "/api/v1/sync/outbox/{id}/requeue", "sync.outbox.requeue", P::sync_admin, requeue});
  r.push_back({Method::get, "/api/v1/sync/conflicts", "sync.conflicts", P::sync_read, list_conflicts,
               {"unreviewed", "limit"}});
  r.push_back(
      {Method::post, "/api/v1/sync/conflicts/{id}/review", "sync.conflicts.review", P::sync_admin, review_conflict});
  r.push_back({Method::get, "/api/v1/sync/deletions", "sync.deletions", P::sync_read, list_held_deletions});
  r.push_back({Method::post, "/api/v1/sync/deletions/confirm", "sync.deletions.confirm", P::sync_admin,
               confirm_deletions});
}

}  // namespace visor::handlers
