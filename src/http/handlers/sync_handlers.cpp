// The CMMS connection and the sync's administration: connector settings
// (the secret is write-only), connection test, the outbox (list, requeue) and
// conflicts (list, review). Status and "sync now" are in ops_handlers.cpp.
// Handlers parse and serialise; the work is in sync/admin.hpp and the engine.
#include <charconv>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "http/handlers/routes.hpp"
#include "sync/admin.hpp"
#include "sync/engine.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

sync::Engine& engine(Call& call) {
  if (!call.ctx.sync.engine) fail(ErrorCode::unavailable, "The sync engine is not running in this instance.");
  return *call.ctx.sync.engine;
}

sync::AdminActor actor(const Call& call) {
  const auto c = call.caller();
  return sync::AdminActor{c.actor.user, c.label, c.remote_addr};
}

int limit_param(const Call& call) {
  const auto text = call.req.query("limit");
  if (!text) return 100;
  int v = 0;
  const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || p != text->data() + text->size() || v < 1 || v > 1000)
    invalid("limit must be between 1 and 1000.");
  return v;
}

std::chrono::seconds seconds(std::int64_t v) { return std::chrono::seconds(v); }

// The body of PUT /connector (and of POST /connector/test, which tests
// settings before they are saved).
sync::ConnectorUpdate parse_update(const json::object& body) {
  api::reject_unknown(body, {"url", "database", "login", "secret", "protocol", "poll_interval_seconds", "verify_tls",
                             "ca_file", "proxy", "timeout_seconds", "enabled"});
  sync::ConnectorUpdate u;
  if (const auto f = api::get_string(body, "url", 2000); f.present) u.url = api::required(f, "url");
  if (const auto f = api::get_string(body, "database", 200); f.present) u.database = f.value.value_or("");
  if (const auto f = api::get_string(body, "login", 200); f.present) u.login = f.value.value_or("");
  if (const auto f = api::get_string(body, "secret", 1000); f.present) u.secret = Secret(api::required(f, "secret"));
  if (const auto f = api::get_string(body, "protocol", 10); f.present) {
    const auto p = odoo::parse_protocol(api::required(f, "protocol"));
    if (!p) invalid("protocol must be auto, json2 or xmlrpc.");
    u.protocol = *p;
  }
  if (const auto f = api::get_int(body, "poll_interval_seconds", 1, 86400); f.present)
    u.poll_interval = f.value ? std::optional(seconds(*f.value)) : std::nullopt;
  if (const auto f = api::get_bool(body, "verify_tls"); f.present) u.verify_tls = api::required(f, "verify_tls");
  if (const auto f = api::get_string(body, "ca_file", 1000); f.present) u.ca_file = f.value.value_or("");
  if (const auto f = api::get_string(body, "proxy", 1000); f.present) u.proxy = f.value.value_or("");
  if (const auto f = api::get_int(body, "timeout_seconds", 1, 600); f.present)
    u.timeout = seconds(api::required(f, "timeout_seconds"));
  if (const auto f = api::get_bool(body, "enabled"); f.present) u.enabled = api::required(f, "enabled");
  return u;
}

http::Response get_connector(Call& call) {
  return json_response(200, sync::to_json(sync::get_connector(call.ctx.deps.store)));
}

http::Response put_connector(Call& call) {
  const sync::ConnectorUpdate u = parse_update(api::parse_object(call.req.body));
  auto& e = engine(call);
  const auto saved = sync::put_connector(call.ctx.deps.store, e.secret_box(), u, actor(call), call.ctx.deps.clock.now());
  e.wake();  // reconnect with the new settings now
  return json_response(200, sync::to_json(saved));
}

http::Response test_connector(Call& call) {
  auto& e = engine(call);
  std::optional<odoo::ConnectionOptions> options;
  if (!call.req.body.empty()) {
    // Settings not saved yet, merged over the stored ones (the stored secret
    // is used when none is given).
    const sync::ConnectorUpdate u = parse_update(api::parse_object(call.req.body));
    auto& store = call.ctx.deps.store;
    options = store.read_value([&](storage::Tx& tx) {
      sync::ConnectorSettings s = sync::load_connector(tx);
      if (u.url) s.url = *u.url;
      if (u.database) s.database = *u.database;
      if (u.login) s.login = *u.login;
      if (u.protocol) s.protocol = *u.protocol;
      if (u.verify_tls) s.verify_tls = *u.verify_tls;
      if (u.ca_file) s.ca_file = *u.ca_file;
      if (u.proxy) s.proxy = *u.proxy;
      if (u.timeout) s.timeout = *u.timeout;
      Secret secret;
      if (u.secret) {
        secret = *u.secret;
      } else if (auto stored = sync::load_connection(tx, e.secret_box())) {
        secret = stored->secret;
      }
      return sync::to_options(s, secret);
    });
    if (const auto problems = options->problems(); !problems.empty()) invalid(problems.front());
  }
  return json_response(200, e.test_connection(options));
}

std::optional<storage::OutboxStatus> status_param(const Call& call) {
  const auto text = call.req.query("status");
  if (!text || text->empty()) return std::nullopt;
  const auto s = storage::parse_outbox_status(*text);
  if (!s) invalid("status must be pending, delivered or failed.");
  return s;
}

http::Response list_outbox(Call& call) {
  for (const auto& [key, value] : call.req.query_pairs())
    if (key != "status" && key != "limit") invalid("Unknown query parameter '" + key + "' (status, limit).");
  json::array items;
  for (const auto& m : sync::list_outbox(call.ctx.deps.store, status_param(call), limit_param(call)))
    items.push_back(sync::to_json(m));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response requeue(Call& call) {
  sync::requeue(call.ctx.deps.store, call.id_param("id"), actor(call), call.ctx.deps.clock.now());
  if (call.ctx.sync.engine) call.ctx.sync.engine->wake();
  return status_only(204);
}

http::Response list_conflicts(Call& call) {
  bool unreviewed = false;
  for (const auto& [key, value] : call.req.query_pairs()) {
    if (key == "unreviewed") {
      if (value != "true" && value != "false") invalid("unreviewed must be true or false.");
      unreviewed = value == "true";
    } else if (key != "limit") {
      invalid("Unknown query parameter '" + key + "' (unreviewed, limit).");
    }
  }
  json::array items;
  for (const auto& c : sync::list_conflicts(call.ctx.deps.store, unreviewed, limit_param(call)))
    items.push_back(api::to_json(c));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response review_conflict(Call& call) {
  sync::review_conflict(call.ctx.deps.store, call.id_param("id"), actor(call), call.ctx.deps.clock.now());
  return status_only(204);
}

}  // namespace

void add_sync_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/connector", "connector.get", P::settings_admin, get_connector});
  r.push_back({Method::put, "/api/v1/connector", "connector.put", P::settings_admin, put_connector});
  r.push_back({Method::post, "/api/v1/connector/test", "connector.test", P::settings_admin, test_connector, false,
               Work::bulk});
  r.push_back({Method::get, "/api/v1/sync/outbox", "sync.outbox", P::sync_read, list_outbox});
  r.push_back({Method::post, "/api/v1/sync/outbox/{id}/requeue", "sync.outbox.requeue", P::sync_admin, requeue});
  r.push_back({Method::get, "/api/v1/sync/conflicts", "sync.conflicts", P::sync_read, list_conflicts});
  r.push_back(
      {Method::post, "/api/v1/sync/conflicts/{id}/review", "sync.conflicts.review", P::sync_admin, review_conflict});
}

}  // namespace visor::handlers
