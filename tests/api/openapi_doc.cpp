#include "openapi_doc.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "server.hpp"

namespace visor::apitest {
namespace json = boost::json;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Operation::id() const {
  const auto* v = op->if_contains("operationId");
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::value& doc_value() {
  static const json::value d = [] {
    std::ifstream in(VISOR_OPENAPI_FILE);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(text.str(), ec);
    if (ec || !v.is_object()) {
      ADD_FAILURE() << kDoc << " is not a JSON object: " << ec.message();
      return json::value(json::object{});
    }
    return v;
  }();
  return d;
}

const json::object& doc() { return doc_value().as_object(); }

// Follows {"$ref": "#/…"} within the document; returns `v` itself when it is
// not a reference or the reference does not resolve.
const json::value& deref(const json::value& v) {
  const json::value* cur = &v;
  for (int hops = 0; hops < 10; ++hops) {
    const auto* ref_value = cur->is_object() ? cur->as_object().if_contains("$ref") : nullptr;
    if (!ref_value || !ref_value->is_string()) return *cur;
    std::string_view ref = ref_value->as_string();
    if (!ref.starts_with("#/")) return *cur;
    ref.remove_prefix(2);
    const json::value* node = &doc_value();
    while (!ref.empty()) {
      const auto slash = ref.find('/');
      const std::string_view key = ref.substr(0, slash);
      ref = slash == std::string_view::npos ? std::string_view{} : ref.substr(slash + 1);
      const json::value* next = node->is_object() ? node->as_object().if_contains(key) : nullptr;
      if (!next) return *cur;
      node = next;
    }
    cur = node;
  }
  return *cur;
}

std::map<OperationKey, Operation> documented() {
  std::map<std::pair<std::string, std::string>, Operation> ops;
  const auto* paths = doc().if_contains("paths");
  if (!paths || !paths->is_object()) return ops;
  for (const auto& [path, item] : paths->as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      static const std::set<std::string> kMethods{"get", "put", "post", "delete", "options", "head", "patch",
                                                  "trace"};
      if (!kMethods.contains(std::string(method))) continue;
      ops[{upper(method), std::string(path)}] =
          Operation{upper(method), std::string(path), &op.as_object(), &item.as_object()};
    }
  }
  return ops;
}

// Every parameter of an operation (path-level ones included), resolved.
std::vector<json::object> parameters(const Operation& o) {
  std::vector<json::object> out;
  for (const json::object* holder : {o.path_item, o.op}) {
    if (const auto* ps = holder->if_contains("parameters"))
      for (const auto& p : ps->as_array()) out.push_back(deref(p).as_object());
  }
  return out;
}

std::set<std::string> params_in(const Operation& o, std::string_view where) {
  std::set<std::string> names;
  for (const auto& p : parameters(o))
    if (p.at("in").as_string() == where) names.insert(std::string(p.at("name").as_string()));
  return names;
}

std::optional<json::object> body_schema(const Operation& o) {
  const auto* rb = o.op->if_contains("requestBody");
  if (!rb) return std::nullopt;
  const auto& content = deref(*rb).as_object().at("content").as_object();
  const auto* media = content.if_contains("application/json");
  if (!media) return std::nullopt;
  return deref(media->as_object().at("schema")).as_object();
}

std::optional<std::set<std::string>> body_fields(const Operation& o) {
  const auto schema = body_schema(o);
  if (!schema) return std::nullopt;
  std::set<std::string> names;
  if (const auto* props = schema->if_contains("properties"))
    for (const auto& kv : props->as_object()) names.insert(std::string(kv.key()));
  return names;
}

// Placeholder values for path parameters: real records, so that a request
// gets as far as the handler's parsing.
std::string fill_path(std::string pattern, TestServer& s, std::string_view id) {
  const std::map<std::string, std::string> values{
      {"{id}", std::string(id)}, {"{n}", std::string(id)}, {"{code}", s.any_equipment().code}};
  for (const auto& [k, v] : values)
    for (std::size_t p; (p = pattern.find(k)) != std::string::npos;) pattern.replace(p, k.size(), v);
  return pattern;
}

}  // namespace visor::apitest
