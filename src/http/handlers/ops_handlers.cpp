// Health, readiness, metrics, the OpenAPI document and CMMS sync status.
#include <boost/json/object.hpp>

#include "api/openapi.hpp"
#include "http/handlers/routes.hpp"
#include "http/problem.hpp"
#include "sync/admin.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

http::Response healthz(Call&) {
  http::Response res = http::Response::json(200, R"({"status":"ok"})");
  res.set_header("Cache-Control", "no-store");
  return res;
}

http::Response readyz(Call& call) {
  if (call.ctx.stopping && call.ctx.stopping->load()) {
    http::Response res = http::problem(503, "Service Unavailable", "This instance is stopping.", call.req.path,
                                       call.req.request_id);
    res.set_header("Retry-After", "1");
    return res;
  }
  if (!call.ctx.deps.store.healthy()) fail(ErrorCode::unavailable, "The database does not answer.");
  return json_response(200, json::object{{"status", "ready"}, {"store", call.ctx.deps.store.backend()}});
}

http::Response metrics(Call& call) {
  http::Response res = status_only(200);
  res.body = call.ctx.metrics.render();
  res.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  return res;
}

http::Response openapi(Call&) {
  http::Response res = http::Response::json(200, std::string(api::openapi_json()));
  res.set_header("Cache-Control", "public, max-age=300");
  return res;
}

http::Response sync_status(Call& call) {
  if (!call.ctx.sync) return json_response(200, json::object{{"configured", false}});
  return json_response(200, sync::status(*call.ctx.sync));
}

http::Response sync_now(Call& call) {
  if (!call.ctx.sync) fail(ErrorCode::conflict, "No CMMS connection is configured.");
  sync::sync_now(*call.ctx.sync);
  return json_response(202, json::object{{"status", "started"}});
}

// The security posture, as `visor doctor` prints it.
http::Response security(Call& call) {
  if (!call.ctx.posture) fail(ErrorCode::unavailable, "This instance cannot report its security posture.");
  const auto findings = services::assess(call.ctx.posture());
  return json_response(200, json::object{{"status", services::to_string(services::worst(findings))},
                                         {"findings", services::to_json(findings)}});
}

}  // namespace

void add_ops_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/healthz", "healthz", P::public_access, healthz, {}, false, Work::io_thread});
  r.push_back({Method::get, "/readyz", "readyz", P::public_access, readyz});
  r.push_back({Method::get, "/metrics", "metrics", P::public_access, metrics, {}, false, Work::io_thread});
  r.push_back({Method::get, "/api/v1/openapi.json", "openapi", P::public_access, openapi, {}, false, Work::io_thread});
  r.push_back({Method::get, "/api/v1/sync/status", "sync.status", P::sync_read, sync_status});
  r.push_back({Method::post, "/api/v1/sync/run", "sync.run", P::sync_admin, sync_now});
  r.push_back({Method::get, "/api/v1/admin/security", "admin.security", P::settings_admin, security});
}

}  // namespace visor::handlers
