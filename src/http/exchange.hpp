#pragma once
// Private to the server: what happens to one request/response pair apart
// from the socket — invoking the handler safely, the headers every response
// gets, the access log and the metrics. Free of Asio/Beast so that it can be
// unit-tested and compiled cheaply.
#include <chrono>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "http/router.hpp"
#include "util/metrics.hpp"

namespace visor::http::detail {

/// Runs the handler; visor::Error becomes its problem response, any other
/// exception a 500 problem (what() goes to the error log, never to the
/// client).
Response call_handler(const Handler& handler, Request& req) noexcept;

/// Adds the security headers (HSTS only with TLS) and X-Request-Id, drops
/// headers the session owns (Content-Length, Transfer-Encoding, Connection),
/// and replaces the response by a 500 problem if its status is not 200–599
/// or a header name or value could split the header block (CR, LF, NUL) or
/// is not a token.
void finalize(Response& res, const Request& req, bool tls);

/// The security headers alone, for responses built without a Request.
void add_security_headers(Headers& headers, bool tls);

/// 16 random hex characters.
std::string new_request_id();

/// The access-log line: id, method, path (never the query), status, bytes,
/// µs, remote address.
void access_log(const Request& req, int status, std::size_t bytes, std::chrono::microseconds elapsed);

/// The server's metric families, registered once per Server.
class HttpMetrics {
 public:
  explicit HttpMetrics(metrics::Registry& registry);
  void record(const Request& req, int status, std::chrono::microseconds elapsed, bool stream);
  metrics::Gauge& open_connections;
  metrics::Gauge& open_streams;

 private:
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& duration_;
};

}  // namespace visor::http::detail
