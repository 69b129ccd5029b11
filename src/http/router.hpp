#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and
// `{name}` parameters, e.g. "/api/v1/tasks/{id}/steps/{n}"; a last segment
// `{name*}` captures the rest of the path (zero or more segments, joined by
// '/'), e.g. "/console/{file*}" for static files.
//
// Patterns are split into a segment tree once, at add(); matching walks the
// tree preferring literal segments over `{param}` over `{rest*}`, so
// "/tasks/today" wins over "/tasks/{id}" whatever the order of add(). HEAD
// falls back to the GET route. A path that matches a pattern but not the
// method yields 405 with the allowed methods.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace visor::http {

/// A handler turns a request into a response. It may throw visor::Error
/// (mapped to a problem response). It runs on the worker pool the server's
/// `pool_for` names for its route, or on an I/O thread when none: only
/// handlers that never block may run there.
using Handler = std::function<Response(Request&)>;

struct Route {
  Method method = Method::get;
  std::string pattern;   // "/api/v1/tasks/{id}"
  std::string name;      // stable label for metrics and logs: "task.get"
  Handler handler;
  std::uint32_t flags = 0;  // opaque to http: the app layer's route properties (auth, upload …)
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  /// Registers a route. Throws std::invalid_argument for a malformed pattern
  /// (not starting with '/', empty or unbalanced `{}`, `{x*}` not last) or a
  /// second route with the same method and the same pattern shape. Add every
  /// route before serving: adding invalidates pointers returned by match().
  void add(Route route);

  /// The route for `method` and the decoded `path`, with its parameters
  /// appended to `out`; nullptr when none. When the path matches routes of
  /// other methods only, they are appended to `allowed_if_405` (if given).
  const Route* match(Method method, std::string_view path, PathParams& out,
                     std::vector<Method>* allowed_if_405 = nullptr) const;

  const std::vector<Route>& routes() const { return routes_; }

  /// Matches `req`, fills req.params and req.route, and calls the handler;
  /// 404 / 405 (with `Allow`) problem responses otherwise.
  Response dispatch(Request& req) const;

  /// A predicate "does the route for (method, path) have any of `mask`'s
  /// flags", e.g. for ServerOptions::is_upload. It refers to this Router,
  /// which must outlive its use.
  std::function<bool(Method, std::string_view)> flag_predicate(std::uint32_t mask) const;
  /// The flags of the route for (method, path); 0 when none matches.
  std::uint32_t flags_of(Method method, std::string_view path) const;

 private:
  friend struct RouterSearch;
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> param_names_;  // per route, in pattern order
};

}  // namespace visor::http
