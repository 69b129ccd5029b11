#include "client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <stdexcept>

namespace visor::apitest {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

int ms_left(Deadline d) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(d - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect() to the test server failed");
  }
  return fd;
}

// Sends everything; false when the peer closed first (e.g. it answered 413
// or 431 before reading the rest, which is allowed).
bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Appends what arrives; false on EOF, error or deadline.
bool read_some(int fd, std::string& buf, Deadline deadline) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, ms_left(deadline)) <= 0) return false;
  char chunk[16384];
  const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buf.append(chunk, static_cast<std::size_t>(n));
  return true;
}

struct Head {
  int status = 0;
  Headers headers;
};

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n…" (without the blank line).
Head parse_head(std::string_view head) {
  Head h;
  const auto eol = head.find("\r\n");
  const std::string_view status_line = head.substr(0, eol);
  if (status_line.size() >= 12) h.status = std::stoi(std::string(status_line.substr(9, 3)));
  std::string_view rest = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    h.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return h;
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (iequal(k, name)) return v;
  return std::nullopt;
}

// Decodes complete chunks from `raw` into `out`; returns true once the last
// (zero-size) chunk has been seen. Consumed bytes are removed from `raw`.
bool dechunk_into(std::string& raw, std::string& out) {
  while (true) {
    const auto eol = raw.find("\r\n");
    if (eol == std::string::npos) return false;
    const std::size_t size = std::stoul(raw.substr(0, eol), nullptr, 16);
    if (size == 0) return true;
    if (raw.size() < eol + 2 + size + 2) return false;
    out.append(raw, eol + 2, size);
    raw.erase(0, eol + 2 + size + 2);
  }
}

}  // namespace

std::optional<std::string> Reply::header(std::string_view name) const { return find_header(headers, name); }

boost::json::value Reply::json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) return nullptr;
  return v;
}

bool Reply::is_problem() const {
  const auto type = header("Content-Type");
  return type && type->rfind("application/problem+json", 0) == 0;
}

std::string Reply::detail() const {
  const boost::json::value v = json();
  if (!v.is_object()) return "";
  const auto* d = v.as_object().if_contains("detail");
  return d && d->is_string() ? std::string(d->get_string()) : "";
}

std::string Reply::describe() const {
  return std::to_string(status) + " " + (body.size() > 600 ? body.substr(0, 600) + "…" : body);
}

Reply send_raw(std::uint16_t port, std::string_view bytes, Deadline deadline) {
  const int fd = connect_to(port);
  send_all(fd, bytes);
  std::string buf;
  Reply reply;
  std::size_t head_end = std::string::npos;
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (!read_some(fd, buf, deadline)) {
      ::close(fd);
      return reply;
    }
  }
  Head head = parse_head(std::string_view(buf).substr(0, head_end));
  std::string rest = buf.substr(head_end + 4);
  const bool no_body = head.status == 204 || head.status == 304 || bytes.rfind("HEAD ", 0) == 0;
  const auto length = find_header(head.headers, "Content-Length");
  const auto encoding = find_header(head.headers, "Transfer-Encoding");
  bool complete = no_body;
  if (!no_body && length) {
    const std::size_t n = std::stoul(*length);
    while (rest.size() < n && read_some(fd, rest, deadline)) {
    }
    complete = rest.size() >= n;
    reply.body = rest.substr(0, n);
  } else if (!no_body && encoding && iequal(*encoding, "chunked")) {
    while (!(complete = dechunk_into(rest, reply.body)) && read_some(fd, rest, deadline)) {
    }
  } else if (!no_body) {
    while (read_some(fd, rest, deadline)) {
    }
    reply.body = rest;
    complete = true;
  }
  ::close(fd);
  if (!complete) return Reply{};
  reply.status = head.status;
  reply.headers = std::move(head.headers);
  // Nothing a client sends may make the server fail: every suite fails on a 500.
  if (reply.status == 500 || reply.status >= 502 && reply.status != 503)
    ADD_FAILURE() << "the server answered " << reply.describe() << "\nto: " << bytes.substr(0, 300);
  return reply;
}

Reply request(std::uint16_t port, std::string_view method, std::string_view target, const Headers& headers,
              std::string_view body) {
  std::string text;
  // The Host a browser sends: address and port.
  text.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(std::to_string(port));
  text.append("\r\nConnection: close\r\n");
  bool has_length = false;
  for (const auto& [k, v] : headers) {
    text.append(k).append(": ").append(v).append("\r\n");
    has_length = has_length || iequal(k, "Content-Length");
  }
  if (!has_length && (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT"))
    text.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  text.append("\r\n").append(body);
  return send_raw(port, text);
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

EventStream::EventStream(std::uint16_t port, std::string_view target, const Headers& headers) {
  fd_ = connect_to(port);
  std::string text;
  text.append("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(std::to_string(port));
  text.append("\r\nAccept: text/event-stream\r\n");
  for (const auto& [k, v] : headers) text.append(k).append(": ").append(v).append("\r\n");
  text.append("\r\n");
  send_all(fd_, text);
  const Deadline deadline = within(std::chrono::seconds(5));
  std::size_t head_end = std::string::npos;
  while ((head_end = raw_.find("\r\n\r\n")) == std::string::npos) {
    if (!read_some(fd_, raw_, deadline)) return;
  }
  const Head head = parse_head(std::string_view(raw_).substr(0, head_end));
  status_ = head.status;
  const auto encoding = find_header(head.headers, "Transfer-Encoding");
  chunked_ = encoding && iequal(*encoding, "chunked");
  raw_.erase(0, head_end + 4);
  dechunk();
}

EventStream::~EventStream() {
  if (fd_ >= 0) ::close(fd_);
}

void EventStream::dechunk() {
  if (!chunked_) {
    data_ += raw_;
    raw_.clear();
    return;
  }
  dechunk_into(raw_, data_);
}

bool EventStream::fill(Deadline deadline) {
  if (!read_some(fd_, raw_, deadline)) return false;
  dechunk();
  return true;
}

std::optional<std::string> EventStream::wait_for(std::string_view needle, Deadline deadline) {
  while (data_.find(needle) == std::string::npos) {
    if (!fill(deadline)) return std::nullopt;
  }
  return data_;
}

bool EventStream::wait_closed(Deadline deadline) {
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms_left(deadline)) <= 0) return false;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;  // end of stream, or reset
    raw_.append(chunk, static_cast<std::size_t>(n));
    dechunk();
  }
}

}  // namespace visor::apitest
