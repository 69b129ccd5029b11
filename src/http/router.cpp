#include "http/router.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "http/problem.hpp"

namespace visor::http {

using Endpoints = std::vector<std::pair<Method, std::size_t>>;  // method → index in routes_

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  Endpoints exact;      // routes whose pattern ends at this node
  Endpoints rest;       // routes ending with `{name*}` right after this node
};

namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      out.push_back(path.substr(start));
      return out;
    }
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
}

enum class Kind { literal, param, rest };

// `{name}` → param, `{name*}` → rest, anything else literal. Throws on
// braces that do not form exactly one of these.
Kind classify(std::string_view seg, std::string& name) {
  const bool opens = seg.find('{') != std::string_view::npos;
  const bool closes = seg.find('}') != std::string_view::npos;
  if (!opens && !closes) return Kind::literal;
  if (seg.size() < 3 || seg.front() != '{' || seg.back() != '}' || seg.find_first_of("{}", 1) != seg.size() - 1) {
    throw std::invalid_argument("route pattern segment '" + std::string(seg) + "' is not {name} or {name*}");
  }
  std::string_view inner = seg.substr(1, seg.size() - 2);
  const bool rest = inner.back() == '*';
  if (rest) inner.remove_suffix(1);
  if (inner.empty()) throw std::invalid_argument("route parameter without a name");
  name.assign(inner);
  return rest ? Kind::rest : Kind::param;
}

const std::pair<Method, std::size_t>* find_method(const Endpoints& eps, Method m) {
  for (const auto& ep : eps) {
    if (ep.first == m) return &ep;
  }
  return nullptr;
}

}  // namespace

// Depth-first search with literal > param > rest priority. `captures` holds
// the parameter values along the current branch.
struct RouterSearch {
  const std::vector<std::string_view>& segments;
  Method method;
  std::vector<std::string_view> captures;
  std::string rest_value;
  std::vector<Method> allowed;
  std::optional<std::size_t> found;

  bool accept(const Endpoints& eps) {
    const auto* ep = find_method(eps, method);
    if (!ep && method == Method::head) ep = find_method(eps, Method::get);
    if (ep) {
      found = ep->second;
      return true;
    }
    for (const auto& e : eps) allowed.push_back(e.first);
    return false;
  }

  bool walk(const Router::Node& node, std::size_t i);
};

bool RouterSearch::walk(const Router::Node& node, std::size_t i) {
  if (i == segments.size() && accept(node.exact)) return true;
  if (i < segments.size()) {
    const auto it = node.literals.find(segments[i]);
    if (it != node.literals.end() && walk(*it->second, i + 1)) return true;
    if (node.param && !segments[i].empty()) {
      captures.push_back(segments[i]);
      if (walk(*node.param, i + 1)) return true;
      captures.pop_back();
    }
  }
  if (node.rest.empty()) return false;
  if (!accept(node.rest)) return false;
  rest_value.clear();
  for (std::size_t k = i; k < segments.size(); ++k) {
    if (k > i) rest_value.push_back('/');
    rest_value.append(segments[k]);
  }
  return true;
}

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(Route route) {
  if (route.pattern.empty() || route.pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
  }
  const auto segments = split(route.pattern);
  Node* node = root_.get();
  std::vector<std::string> names;
  bool rest = false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string name;
    const Kind kind = classify(segments[i], name);
    if (kind == Kind::literal) {
      auto& child = node->literals[std::string(segments[i])];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
      continue;
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      throw std::invalid_argument("route parameter {" + name + "} appears twice in " + route.pattern);
    }
    names.push_back(name);
    if (kind == Kind::rest) {
      if (i + 1 != segments.size()) throw std::invalid_argument("{" + name + "*} must be the last segment");
      rest = true;
      break;
    }
    if (!node->param) node->param = std::make_unique<Node>();
    node = node->param.get();
  }
  Endpoints& eps = rest ? node->rest : node->exact;
  if (find_method(eps, route.method)) {
    throw std::invalid_argument("duplicate route " + std::string(to_string(route.method)) + " " + route.pattern);
  }
  eps.emplace_back(route.method, routes_.size());
  routes_.push_back(std::move(route));
  param_names_.push_back(std::move(names));
}

const Route* Router::match(Method method, std::string_view path, PathParams& out,
                           std::vector<Method>* allowed_if_405) const {
  const auto segments = split(path);
  RouterSearch search{segments, method, {}, {}, {}, std::nullopt};
  if (!search.walk(*root_, 0)) {
    if (allowed_if_405) {
      for (Method m : search.allowed) {
        if (std::find(allowed_if_405->begin(), allowed_if_405->end(), m) == allowed_if_405->end()) {
          allowed_if_405->push_back(m);
        }
      }
    }
    return nullptr;
  }
  const std::size_t index = *search.found;
  const auto& names = param_names_[index];
  for (std::size_t k = 0; k < search.captures.size(); ++k) out.add(names[k], std::string(search.captures[k]));
  if (names.size() > search.captures.size()) out.add(names.back(), std::move(search.rest_value));
  return &routes_[index];
}

Response Router::dispatch(Request& req) const {
  std::vector<Method> allowed;
  const Route* route = match(req.method, req.path, req.params, &allowed);
  if (route) {
    req.route = route->name;
    return route->handler(req);
  }
  if (allowed.empty()) {
    return problem(404, "Not Found", "No resource at this path.", req.path, req.request_id);
  }
  if (std::find(allowed.begin(), allowed.end(), Method::get) != allowed.end() &&
      std::find(allowed.begin(), allowed.end(), Method::head) == allowed.end()) {
    allowed.push_back(Method::head);
  }
  std::sort(allowed.begin(), allowed.end());
  std::string allow;
  for (Method m : allowed) {
    if (!allow.empty()) allow.append(", ");
    allow.append(to_string(m));
  }
  Response r = problem(405, "Method Not Allowed",
                       std::string(to_string(req.method)) + " is not supported here; allowed: " + allow,
                       req.path, req.request_id);
  r.set_header("Allow", std::move(allow));
  return r;
}

std::function<bool(Method, std::string_view)> Router::flag_predicate(std::uint32_t mask) const {
  return [this, mask](Method method, std::string_view path) {
    PathParams ignored;
    const Route* route = match(method, path, ignored, nullptr);
    return route && (route->flags & mask) != 0;
  };
}

std::uint32_t Router::flags_of(Method method, std::string_view path) const {
  PathParams ignored;
  const Route* route = match(method, path, ignored, nullptr);
  return route ? route->flags : 0;
}

}  // namespace visor::http
