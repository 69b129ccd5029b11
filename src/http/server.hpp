#pragma once
// The HTTP/1.1 server: a listener plus one coroutine per connection, on a
// pool of I/O threads (see docs/decisions/0001-http-threads.md).
//
// Everything a handler needs is in message.hpp; this header only configures
// and runs the server, and stays free of Asio and Beast so that the
// composition root compiles quickly.
//
// Every response gets the security headers (nosniff, CSP, Referrer-Policy,
// X-Frame-Options, Permissions-Policy; HSTS when TLS is on), `X-Request-Id`,
// and an access-log line (no query string: it may hold tokens). Handler
// exceptions become problem responses; nothing a client sends can crash the
// process.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "http/proxy.hpp"
#include "http/router.hpp"

namespace visor::metrics {
class Registry;
}
namespace visor {
class WorkPool;
}

namespace visor::http {

struct TlsOptions {
  std::string cert_file;  // PEM, the leaf first, then intermediates
  std::string key_file;   // PEM private key
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port, see Server::port()
  int threads = 0;            // I/O threads; 0: std::thread::hardware_concurrency()

  std::size_t max_header_bytes = 16 * 1024;     // request line + headers; beyond → 431
  std::size_t max_body_bytes = 1024 * 1024;     // beyond → 413
  std::size_t max_upload_bytes = 12 * 1024 * 1024;
  /// Which requests may carry up to max_upload_bytes (e.g.
  /// `router.flag_predicate(kUpload)`); unset: none.
  std::function<bool(Method, std::string_view path)> is_upload;
  /// Where the handler of (method, path) runs: a worker pool for anything
  /// that may block (store, hashing, images, exports), or the I/O thread
  /// itself when this returns null or is unset (cheap handlers: /healthz,
  /// static files). The session waits for a pooled handler without holding
  /// its thread and resumes on its own strand; when the pool's queue is
  /// full it answers 503 with `Retry-After` at once. Pools must outlive the
  /// server; stop() waits for the pool work of in-flight requests.
  std::function<WorkPool*(Method, std::string_view path)> pool_for;
  /// Routes whose handler is first tried on the I/O thread with
  /// `Request::quick` set (e.g. reads usually answered from a cache): it
  /// answers when it can without blocking, or defers to its pool. Saves the
  /// two thread hand-offs, which cost more than a cached answer itself.
  std::function<bool(Method, std::string_view path)> quick_first;

  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};  // from the first byte to the end of headers
  /// A body may take as long as it keeps arriving: each wait for more of it
  /// is at most body_idle_timeout, and once body_rate_grace has passed the
  /// average rate must stay at or above body_min_rate bytes per second (a
  /// 12 MB photo over a poor link is fine; a trickle is not). Either failure
  /// is answered 408 before the connection closes.
  std::chrono::milliseconds body_idle_timeout{std::chrono::seconds(15)};
  std::chrono::milliseconds body_rate_grace{std::chrono::seconds(10)};
  std::size_t body_min_rate = 4096;
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};    // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};   // per response (per chunk for streams)
  std::chrono::milliseconds heartbeat{std::chrono::seconds(15)};       // SSE comment when a stream is quiet
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};   // stop(): in-flight requests' grace
  /// On SIGTERM/SIGINT (stop_on_signals): `on_stopping` is called at once
  /// (e.g. /readyz answers 503, so a load balancer takes this instance out),
  /// the server keeps serving for `stop_delay`, then stops as stop() does.
  /// A second signal stops at once.
  std::function<void()> on_stopping;
  std::chrono::milliseconds stop_delay{0};

  /// When set the listener speaks HTTPS only (TLS 1.2+).
  std::optional<TlsOptions> tls;

  /// Peers whose X-Forwarded-For / X-Forwarded-Proto are believed: the
  /// client's address (access log, throttles, audit) and scheme (HSTS).
  TrustedProxies trusted_proxies;
};

class Server {
 public:
  /// `handler` sees every well-formed request (typically a Router's
  /// dispatch wrapped in middleware). `metrics` must outlive the server; the
  /// server records visor_http_requests_total{route,method,status},
  /// visor_http_request_duration_seconds{route}, visor_http_open_connections
  /// and visor_sse_open_streams.
  Server(ServerOptions options, Handler handler, metrics::Registry& metrics);
  /// Stops (as stop()) and joins the I/O threads.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Loads the TLS material, binds and listens, then returns. Throws
  /// std::runtime_error with a clear message (port in use, unreadable
  /// certificate …). Accepting begins once run() is called.
  void start();
  /// The bound port (useful with port 0). Valid after start().
  std::uint16_t port() const;
  /// Serves on `threads` threads (this one included) until stop() has
  /// completed. Calls start() first if needed.
  void run();
  /// Graceful stop, callable from any thread (also from a handler): stops
  /// accepting, closes idle keep-alive connections and streams, lets
  /// in-flight requests finish (their response says `Connection: close`) and
  /// closes whatever is left after drain_timeout. run() then returns.
  void stop();
  /// Calls stop() on SIGINT or SIGTERM. Call before run().
  void stop_on_signals();
  /// stop_on_signals() then run(): what main() calls.
  void run_until_signal();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace visor::http
