#pragma once
// A loopback HTTP/1.1 server for the HTTP client tests: port 0, one thread
// per connection, keep-alive, and misbehaviour on demand (drop the
// connection, never answer, send half a body).
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace visor::odoo::testing {

class TinyServer {
 public:
  enum class Action { respond, respond_then_close, close, hang };
  struct Reply {
    Action action = Action::respond;
    std::string raw;  // the bytes to send, status line to body (respond*)
  };
  /// Gets the request head (request line and headers) and the body.
  using Handler = std::function<Reply(const std::string& head, const std::string& body)>;

  explicit TinyServer(Handler handler);
  ~TinyServer();
  TinyServer(const TinyServer&) = delete;
  TinyServer& operator=(const TinyServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }

  static Reply respond(int status, std::string content_type, std::string body, std::string extra_headers = {});

 private:
  void accept_loop();
  void serve(int fd);
  bool wait_readable(int fd) const;

  Handler handler_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
  std::vector<int> fds_;
  std::thread acceptor_;
};

/// A port on 127.0.0.1 that nobody listens on (bound, then released).
int unused_port();

}  // namespace visor::odoo::testing
