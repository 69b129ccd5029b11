#pragma once
// A small HTTP/1.1 client for the API suites, over plain POSIX sockets so
// that a test controls every byte it sends (NUL bytes, invalid UTF-8, huge
// headers) and never shares code with the server. One request per
// connection (`Connection: close`), except the SSE reader which keeps its
// connection open. Every wait has a deadline; nothing sleeps. Any 500 the
// server answers is a test failure, whatever the test expected.
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace visor::apitest {

using Headers = std::vector<std::pair<std::string, std::string>>;
using Deadline = std::chrono::steady_clock::time_point;
inline Deadline within(std::chrono::milliseconds d) { return std::chrono::steady_clock::now() + d; }

struct Reply {
  int status = 0;  // 0: no (complete) response arrived
  Headers headers;
  std::string body;

  /// First header with this name (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
  /// The body parsed as JSON (null when it is not JSON).
  boost::json::value json() const;
  /// The problem's `detail` ("" when the body is not a problem).
  std::string detail() const;
  /// True for `Content-Type: application/problem+json`.
  bool is_problem() const;
  /// "404 {…body…}" for assertion messages.
  std::string describe() const;
};

/// Sends `bytes` as they are to 127.0.0.1:port and reads one response.
Reply send_raw(std::uint16_t port, std::string_view bytes, Deadline deadline = within(std::chrono::seconds(10)));

/// Builds a request (Host, Connection: close, Content-Length when a body is
/// given) and sends it.
Reply request(std::uint16_t port, std::string_view method, std::string_view target, const Headers& headers = {},
              std::string_view body = {});

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view s);

/// A Server-Sent Events connection that stays open.
class EventStream {
 public:
  /// Connects and sends `GET target` with `headers`; reads the response head.
  EventStream(std::uint16_t port, std::string_view target, const Headers& headers);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  int status() const { return status_; }
  /// Reads until the (de-chunked) stream holds `needle`; returns everything
  /// received so far, or nullopt at the deadline.
  std::optional<std::string> wait_for(std::string_view needle, Deadline deadline);
  /// The de-chunked stream received so far.
  const std::string& received() const { return data_; }
  /// Reads (keeping what arrives) until the server closes the connection;
  /// false at the deadline.
  bool wait_closed(Deadline deadline);

 private:
  bool fill(Deadline deadline);
  void dechunk();
  int fd_ = -1;
  int status_ = 0;
  bool chunked_ = false;
  std::string raw_;   // bytes after the head, still chunk-framed
  std::string data_;  // payload
};

}  // namespace visor::apitest
