#pragma once
// A real server on 127.0.0.1, ephemeral port, run on a background thread.
#include <chrono>
#include <atomic>
#include <functional>
#include <thread>

#include "http/server.hpp"
#include "util/metrics.hpp"

namespace visor::http::test {

inline ServerOptions test_options() {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  return o;
}

class TestServer {
 public:
  TestServer(ServerOptions options, Handler handler) : server(std::move(options), std::move(handler), registry) {
    server.start();
    thread_ = std::thread([this] {
      server.run();
      done_ = true;
    });
  }
  ~TestServer() {
    server.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::uint16_t port() const { return server.port(); }
  /// Waits (bounded) for run() to return after stop(); true if it did.
  bool join_within(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!run_returned() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    if (!run_returned()) return false;
    thread_.join();
    return true;
  }

  metrics::Registry registry;
  Server server;

 private:
  bool run_returned() const { return done_.load(); }
  std::atomic<bool> done_{false};
  std::thread thread_;
};

/// Polls `pred` until true or the deadline (for conditions that have no
/// notification, e.g. a counter another thread bumps).
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

}  // namespace visor::http::test
