#pragma once
// Private to the server (server.cpp, session.cpp): the state that the
// listener and the sessions share. Includes Asio but not Beast.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/exchange.hpp"
#include "http/server.hpp"

namespace boost::asio::ssl {
class context;
}

namespace visor::http::detail {

/// What stop() needs from a live connection. Both calls only post work to
/// the connection's strand, so they are safe from any thread.
class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  /// Close now if idle between requests; end a stream; otherwise finish the
  /// current request and close after its response.
  virtual void drain() = 0;
  /// Close the socket whatever the connection is doing.
  virtual void force_close() = 0;
};

struct ServerState {
  ServerState(ServerOptions o, Handler h, metrics::Registry& registry)
      : options(std::move(o)), handler(std::move(h)), metrics(registry) {}

  ServerOptions options;
  Handler handler;
  HttpMetrics metrics;
  std::atomic<bool> stopping{false};
  /// Called (from a session's thread) when the last connection ends after
  /// stopping began.
  std::function<void()> on_drained;

  void add(ConnectionBase* c) {
    std::lock_guard lock(mutex_);
    connections_.insert(c);
  }
  void remove(ConnectionBase* c) {
    std::unique_lock lock(mutex_);
    connections_.erase(c);
    const bool drained = connections_.empty() && stopping.load();
    lock.unlock();
    if (drained && on_drained) on_drained();
  }
  /// Calls f(connection) under the registry lock; a connection stays
  /// registered (and alive) while its session runs.
  template <class F>
  void each(F&& f) {
    std::lock_guard lock(mutex_);
    for (auto* c : connections_) f(*c);
  }
  bool empty() {
    std::lock_guard lock(mutex_);
    return connections_.empty();
  }

 private:
  std::mutex mutex_;
  std::unordered_set<ConnectionBase*> connections_;

 public:
  // Declared last so that it is destroyed first: tearing down unfinished
  // sessions still finds the registry and metrics above alive.
  boost::asio::io_context ioc;
};

/// Starts the session coroutine for an accepted plain-TCP socket.
void spawn_session(ServerState& state, boost::asio::ip::tcp::socket socket);
/// Starts the session coroutine for an accepted socket that speaks TLS.
void spawn_tls_session(ServerState& state, boost::asio::ssl::context& tls, boost::asio::ip::tcp::socket socket);

}  // namespace visor::http::detail
