#include "http/handlers/routes.hpp"

#include <charconv>
#include <stdexcept>

#include <boost/json/serialize.hpp>

#include "auth/throttle.hpp"
#include "http/origin.hpp"
#include "http/problem.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace {

std::string_view method_name(http::Method m) {
  switch (m) {
    case http::Method::get: return "GET";
    case http::Method::head: return "HEAD";
    case http::Method::post: return "POST";
    case http::Method::put: return "PUT";
    case http::Method::patch: return "PATCH";
    case http::Method::delete_: return "DELETE";
    case http::Method::options: return "OPTIONS";
  }
  return "GET";
}

std::optional<std::string_view> bearer(const http::Request& req) {
  const auto header = req.header("Authorization");
  if (!header || header->size() < 7) return std::nullopt;
  const std::string_view scheme = header->substr(0, 7);
  if (scheme != "Bearer " && scheme != "bearer ") return std::nullopt;
  return header->substr(7);
}

bool unsafe(http::Method m) { return m != http::Method::get && m != http::Method::head && m != http::Method::options; }

// Login CSRF and cross-site form posts: a browser request that would ride on
// the session cookie, sign someone in or post a public form must come from
// Visor's own pages. Requests without a cookie (glasses, scripts) are not
// browsers acting on someone's behalf and pass.
void check_same_origin(const ApiContext& ctx, const ApiRoute& route, const http::Request& req,
                       const auth::Credentials& credentials) {
  if (!unsafe(req.method)) return;
  const bool ambient = credentials.session_cookie && !credentials.bearer;
  if (!ambient && route.permission != auth::Permission::public_access) return;
  if (const auto reason = http::cross_site_reason(req, ctx.public_url))
    fail(ErrorCode::forbidden, "Cross-site requests are refused (" + *reason + "). Use Visor's own pages.");
}

// Every body but a photo is JSON, and says so: a form or text/plain post
// (which a page on another site can send without asking) never reaches a
// handler. UTF-8 is the only charset JSON has (RFC 8259).
void check_body_type(const ApiRoute& route, const http::Request& req) {
  if (route.upload || req.body.empty()) return;
  const auto content_type = req.header("Content-Type");
  const std::string type = content_type ? http::media_type(*content_type) : std::string();
  if (type != "application/json")
    fail(ErrorCode::unsupported_media, "The request body must be JSON, sent with Content-Type: application/json" +
                                           std::string(type.empty() ? "." : " (not " + type.substr(0, 60) + ")."));
  const std::string cs = http::charset(*content_type);
  if (!cs.empty() && cs != "utf-8")
    fail(ErrorCode::unsupported_media, "JSON bodies are UTF-8; charset=" + cs.substr(0, 40) + " is not accepted.");
}

// The same-origin check, authentication, the permission check and CSRF, the
// body's media type and the query, then the handler.
http::Response guarded(ApiContext& ctx, const ApiRoute& route, http::Request& req) {
  Call call{req, ctx, std::nullopt};
  auth::Credentials credentials;
  credentials.session_cookie = session_cookie(req, ctx.auth.options().cookie_name);
  credentials.bearer = bearer(req);
  check_same_origin(ctx, route, req, credentials);
  if (credentials.session_cookie || credentials.bearer) call.principal = ctx.auth.authenticate(credentials);
  if (call.principal)
    call.credential = call.principal->via == auth::Principal::Via::session ? credentials.session_cookie
                                                                          : credentials.bearer;
  if (route.permission != auth::Permission::public_access) {
    std::optional<Actor> actor;
    if (call.principal) actor = call.principal->actor();
    if (!actor && (credentials.session_cookie || credentials.bearer))
      fail(ErrorCode::unauthenticated, "Your session has expired or the device was revoked; sign in again.");
    auth::require(actor, route.permission);
    ctx.auth.check_csrf(*call.principal, method_name(req.method), req.header("X-CSRF-Token"));
  }
  check_body_type(route, req);
  call.query = api::Query(req.query_pairs(), route.query);
  return route.handler(call);
}

// The same on an I/O thread (Request::quick): the credential must be in the
// authenticator's cache, else the request goes to its pool (which also words
// every refusal that needs the store).
http::Response guarded_quick(ApiContext& ctx, const ApiRoute& route, http::Request& req) {
  auth::Credentials credentials;
  credentials.session_cookie = session_cookie(req, ctx.auth.options().cookie_name);
  credentials.bearer = bearer(req);
  auto known = ctx.auth.authenticate_cached(credentials);
  if (!known) return http::Response::defer();
  check_same_origin(ctx, route, req, credentials);
  Call call{req, ctx, std::move(*known)};
  if (call.principal)
    call.credential = call.principal->via == auth::Principal::Via::session ? credentials.session_cookie
                                                                          : credentials.bearer;
  if (route.permission != auth::Permission::public_access) {
    std::optional<Actor> actor;
    if (call.principal) actor = call.principal->actor();
    if (!actor) return http::Response::defer();  // the full path words the refusal
    auth::require(actor, route.permission);
    ctx.auth.check_csrf(*call.principal, method_name(req.method), req.header("X-CSRF-Token"));
  }
  check_body_type(route, req);
  call.query = api::Query(req.query_pairs(), route.query);
  return route.handler(call);
}

http::Handler guard(ApiContext& ctx, const ApiRoute& route) {
  if (route.work == Work::io_thread) {
    // Answered on an I/O thread: no credential is even looked at (resolving
    // one may read the store), so only public routes may run there.
    if (route.permission != auth::Permission::public_access)
      throw std::logic_error("route " + route.name + " runs on the I/O thread but is not public");
    return [&ctx, route](http::Request& req) -> http::Response {
      Call call{req, ctx, std::nullopt};
      check_body_type(route, req);
      call.query = api::Query(req.query_pairs(), route.query);
      return route.handler(call);
    };
  }
  return [&ctx, route](http::Request& req) -> http::Response {
    try {
      if (req.quick) return guarded_quick(ctx, route, req);
      return guarded(ctx, route, req);
    } catch (const auth::RateLimited& e) {
      // The http layer maps other errors; only here is the wait known.
      return http::problem(e, req, e.retry_after());
    }
  };
}

}  // namespace

std::optional<std::string_view> session_cookie(const http::Request& req, std::string_view name) {
  const auto header = req.header("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return std::nullopt;
}

services::Caller Call::caller() const {
  if (!principal) return services::Caller{Actor{UserId{0}, Role::technician, std::nullopt}, "public", req.remote_addr, std::nullopt};
  return services::Caller{principal->actor(), principal->audit_label(), req.remote_addr, principal->device};
}

std::string Call::param(std::string_view name) const { return std::string(req.params.at(name)); }

std::int64_t Call::id_param(std::string_view name) const {
  const std::string_view text = req.params.at(name);
  std::int64_t id = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || p != text.data() + text.size() || id <= 0)
    invalid("'" + std::string(text.substr(0, 40)) + "' is not a valid id: ids are positive whole numbers.");
  return id;
}

http::Response status_only(int status) {
  http::Response res = http::Response::no_content();
  res.status = status;
  return res;
}

http::Response not_modified(const std::string& etag) {
  http::Response res = status_only(304);
  res.set_header("ETag", etag);
  return res;
}

std::string minute_of(TimePoint now) {
  return std::to_string(std::chrono::floor<std::chrono::minutes>(now).time_since_epoch().count());
}

http::Response json_response(int status, const boost::json::value& body) {
  return json_response(status, boost::json::serialize(body));
}

http::Response json_response(int status, std::string serialized) {
  http::Response res = http::Response::json(status, std::move(serialized));
  res.set_header("Cache-Control", "no-store");
  return res;
}

std::optional<std::int64_t> if_match_version(const http::Request& req) {
  const auto header = req.header("If-Match");
  if (!header) return std::nullopt;
  std::string_view v = *header;
  if (v.substr(0, 2) == "W/") v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (!v.empty() && v.front() == 'v') v.remove_prefix(1);
  v = v.substr(0, v.find('.'));
  std::int64_t version = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc{} || p != v.data() + v.size() || version < 1)
    invalid("If-Match must be the ETag you received, e.g. \"v3\".");
  return version;
}

std::uint32_t work_flags(Work work) {
  switch (work) {
    case Work::api: return kApiWork;
    case Work::auth: return kAuthWork;
    case Work::bulk: return kBulkWork;
    case Work::io_thread: return 0;
  }
  return kApiWork;
}

std::vector<ApiRoute> api_routes() {
  std::vector<ApiRoute> routes;
  add_session_routes(routes);
  add_task_routes(routes);
  add_equipment_routes(routes);
  add_people_routes(routes);
  add_catalog_routes(routes);
  add_event_routes(routes);
  add_media_routes(routes);
  add_ops_routes(routes);
  add_report_routes(routes);
  add_planning_routes(routes);
  add_sync_routes(routes);
  add_procedure_routes(routes);
  add_reliability_routes(routes);
  add_triage_routes(routes);
  return routes;
}

void install(http::Router& router, ApiContext& ctx) {
  for (const ApiRoute& r : api_routes()) {
    http::Route route;
    route.method = r.method;
    route.pattern = r.pattern;
    route.name = r.name;
    route.handler = guard(ctx, r);
    route.flags = (r.upload ? kUploadRoute : 0) | work_flags(r.work) | (r.quick ? kQuickFirst : 0);
    router.add(std::move(route));
  }
  // Unknown paths under /api/ are the API's 404s: without this catch-all a
  // GET would fall through to the console's single-page fallback (200, HTML).
  http::Route unknown;
  unknown.method = http::Method::get;
  unknown.pattern = "/api/{rest*}";  // no work flag: answered on the I/O thread
  unknown.name = "api.unknown";
  unknown.handler = [](http::Request& req) {
    return http::problem(404, "Not Found", "No API endpoint at this path; see /api/v1/openapi.json.", req.path,
                         req.request_id);
  };
  router.add(std::move(unknown));
}

}  // namespace visor::handlers
