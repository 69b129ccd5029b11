#include "openapi_doc.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "server.hpp"
#include "util/time.hpp"

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

namespace {

std::string kind_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "?";
}

}  // namespace

std::vector<std::string> schema_errors(const json::value& instance, const json::value& raw, const std::string& where) {
  std::vector<std::string> errors;
  const json::value& sv = deref(raw);
  if (!sv.is_object()) return errors;
  const json::object& schema = sv.as_object();
  if (instance.is_null()) {
    const auto* nullable = schema.if_contains("nullable");
    if (nullable && nullable->is_bool() && nullable->as_bool()) return errors;
    if (schema.contains("type") || schema.contains("properties")) errors.push_back(where + ": null is not allowed");
    return errors;
  }
  if (const auto* all = schema.if_contains("allOf"))
    for (const auto& part : all->as_array())
      for (auto& e : schema_errors(instance, part, where)) errors.push_back(std::move(e));
  for (const char* any : {"oneOf", "anyOf"}) {
    const auto* alts = schema.if_contains(any);
    if (!alts) continue;
    bool matched = false;
    for (const auto& alt : alts->as_array()) matched = matched || schema_errors(instance, alt, where).empty();
    if (!matched) errors.push_back(where + ": matches none of " + any);
  }
  if (const auto* type = schema.if_contains("type")) {
    const std::string expected(type->as_string());
    const std::string actual = kind_of(instance);
    const bool ok = expected == actual || (expected == "number" && actual == "integer");
    if (!ok) {
      errors.push_back(where + ": expected " + expected + ", got " + actual);
      return errors;
    }
  }
  if (const auto* values = schema.if_contains("enum")) {
    bool found = false;
    for (const auto& v : values->as_array()) found = found || v == instance;
    if (!found) errors.push_back(where + ": " + json::serialize(instance) + " is not in the enum");
  }
  if (instance.is_string()) {
    if (const auto* format = schema.if_contains("format")) {
      const std::string text(instance.as_string());
      if (*format == "date-time" && !parse_iso8601(text)) errors.push_back(where + ": not a date-time: " + text);
      if (*format == "date" && !parse_date(text)) errors.push_back(where + ": not a date: " + text);
    }
  }
  if (instance.is_object()) {
    const json::object& obj = instance.as_object();
    if (const auto* required = schema.if_contains("required"))
      for (const auto& key : required->as_array())
        if (!obj.contains(key.as_string())) errors.push_back(where + ": missing required " + std::string(key.as_string()));
    const auto* props = schema.if_contains("properties");
    const auto* extra = schema.if_contains("additionalProperties");
    const bool closed = extra && extra->is_bool() && !extra->as_bool();
    for (const auto& kv : obj) {
      const json::value* sub = props ? props->as_object().if_contains(kv.key()) : nullptr;
      if (sub) {
        for (auto& e : schema_errors(kv.value(), *sub, where + "." + std::string(kv.key()))) errors.push_back(std::move(e));
      } else if (closed) {
        errors.push_back(where + ": undocumented property " + std::string(kv.key()));
      }
    }
  }
  if (instance.is_array()) {
    if (const auto* items = schema.if_contains("items")) {
      std::size_t i = 0;
      for (const auto& item : instance.as_array())
        for (auto& e : schema_errors(item, *items, where + "[" + std::to_string(i++) + "]")) errors.push_back(std::move(e));
    }
  }
  return errors;
}

std::optional<json::value> response_schema(const Operation& o, int status) {
  const auto* responses = o.op->if_contains("responses");
  if (!responses) return std::nullopt;
  const auto* response = responses->as_object().if_contains(std::to_string(status));
  if (!response) return std::nullopt;
  const auto* content = deref(*response).as_object().if_contains("content");
  if (!content) return std::nullopt;
  for (const char* type : {"application/json", "application/problem+json"})
    if (const auto* media = content->as_object().if_contains(type))
      if (const auto* schema = media->as_object().if_contains("schema")) return *schema;
  return std::nullopt;
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
