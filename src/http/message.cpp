#include "http/message.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "http/stream.hpp"
#include "util/error.hpp"

namespace visor::http {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

boost::urls::params_view query_view(const std::string& query) {
  boost::urls::encoding_opts opt;
  opt.space_as_plus = true;
  // The session only admits well-formed query strings; a hand-built Request
  // with a bad one is treated as having no parameters rather than throwing.
  if (boost::urls::parse_query(query).has_error()) return {};
  return boost::urls::params_view(query, opt);
}

}  // namespace

std::string_view to_string(Method m) {
  switch (m) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::delete_: return "DELETE";
    case Method::options: return "OPTIONS";
  }
  return "GET";
}

std::optional<Method> parse_method(std::string_view t) {
  if (t == "GET") return Method::get;
  if (t == "HEAD") return Method::head;
  if (t == "POST") return Method::post;
  if (t == "PUT") return Method::put;
  if (t == "PATCH") return Method::patch;
  if (t == "DELETE") return Method::delete_;
  if (t == "OPTIONS") return Method::options;
  return std::nullopt;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> PathParams::find(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

const std::string& PathParams::at(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (k == name) return v;
  }
  throw Error(ErrorCode::internal, "internal error", "no path parameter named " + std::string(name));
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  return find_header(headers, name);
}

std::optional<std::string> Request::query(std::string_view name) const {
  for (auto param : query_view(query_string)) {
    if (param.key == name) return std::move(param.value);
  }
  return std::nullopt;
}

std::vector<Header> Request::query_pairs() const {
  std::vector<Header> out;
  for (auto param : query_view(query_string)) out.emplace_back(std::move(param.key), std::move(param.value));
  return out;
}

void Request::set_slot(const void* key, std::shared_ptr<const void> value) {
  for (auto& [k, v] : slots_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  slots_.emplace_back(key, std::move(value));
}

const void* Request::find_slot(const void* key) const {
  for (const auto& [k, v] : slots_) {
    if (k == key) return v.get();
  }
  return nullptr;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::event_stream(std::shared_ptr<StreamSource> source) {
  Response r;
  r.headers.emplace_back("Content-Type", "text/event-stream");
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Accel-Buffering", "no");  // reverse proxies: do not buffer
  r.stream = std::move(source);
  return r;
}

Response& Response::set_header(std::string name, std::string value) {
  for (auto it = headers.begin(); it != headers.end();) {
    it = iequals(it->first, name) ? headers.erase(it) : it + 1;
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response& Response::add_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return find_header(headers, name);
}

}  // namespace visor::http
