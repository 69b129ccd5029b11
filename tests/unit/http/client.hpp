#pragma once
// A deliberately dumb HTTP/1.1 client over POSIX sockets (and OpenSSL for
// TLS) so that tests control every byte on the wire — partial headers,
// oversize bodies, pipelining — and never share Beast code with the server.
// Every wait has a deadline; nothing sleeps.
#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace visor::http::test {

using Deadline = std::chrono::steady_clock::time_point;
inline Deadline in(std::chrono::milliseconds d) { return std::chrono::steady_clock::now() + d; }
inline Deadline soon() { return in(std::chrono::seconds(5)); }

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<std::string> header(std::string_view name) const;
  std::size_t count(std::string_view name) const;
};

class Conn {
 public:
  /// Connects to 127.0.0.1:port; with `tls`, completes a TLS handshake
  /// (no certificate verification: the test trusts its own throw-away cert).
  explicit Conn(std::uint16_t port, SSL_CTX* tls = nullptr);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  bool send(std::string_view bytes);
  /// Reads one response (Content-Length, chunked, or until close). nullopt
  /// if the connection closed or the deadline passed first.
  std::optional<Reply> read_reply(Deadline deadline = soon(), bool head_request = false);
  /// Reads until `needle` has arrived; returns everything read so far.
  std::optional<std::string> read_until(std::string_view needle, Deadline deadline = soon());
  /// True when the server closed the connection (EOF or reset) by the deadline.
  bool wait_closed(Deadline deadline = soon());
  /// Everything read so far and not yet consumed.
  const std::string& pending() const { return buf_; }
  int fd() const { return fd_; }

 private:
  // Appends what arrives to buf_; false on EOF, error or deadline.
  bool fill(Deadline deadline);
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buf_;
  bool eof_ = false;
};

/// One request on a fresh connection.
std::optional<Reply> fetch(std::uint16_t port, std::string_view method, std::string_view target,
                           std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = {});

/// "GET /x HTTP/1.1\r\nHost: t\r\n...\r\n\r\n" with Content-Length when a body is given.
std::string request_text(std::string_view method, std::string_view target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {},
                         std::string_view body = {}, bool close = false);

}  // namespace visor::http::test
