#include "http/exchange.hpp"

#include <random>

#include "http/problem.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::http::detail {
namespace {

constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

bool token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n) {
    if (!token_char(c)) return false;
  }
  return true;
}

bool valid_value(std::string_view v) {
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

bool session_owned(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection");
}

}  // namespace

Response call_handler(const Handler& handler, Request& req) noexcept {
  try {
    try {
      return handler(req);
    } catch (const Error& e) {
      return problem(e, req);
    } catch (const std::exception& e) {
      log::error("http", "unhandled exception", {{"request_id", req.request_id}, {"what", e.what()}});
    } catch (...) {
      log::error("http", "unhandled non-standard exception", {{"request_id", req.request_id}});
    }
    return problem(500, "Internal Server Error",
                   "An unexpected error occurred. Quote the request id when reporting it.", req.path,
                   req.request_id);
  } catch (...) {
    // Building the problem itself failed (out of memory): the bare minimum.
    Response r;
    r.status = 500;
    return r;
  }
}

void add_security_headers(Headers& h, bool tls) {
  h.emplace_back("X-Content-Type-Options", "nosniff");
  h.emplace_back("Content-Security-Policy", std::string(kCsp));
  h.emplace_back("Referrer-Policy", "no-referrer");
  h.emplace_back("X-Frame-Options", "DENY");
  h.emplace_back("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()");
  if (tls) h.emplace_back("Strict-Transport-Security", "max-age=31536000");
}

void finalize(Response& res, const Request& req, bool tls) {
  bool valid = true;
  for (auto it = res.headers.begin(); it != res.headers.end();) {
    valid = valid && valid_name(it->first) && valid_value(it->second);
    it = session_owned(it->first) ? res.headers.erase(it) : it + 1;
  }
  if (res.status < 200 || res.status > 599) {
    valid = false;  // 1xx are the session's business; beyond 599 is not HTTP
  }
  if (!valid) {
    log::error("http", "handler produced an invalid status or header",
               {{"request_id", req.request_id}, {"status", std::to_string(res.status)}});
    res = problem(500, "Internal Server Error", "An unexpected error occurred.", req.path, req.request_id);
  }
  add_security_headers(res.headers, tls);
  res.headers.emplace_back("X-Request-Id", req.request_id);
}

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[v & 0xf];
    v >>= 4;
  }
  return id;
}

void access_log(const Request& req, int status, std::size_t bytes, std::chrono::microseconds elapsed) {
  if (log::level() > log::Level::info) return;
  const std::string status_s = std::to_string(status);
  const std::string bytes_s = std::to_string(bytes);
  const std::string us = std::to_string(elapsed.count());
  log::info("http", "request",
            {{"id", req.request_id},
             {"method", to_string(req.method)},
             {"path", req.path},
             {"status", status_s},
             {"bytes", bytes_s},
             {"us", us},
             {"remote", req.remote_addr}});
}

HttpMetrics::HttpMetrics(metrics::Registry& r)
    : open_connections(r.gauge("visor_http_open_connections", "Open HTTP connections.").get()),
      open_streams(r.gauge("visor_sse_open_streams", "Open server-sent event streams.").get()),
      requests_(r.counter("visor_http_requests_total", "HTTP requests by route, method and status.",
                          {"route", "method", "status"})),
      duration_(r.histogram("visor_http_request_duration_seconds",
                            "Time from the end of the request headers to the response written.", {"route"})) {}

void HttpMetrics::record(const Request& req, int status, std::chrono::microseconds elapsed, bool stream) {
  const std::string_view route = req.route.empty() ? std::string_view("unmatched") : req.route;
  char status_s[8];
  const int n = std::snprintf(status_s, sizeof status_s, "%d", status);
  requests_.with({route, to_string(req.method), std::string_view(status_s, static_cast<std::size_t>(n))}).inc();
  // A stream's lifetime is not a latency: only its requests are counted.
  if (!stream) duration_.with({route}).observe(static_cast<double>(elapsed.count()) / 1e6);
}

}  // namespace visor::http::detail
