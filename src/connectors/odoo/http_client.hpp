#pragma once
// The HTTP exchange both Odoo transports need: one request in, one complete
// response out. An interface so tests can script answers; the libcurl
// implementation keeps connections alive between calls.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connectors/odoo/options.hpp"
#include "util/secret.hpp"

namespace visor::odoo {

struct HttpRequest {
  std::string method = "POST";  // "POST" or "GET"
  std::string url;
  std::string content_type;     // POST only, e.g. "application/json"
  std::string body;             // POST only
  /// Sent as "Authorization: bearer <key>"; kept as a Secret until the wire.
  std::optional<Secret> bearer;
  /// Other headers (never secrets: they are ordinary strings).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Whether the server may safely receive this request twice. libcurl
  /// silently re-sends a request whose kept-alive connection turns out to be
  /// dead before any answer byte — even after the server ran it. So a request
  /// that is not replay-safe (a create, a chatter post) always goes over a
  /// fresh connection, where no such re-send happens.
  bool replay_safe = false;
};

/// A complete HTTP response, whatever its status; only the headers Odoo's
/// clients act on are kept.
struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string www_authenticate;
  std::string location;
  std::string date;  // the server's clock ("Tue, 01 Jan 2030 10:00:00 GMT")
  std::string body;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};
  bool verify_tls = true;
  std::string ca_file;
  std::string proxy;
  std::size_t max_response_bytes = 256u * 1024 * 1024;
  /// Idle connections kept for reuse; more may be open during concurrent calls.
  std::size_t max_idle_connections = 4;
};

HttpClientOptions http_client_options(const ConnectionOptions& options);

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends `request` and waits for the whole response. Throws
  /// OdooError(Kind::transport) when no complete response arrived (refused,
  /// DNS, TLS, timeout, dropped connection) and OdooError(Kind::protocol)
  /// when the body exceeds max_response_bytes. Thread-safe.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

/// The libcurl client. TLS peers are verified unless told otherwise,
/// redirects are not followed (a POST must not silently become a GET), and
/// only http/https URLs are accepted.
std::unique_ptr<HttpClient> make_curl_http_client(const HttpClientOptions& options);

}  // namespace visor::odoo
