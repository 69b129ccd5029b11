// One coroutine per connection (after Beast's example/http/server/awaitable):
// read a request within the limits and timeouts, hand it to the handler,
// write the response, repeat while keep-alive; or turn into a stream.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/body.hpp"
#include "http/connection.hpp"
#include "http/date.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/stream.hpp"
#include "http/validate.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::http::detail {
namespace bhttp = beast::http;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kFirstRead = 2048;
constexpr std::size_t kMaxCoalesced = 64 * 1024;
constexpr std::size_t kBodyPart = 64 * 1024;

// What the connection loop does after one exchange.
struct Outcome {
  bool keep_alive = false;
  std::shared_ptr<StreamSource> stream;
  Request request;  // for the stream's access-log line (body and headers dropped)
  SteadyClock::time_point started;
};

std::chrono::microseconds since(SteadyClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - t);
}

std::string now_http_date() {
  return format_http_date(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// The request id the client sent if sane, else a fresh one.
std::string request_id_from(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto it = parser.get().find("X-Request-Id");
  if (it != parser.get().end() && sane_request_id(it->value())) return std::string(it->value());
  return new_request_id();
}

// Fills the Beast-free Request from the parsed head; on failure returns the
// status and detail of the problem to answer.
std::optional<std::pair<int, std::string_view>> build_request(const bhttp::request_header<>& head, Request& req) {
  const auto method = parse_method(head.method_string());
  if (!method) return std::pair{501, "This method is not supported."};
  req.method = *method;
  req.target = std::string(head.target());
  const std::size_t q = req.target.find('?');
  auto path = decode_path(std::string_view(req.target).substr(0, q));
  if (!path) return std::pair{400, "The request path is malformed or not allowed."};
  req.path = std::move(*path);
  if (q != std::string::npos) req.query_string = req.target.substr(q + 1);
  if (!valid_query(req.query_string)) return std::pair{400, "The query string is malformed."};
  req.headers.reserve(16);
  int hosts = 0;
  for (const auto& field : head) {
    req.headers.emplace_back(field.name_string(), field.value());
    if (field.name() == bhttp::field::host) ++hosts;
  }
  // RFC 9112 3.2: an HTTP/1.1 request has exactly one Host; never two.
  if (hosts > 1) return std::pair{400, "The request has more than one Host header."};
  if (hosts == 0 && head.version() >= 11) return std::pair{400, "An HTTP/1.1 request needs a Host header."};
  return std::nullopt;
}

// RFC 9112 6.3: a request whose Transfer-Encoding does not end in chunked
// has no reliable length (400); other codings than chunked are not
// implemented (501). Beast already rejects Content-Length with chunked.
std::optional<std::pair<int, std::string_view>> framing_problem(
    const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& head = parser.get();
  const auto te = head.find(bhttp::field::transfer_encoding);
  if (te == head.end()) return std::nullopt;
  if (!parser.chunked()) return std::pair{400, "Transfer-Encoding must end with chunked."};
  if (!iequals(te->value(), "chunked")) return std::pair{501, "Only the chunked transfer coding is supported."};
  return std::nullopt;
}

template <class Body>
void copy_headers(bhttp::response<Body>& out, const Response& res) {
  out.result(static_cast<unsigned>(res.status));
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  out.set(bhttp::field::date, now_http_date());
}

template <class Stream>
asio::awaitable<bool> write_response(Connection<Stream>& c, Response& res, bool head_only, bool keep_alive,
                                     unsigned version) {
  const bool no_body = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
  c.tcp().expires_after(c.server.options.write_timeout);
  boost::system::error_code ec;
  if (head_only || no_body) {
    bhttp::response<bhttp::empty_body> out;
    out.version(version);
    copy_headers(out, res);
    if (!no_body) out.content_length(res.body_source ? res.body_source->size() : res.body.size());
    out.keep_alive(keep_alive);
    std::tie(ec, std::ignore) = co_await bhttp::async_write(c.stream, out, nothrow);
  } else {
    bhttp::response<bhttp::string_body> out;
    out.version(version);
    copy_headers(out, res);
    out.body() = std::move(res.body);
    out.content_length(out.body().size());
    out.keep_alive(keep_alive);
    std::tie(ec, std::ignore) = co_await bhttp::async_write(c.stream, out, nothrow);
  }
  c.tcp().expires_never();
  co_return !ec;
}

// Sends a response whose body is produced while it is sent (body.hpp): the
// headers with its Content-Length, then one part at a time. Returns the body
// bytes sent and whether the response is complete; an incomplete one leaves
// the connection to be closed, so the client sees it cut short.
template <class Stream>
asio::awaitable<std::pair<std::uint64_t, bool>> write_body_source(Connection<Stream>& c, Response& res,
                                                                    const Request& req, bool keep_alive,
                                                                    unsigned version) {
  BodySource& source = *res.body_source;
  const std::uint64_t size = source.size();
  bhttp::response<bhttp::empty_body> out;
  out.version(version);
  copy_headers(out, res);
  out.content_length(size);
  out.keep_alive(keep_alive);
  bhttp::response_serializer<bhttp::empty_body> head(out);
  c.tcp().expires_after(c.server.options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write_header(c.stream, head, nothrow);
  c.tcp().expires_never();
  if (ec) co_return std::pair{std::uint64_t{0}, false};
  std::string part;
  std::uint64_t sent = 0;
  while (sent < size) {
    part.clear();
    try {
      source.next(part, std::size_t(std::min<std::uint64_t>(kBodyPart, size - sent)));
    } catch (const std::exception& e) {
      const auto* error = dynamic_cast<const Error*>(&e);
      log::error("http", "response body failed part-way; connection closed",
                 {{"request_id", req.request_id},
                  {"sent", std::to_string(sent)},
                  {"of", std::to_string(size)},
                  {"what", error && !error->internal().empty() ? error->internal() : std::string(e.what())}});
      co_return std::pair{sent, false};
    }
    if (part.empty() || part.size() > size - sent) {
      log::error("http", "response body source broke its size; connection closed", {{"request_id", req.request_id}});
      co_return std::pair{sent, false};
    }
    if (!co_await c.write_raw(part)) co_return std::pair{sent, false};
    sent += part.size();
  }
  co_return std::pair{sent, true};
}

// Answers a request that could not be handed to the handler, then closes.
template <class Stream>
asio::awaitable<void> reject(Connection<Stream>& c, Request& req, int status, std::string_view detail,
                             SteadyClock::time_point started) {
  if (req.request_id.empty()) req.request_id = new_request_id();
  req.remote_addr = c.remote_addr;
  Response res = problem(status, reason_phrase(status), detail, req.path, req.request_id);
  finalize(res, req, is_tls<Stream>);
  const std::size_t bytes = res.body.size();
  if (co_await write_response(c, res, false, false, 11)) co_await c.close_lingering();
  access_log(req, status, bytes, since(started));
  c.server.metrics.record(req, status, since(started), false);
}

// Reads the rest of the body for as long as it makes progress (see
// ServerOptions::body_idle_timeout). nullopt when complete; otherwise the
// status and detail to answer, or status 0 when the client went away.
template <class Stream>
asio::awaitable<std::optional<std::pair<int, std::string>>> read_body(
    Connection<Stream>& c, bhttp::request_parser<bhttp::string_body>& parser) {
  using Failure = std::optional<std::pair<int, std::string>>;
  const ServerOptions& opt = c.server.options;
  const auto begun = SteadyClock::now();
  std::uint64_t received = 0;
  c.tcp().expires_never();
  while (!parser.is_done()) {
    c.watch_read(opt.body_idle_timeout);
    auto [ec, n] = co_await bhttp::async_read_some(c.stream, c.buffer, parser, nothrow);
    c.wake_timer.cancel();
    received += n;
    if (ec == bhttp::error::body_limit) co_return Failure{{413, "The request body is too large."}};
    if (ec == asio::error::operation_aborted && c.read_timed_out) {
      const auto idle = std::chrono::duration_cast<std::chrono::seconds>(opt.body_idle_timeout).count();
      co_return Failure{{408, "The request body stopped arriving: nothing came for " + std::to_string(idle) +
                                  " seconds. Send it again."}};
    }
    if (ec == asio::error::eof || ec == bhttp::error::partial_message || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted || ec == bhttp::error::end_of_stream) {
      co_return Failure{{0, ""}};
    }
    if (ec) co_return Failure{{400, "The request body is malformed (" + ec.message() + ")."}};
    const auto elapsed = SteadyClock::now() - begun;
    if (elapsed > opt.body_rate_grace && !parser.is_done()) {
      const double seconds = std::chrono::duration<double>(elapsed).count();
      if (double(received) / seconds < double(opt.body_min_rate)) {
        co_return Failure{{408, "The request body arrives too slowly (under " + std::to_string(opt.body_min_rate) +
                                    " bytes per second). Send it again over a better connection."}};
      }
    }
  }
  co_return std::nullopt;
}

template <class Stream>
asio::awaitable<Outcome> serve_one(Connection<Stream>& c, bool first) {
  const ServerOptions& opt = c.server.options;
  Outcome out;
  c.phase = Phase::idle;
  if (c.buffer.size() == 0) {
    if (c.draining || c.server.stopping) co_return out;
    c.tcp().expires_after(first ? opt.header_timeout : opt.idle_timeout);
    auto [ec, n] = co_await c.stream.async_read_some(c.buffer.prepare(kFirstRead), nothrow);
    if (ec) co_return out;
    c.buffer.commit(n);
  }
  c.phase = Phase::reading;
  out.started = SteadyClock::now();
  Request& req = out.request;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
  // Beast checks Content-Length against the body limit while parsing the
  // header; the route's own limit is applied once the path is known.
  parser.body_limit(std::max(opt.max_body_bytes, opt.max_upload_bytes));
  c.tcp().expires_after(opt.header_timeout);
  auto [ec, n] = co_await bhttp::async_read_header(c.stream, c.buffer, parser, nothrow);
  if (ec == bhttp::error::body_limit) {
    co_await reject(c, req, 413, "The request body is too large.", out.started);
    co_return out;
  }
  if (ec == bhttp::error::header_limit) {
    co_await reject(c, req, 431, "The request line and headers are too large.", out.started);
    co_return out;
  }
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted || ec == bhttp::error::end_of_stream ||
      ec == asio::error::eof || ec == asio::error::connection_reset) {
    co_return out;  // the client went quiet or away: nobody to answer
  }
  if (ec) {
    co_await reject(c, req, 400, "The request is not valid HTTP/1.1.", out.started);
    co_return out;
  }
  req.request_id = request_id_from(parser);
  if (const auto failure = framing_problem(parser)) {
    co_await reject(c, req, failure->first, failure->second, out.started);
    co_return out;
  }
  if (const auto failure = build_request(parser.get(), req)) {
    co_await reject(c, req, failure->first, failure->second, out.started);
    co_return out;
  }
  const bool upload = opt.is_upload && opt.is_upload(req.method, req.path);
  const std::size_t limit = upload ? opt.max_upload_bytes : opt.max_body_bytes;
  if (parser.content_length() && *parser.content_length() > limit) {
    co_await reject(c, req, 413, "The request body is too large.", out.started);
    co_return out;
  }
  parser.body_limit(limit);
  if (!parser.is_done()) {
    const auto expect = parser.get().find(bhttp::field::expect);
    if (expect != parser.get().end() && iequals(expect->value(), "100-continue")) {
      const bool sent = co_await c.write_raw("HTTP/1.1 100 Continue\r\n\r\n");
      if (!sent) co_return out;
    }
    const auto failure = co_await read_body(c, parser);
    if (failure) {
      if (failure->first != 0) co_await reject(c, req, failure->first, failure->second, out.started);
      co_return out;
    }
  }
  c.tcp().expires_never();
  req.body = std::move(parser.get().body());
  req.remote_addr = c.remote_addr;
  req.tls = is_tls<Stream>;
  opt.trusted_proxies.apply(req);

  c.phase = Phase::handling;
  Response res = co_await respond(c.server, req);
  finalize(res, req, req.tls);
  const bool head = req.method == Method::head;
  if (res.stream && !head) {
    out.stream = std::move(res.stream);
    std::string header = "HTTP/1.1 " + std::to_string(res.status) + " " + std::string(reason_phrase(res.status)) + "\r\n";
    for (const auto& [k, v] : res.headers) header.append(k).append(": ").append(v).append("\r\n");
    header.append("Date: ").append(now_http_date()).append("\r\nConnection: close\r\n\r\n");
    c.server.metrics.record(req, res.status, since(out.started), true);
    if (!co_await c.write_raw(header)) {
      out.stream->on_close();
      out.stream.reset();
    }
    // Only the access-log fields stay for the life of the stream.
    Headers().swap(req.headers);
    std::string().swap(req.body);
    std::string().swap(req.target);
    co_return out;
  }
  if (res.stream) res.stream->on_close();
  out.keep_alive = parser.get().keep_alive() && !res.close_connection && !c.draining && !c.server.stopping;
  std::size_t bytes = head ? 0 : res.body.size();
  const int status = res.status;
  bool written = false;
  if (res.body_source && !head && status != 204 && status != 304) {
    const auto [sent, complete] =
        co_await write_body_source(c, res, req, out.keep_alive, parser.get().version());
    bytes = std::size_t(sent);
    written = complete;
  } else {
    written = co_await write_response(c, res, head, out.keep_alive, parser.get().version());
  }
  out.keep_alive = out.keep_alive && written;
  access_log(req, status, bytes, since(out.started));
  c.server.metrics.record(req, status, since(out.started), false);
  co_return out;
}

// Sends what the source has, sleeps until woken or the heartbeat is due,
// until the source finishes, the client leaves or the server stops.
template <class Stream>
asio::awaitable<void> run_stream(Connection<Stream>& c, StreamSource& source, const Request& req,
                                 SteadyClock::time_point started) {
  c.phase = Phase::streaming;
  c.server.metrics.open_streams.inc();
  c.buffer = beast::flat_buffer();  // an idle stream keeps no read buffer
  c.watch_peer();
  source.on_wake(c.waker());
  std::size_t bytes = 0;
  auto next_heartbeat = SteadyClock::now() + c.server.options.heartbeat;
  bool ok = true;
  while (ok && !c.peer_gone && !c.draining) {
    c.woken.store(false);
    std::string batch;
    while (batch.size() < kMaxCoalesced) {
      auto chunk = source.next_chunk();
      if (!chunk) break;
      batch.append(*chunk);
    }
    if (!batch.empty()) {
      ok = co_await c.write_raw(batch);
      bytes += batch.size();
      next_heartbeat = SteadyClock::now() + c.server.options.heartbeat;
      continue;
    }
    if (source.finished()) break;
    if (c.woken.load()) continue;
    if (SteadyClock::now() >= next_heartbeat) {
      ok = co_await c.write_raw(": hb\n\n");
      next_heartbeat = SteadyClock::now() + c.server.options.heartbeat;
      continue;
    }
    c.wake_timer.expires_at(next_heartbeat);
    co_await c.wake_timer.async_wait(nothrow);
  }
  if (ok && c.draining && !c.peer_gone) {
    if (const std::string bye = source.closing_chunk(); !bye.empty()) co_await c.write_raw(bye);
  }
  source.on_close();
  c.server.metrics.open_streams.dec();
  access_log(req, 200, bytes, since(started));
}

// Keeps a connection registered (for stop()) and counted while its session
// runs, also when the coroutine ends by an exception.
class Registration {
 public:
  Registration(ServerState& s, ConnectionBase* c) : s_(s), c_(c) {
    s_.add(c_);
    s_.metrics.open_connections.inc();
  }
  ~Registration() {
    s_.metrics.open_connections.dec();
    s_.remove(c_);
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  ServerState& s_;
  ConnectionBase* c_;
};

template <class Stream>
asio::awaitable<void> run_connection(std::shared_ptr<Connection<Stream>> c) {
  const Registration registration(c->server, c.get());
  boost::system::error_code ec;
  const auto endpoint = c->tcp().socket().remote_endpoint(ec);
  if (!ec) c->remote_addr = endpoint.address().to_string();
  bool ok = true;
  if constexpr (is_tls<Stream>) {
    c->tcp().expires_after(c->server.options.header_timeout);
    auto [err] = co_await c->stream.async_handshake(asio::ssl::stream_base::server, nothrow);
    ok = !err;
    if (err) log::debug("http", "TLS handshake failed", {{"remote", c->remote_addr}, {"error", err.message()}});
  }
  for (bool first = true; ok; first = false) {
    Outcome out = co_await serve_one(*c, first);
    if (out.stream) {
      co_await run_stream(*c, *out.stream, out.request, out.started);
      break;
    }
    if (!out.keep_alive) break;
  }
  c->tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
  c->tcp().close();
}

template <class Stream>
void spawn(std::shared_ptr<Connection<Stream>> c) {
  auto ex = c->stream.get_executor();
  asio::co_spawn(ex, run_connection(std::move(c)), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log::error("http", "session ended by an exception", {{"what", ex.what()}});
    }
  });
}

}  // namespace

void spawn_session(ServerState& state, tcp::socket socket) {
  spawn(std::make_shared<Connection<PlainStream>>(state, std::move(socket)));
}

void spawn_tls_session(ServerState& state, asio::ssl::context& tls, tcp::socket socket) {
  spawn(std::make_shared<Connection<TlsStream>>(state, std::move(socket), tls));
}

}  // namespace visor::http::detail
