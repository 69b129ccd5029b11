#pragma once
// The HTTP request and response that handlers see. Deliberately free of Beast
// and Asio: handler code includes only this (plus router/problem), compiles
// fast, and can be tested by building a Request by hand.
//
// The session (src/http/session.cpp) fills a Request from the wire after
// validating it: `path` is already percent-decoded and free of NUL, encoded
// '/', `..` segments and invalid UTF-8, and `query_string` is well-formed, so
// handlers never see those.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace visor::http {

class StreamSource;
class BodySource;

enum class Method { get, head, post, put, patch, delete_, options };

/// "GET", "HEAD", … ("DELETE" for delete_).
std::string_view to_string(Method m);
/// Exact (case-sensitive, as HTTP requires) method token; nullopt if unknown.
std::optional<Method> parse_method(std::string_view token);

/// ASCII case-insensitive comparison, for header names and tokens.
bool iequals(std::string_view a, std::string_view b);

using Header = std::pair<std::string, std::string>;
using Headers = std::vector<Header>;

/// Values captured from `{name}` segments of a route pattern, in pattern order.
class PathParams {
 public:
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  void clear() { items_.clear(); }
  /// The value of `{name}`, or nullopt when the route has no such parameter.
  std::optional<std::string_view> find(std::string_view name) const;
  /// The value of `{name}`; throws visor::Error(internal) when absent, since a
  /// handler asking for a parameter its own route lacks is a bug.
  const std::string& at(std::string_view name) const;
  const std::vector<Header>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Header> items_;
};

namespace detail {
// One distinct address per type: a key for Request's typed slots without RTTI.
template <class T>
inline constexpr char type_key = 0;
}  // namespace detail

struct Request {
  Method method = Method::get;
  std::string target;        // as received: "/api/v1/tasks?state=open"
  std::string path;          // percent-decoded and validated: "/api/v1/tasks"
  std::string query_string;  // raw, without '?': "state=open"
  Headers headers;           // as received (names keep their case)
  std::string body;
  std::string remote_addr;   // the client's IP address: the peer's, or behind a trusted proxy its X-Forwarded-For
  std::string request_id;    // the client's sane X-Request-Id, else generated
  bool tls = false;          // reached Visor over TLS (directly, or through a trusted proxy)
  PathParams params;         // filled by Router::dispatch
  std::string_view route;    // name of the matched Route (points into the Router); empty if none
  /// Set while the handler runs on an I/O thread for a quick answer (see
  /// ServerOptions::quick_first): it must then not block — answer from
  /// memory, or return Response::defer() to be run again on its pool.
  bool quick = false;

  /// First header with this name (ASCII case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;

  /// Decoded value of the first query parameter `name` ('+' is a space);
  /// nullopt when absent. A key without '=' yields an empty string.
  std::optional<std::string> query(std::string_view name) const;
  /// Every query parameter, decoded, in order (keys may repeat).
  std::vector<Header> query_pairs() const;

  /// Per-request data set by middleware (the authenticated actor, a parsed
  /// token …) and read by handlers, keyed by type: `req.set(Actor{...})`,
  /// then `if (const Actor* a = req.get<Actor>())`. Values are immutable once
  /// set; setting the same type again replaces the value.
  template <class T>
  void set(T value) {
    using V = std::remove_cvref_t<T>;
    set_slot(&detail::type_key<V>, std::make_shared<const V>(std::move(value)));
  }
  template <class T>
  const T* get() const {
    return static_cast<const T*>(find_slot(&detail::type_key<std::remove_cvref_t<T>>));
  }

 private:
  void set_slot(const void* key, std::shared_ptr<const void> value);
  const void* find_slot(const void* key) const;
  std::vector<std::pair<const void*, std::shared_ptr<const void>>> slots_;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  /// When set, the session sends the headers and then streams the source's
  /// chunks (Server-Sent Events) instead of `body`; see stream.hpp.
  std::shared_ptr<StreamSource> stream;
  /// When set, the body is `body_source`'s bytes, produced while they are
  /// sent (a stored file); `body` is ignored. See body.hpp.
  std::shared_ptr<BodySource> body_source;
  /// Close the connection after this response (`Connection: close`): a
  /// refusal that should give its descriptor back at once.
  bool close_connection = false;

  /// `application/json` body.
  static Response json(int status, std::string body);
  /// `text/plain; charset=utf-8` body.
  static Response text(int status, std::string body);
  /// 204 without a body.
  static Response no_content();
  /// 200 `text/event-stream` fed by `source`.
  static Response event_stream(std::shared_ptr<StreamSource> source);
  /// "Not without blocking": a quick attempt (Request::quick) gives up; the
  /// server runs the handler again on its worker pool.
  static Response defer() {
    Response r;
    r.status = 0;
    return r;
  }
  bool deferred() const { return status == 0; }

  /// Sets a header, replacing any with the same name (case-insensitive).
  Response& set_header(std::string name, std::string value);
  /// Adds a header even if one with that name exists (e.g. Set-Cookie).
  Response& add_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
};

}  // namespace visor::http
