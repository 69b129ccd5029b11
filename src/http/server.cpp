// The listener, the I/O threads and the graceful stop. Sessions are in
// session.cpp; this file includes Asio but not Beast.
#include "http/server.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <csignal>
#include <stdexcept>
#include <thread>

#include "http/server_state.hpp"
#include "util/log.hpp"

namespace visor::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// Mozilla's "intermediate" TLS 1.2 suites (TLS 1.3 suites are OpenSSL's
// defaults, all good): forward secrecy and AEAD only.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::unique_ptr<asio::ssl::context> make_tls_context(const TlsOptions& tls) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                   asio::ssl::context::single_dh_use);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_cipher_list(native, kTls12Ciphers);
  // Idle TLS connections (streams) give their 2 × 16 KiB OpenSSL buffers back.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(tls.cert_file, ec);
  if (ec) throw std::runtime_error("TLS: cannot load the certificate chain from '" + tls.cert_file + "': " + ec.message());
  ctx->use_private_key_file(tls.key_file, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("TLS: cannot load the private key from '" + tls.key_file + "': " + ec.message());
  if (SSL_CTX_check_private_key(native) != 1) {
    throw std::runtime_error("TLS: the private key in '" + tls.key_file + "' does not match the certificate");
  }
  return ctx;
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler h, metrics::Registry& m) : state(std::move(o), std::move(h), m) {
    state.on_drained = [this] { asio::post(control, [this] { drain_timer.cancel(); }); };
  }

  detail::ServerState state;
  // The acceptor, the drain timer and the signal set are only touched on
  // this strand.
  asio::strand<asio::io_context::executor_type> control{asio::make_strand(state.ioc)};
  tcp::acceptor acceptor{control};
  asio::steady_timer drain_timer{control};
  asio::steady_timer delay_timer{control};  // stop_delay after a signal
  std::unique_ptr<asio::signal_set> signals;
  std::unique_ptr<asio::ssl::context> tls;
  std::uint16_t port = 0;
  bool started = false;
  std::mutex run_mutex;
  std::condition_variable run_done;
  bool running = false;

  void start() {
    if (started) return;
    const ServerOptions& o = state.options;
    if (o.tls) tls = make_tls_context(*o.tls);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(o.host, ec);
    if (ec) throw std::runtime_error("HTTP: '" + o.host + "' is not an IP address");
    const tcp::endpoint endpoint(address, o.port);
    const auto fail = [&](std::string_view what) {
      throw std::runtime_error("HTTP: cannot " + std::string(what) + " " + o.host + ":" + std::to_string(o.port) +
                               ": " + ec.message());
    };
    acceptor.open(endpoint.protocol(), ec);
    if (ec) fail("open a socket for");
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) fail("set SO_REUSEADDR on");
    acceptor.bind(endpoint, ec);
    if (ec) fail("bind");
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) fail("listen on");
    port = acceptor.local_endpoint().port();
    started = true;
    asio::co_spawn(control, accept_loop(), asio::detached);
    log::info("http", "listening", {{"address", o.host}, {"port", std::to_string(port)}, {"tls", o.tls ? "on" : "off"}});
  }

  asio::awaitable<void> accept_loop() {
    asio::steady_timer backoff(co_await asio::this_coro::executor);
    while (!state.stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::any_io_executor(asio::make_strand(state.ioc)), nothrow);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        // Out of file descriptors or a transient network error: do not spin.
        log::warn("http", "accept failed", {{"error", ec.message()}});
        backoff.expires_after(std::chrono::milliseconds(100));
        co_await backoff.async_wait(nothrow);
        continue;
      }
      if (state.stopping) co_return;
      socket.set_option(tcp::no_delay(true), ec);
      if (tls) detail::spawn_tls_session(state, *tls, std::move(socket));
      else detail::spawn_session(state, std::move(socket));
    }
  }

  void stop() {
    if (state.stopping.exchange(true)) return;
    asio::post(control, [this] {
      boost::system::error_code ec;
      acceptor.close(ec);
      if (signals) signals->cancel(ec);
      delay_timer.cancel();
      state.each([](detail::ConnectionBase& c) { c.drain(); });
      if (state.empty()) return;
      drain_timer.expires_after(state.options.drain_timeout);
      drain_timer.async_wait([this](boost::system::error_code err) {
        if (err) return;
        log::warn("http", "drain timeout: closing the remaining connections");
        state.each([](detail::ConnectionBase& c) { c.force_close(); });
      });
    });
  }

  void run() {
    if (!state.stopping) start();  // may throw: then run() never counted as running
    {
      std::lock_guard lock(run_mutex);
      running = true;
    }
    int n = state.options.threads > 0 ? state.options.threads : static_cast<int>(std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (int i = 1; i < n; ++i) pool.emplace_back([this] { run_loop(); });
    run_loop();
    for (auto& t : pool) t.join();
    log::info("http", "stopped");
    std::lock_guard lock(run_mutex);
    running = false;
    run_done.notify_all();
  }

  // Handlers and sessions catch their own errors; this is the last guard so
  // that a bug costs one operation, not the process.
  void run_loop() {
    while (true) {
      try {
        state.ioc.run();
        return;
      } catch (const std::exception& e) {
        log::error("http", "I/O thread caught an exception", {{"what", e.what()}});
      }
    }
  }
};

Server::Server(ServerOptions options, Handler handler, metrics::Registry& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), metrics)) {}

Server::~Server() {
  stop();
  std::unique_lock lock(impl_->run_mutex);
  impl_->run_done.wait(lock, [this] { return !impl_->running; });
}

void Server::start() { impl_->start(); }
std::uint16_t Server::port() const { return impl_->port; }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->stop(); }

void Server::stop_on_signals() {
  impl_->signals = std::make_unique<asio::signal_set>(impl_->control, SIGINT, SIGTERM);
  impl_->signals->async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    const ServerOptions& o = impl_->state.options;
    log::info("http", "signal received, stopping",
              {{"signal", std::to_string(signal)}, {"delay_ms", std::to_string(o.stop_delay.count())}});
    if (o.on_stopping) o.on_stopping();
    if (o.stop_delay.count() <= 0) return stop();
    // Serving on while the load balancer notices; a second signal ends it.
    impl_->signals->async_wait([this](boost::system::error_code err, int) {
      if (!err) stop();
    });
    impl_->delay_timer.expires_after(o.stop_delay);
    impl_->delay_timer.async_wait([this](boost::system::error_code err) {
      if (!err) stop();
    });
  });
}

void Server::run_until_signal() {
  stop_on_signals();
  run();
}

}  // namespace visor::http
