#pragma once
// Private to session.cpp: one accepted connection and its I/O helpers,
// templated on the stream (plain TCP or TLS over TCP). Beast lives here and in
// session.cpp only.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <cerrno>
#include <sys/socket.h>

#include "http/server_state.hpp"

namespace visor::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = asio::ssl::stream<beast::tcp_stream>;

/// Completion token: co_await yields a tuple with the error code instead of
/// throwing — errors on untrusted connections are expected, not exceptional.
inline constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

template <class Stream>
inline constexpr bool is_tls = std::is_same_v<Stream, TlsStream>;

enum class Phase { idle, reading, handling, streaming };

template <class Stream>
class Connection final : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  template <class... Args>
  Connection(ServerState& s, Args&&... args)
      : server(s), stream(std::forward<Args>(args)...), wake_timer(stream.get_executor()) {}

  ServerState& server;
  Stream stream;
  beast::flat_buffer buffer;
  asio::steady_timer wake_timer;  // a stream sleeps on it between chunks
  std::string remote_addr;
  Phase phase = Phase::idle;  // read and written on the strand only
  bool draining = false;      // idem
  bool peer_gone = false;     // idem
  bool read_timed_out = false;  // idem: the body watchdog cancelled a read
  std::atomic<bool> woken{false};

  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

  void drain() override {
    asio::post(stream.get_executor(), [self = this->shared_from_this()] {
      self->draining = true;
      if (self->phase == Phase::idle) self->tcp().cancel();
      if (self->phase == Phase::streaming) self->wake_timer.cancel();
    });
  }

  void force_close() override {
    asio::post(stream.get_executor(), [self = this->shared_from_this()] {
      self->draining = true;
      self->tcp().close();
      self->wake_timer.cancel();
    });
  }

  /// A wake function for a StreamSource: safe from any thread and after the
  /// connection is gone. Coalesces bursts into one post.
  std::function<void()> waker() {
    return [weak = this->weak_from_this()] {
      auto self = weak.lock();
      if (!self || self->woken.exchange(true)) return;
      asio::post(self->stream.get_executor(), [self] { self->wake_timer.cancel(); });
    };
  }

  /// Notices the client closing (or sending anything) while a stream is
  /// quiet, without a read buffer: a readiness wait on the raw socket.
  /// Readiness can be stale — edge-triggered epoll may report the arrival
  /// of the request itself after it was read — so the socket is peeked
  /// before the stream is ended, and watched again when nothing is there.
  void watch_peer() {
    tcp().socket().async_wait(tcp::socket::wait_read, [self = this->shared_from_this()](boost::system::error_code ec) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec && !self->peer_has_spoken()) return self->watch_peer();
      self->peer_gone = true;
      self->wake_timer.cancel();
    });
  }

  /// True when the client sent bytes, closed or failed; false when nothing
  /// is waiting on the socket. Never blocks.
  bool peer_has_spoken() {
    char byte;
    const ssize_t n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
  }

  /// Cancels the pending read (without closing, unlike the stream's own
  /// expiry) if it has not completed within `limit`; the session then still
  /// answers. Uses the wake timer, idle while a request is read.
  void watch_read(std::chrono::milliseconds limit) {
    read_timed_out = false;
    wake_timer.expires_after(limit);
    wake_timer.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      self->read_timed_out = true;
      boost::system::error_code ignored;
      self->tcp().socket().cancel(ignored);
    });
  }

  /// Writes raw bytes with the write timeout; false on failure.
  asio::awaitable<bool> write_raw(std::string_view data) {
    tcp().expires_after(server.options.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(data.data(), data.size()), nothrow);
    tcp().expires_never();
    co_return !ec;
  }

  /// Half-closes and discards what the client still sends (bounded), so that
  /// an early error response is not lost to a TCP reset.
  asio::awaitable<void> close_lingering() {
    boost::system::error_code ec;
    tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    std::array<char, 4096> sink;
    std::size_t discarded = 0;
    tcp().expires_after(std::chrono::seconds(1));
    while (discarded < 256 * 1024) {
      auto [err, n] = co_await tcp().async_read_some(asio::buffer(sink), nothrow);
      if (err) break;
      discarded += n;
    }
    tcp().close();
  }
};

}  // namespace visor::http::detail
