#include "api/json_read.hpp"

#include <cstdio>

#include <boost/json/parse.hpp>

#include "util/error.hpp"
#include "util/utf8.hpp"

namespace visor::api {
namespace json = boost::json;

namespace {

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "?";
}

[[noreturn]] void wrong_type(std::string_view key, std::string_view expected, const json::value& v) {
  invalid(std::string(key) + " must be " + std::string(expected) + ", not " + type_name(v) + ".");
}

template <class T>
const json::value* lookup(const json::object& obj, std::string_view key, Field<T>& out) {
  const auto it = obj.find(key);
  if (it == obj.end()) return nullptr;
  out.present = true;
  if (it->value().is_null()) return nullptr;
  return &it->value();
}

}  // namespace

json::object parse_object(std::string_view body) {
  if (body.empty()) invalid("The request body must be a JSON object.");
  if (!valid_utf8(body)) invalid("The request body is not valid UTF-8.");
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 32;
  json::value v = json::parse(body, ec, {}, opts);
  if (ec) invalid("The request body is not valid JSON: " + ec.message() + ".");
  if (!v.is_object()) invalid("The request body must be a JSON object, not " + type_name(v) + ".");
  return std::move(v.as_object());
}

void reject_unknown(const json::object& obj, std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : obj) {
    bool known = false;
    for (std::string_view a : allowed) known = known || kv.key() == a;
    if (known) continue;
    std::string list;
    for (std::string_view a : allowed) list.append(list.empty() ? "" : ", ").append(a);
    invalid("Unknown field '" + std::string(kv.key()) + "'. Allowed fields: " + list + ".");
  }
}

Field<std::string> get_string(const json::object& obj, std::string_view key, std::size_t max_len) {
  Field<std::string> f;
  const json::value* v = lookup(obj, key, f);
  if (!v) return f;
  if (!v->is_string()) wrong_type(key, "a string", *v);
  const auto& s = v->get_string();
  if (s.size() > max_len)
    invalid(std::string(key) + " must be at most " + std::to_string(max_len) + " bytes long.");
  if (s.find('\0') != json::string::npos) invalid(std::string(key) + " must not contain NUL characters.");
  f.value = std::string(s);
  return f;
}

Field<std::int64_t> get_int(const json::object& obj, std::string_view key, std::int64_t min, std::int64_t max) {
  Field<std::int64_t> f;
  const json::value* v = lookup(obj, key, f);
  if (!v) return f;
  std::int64_t n;
  if (v->is_int64()) n = v->get_int64();
  else if (v->is_uint64() && v->get_uint64() <= std::uint64_t(INT64_MAX)) n = std::int64_t(v->get_uint64());
  else wrong_type(key, "an integer", *v);
  if (n < min || n > max)
    invalid(std::string(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
  f.value = n;
  return f;
}

Field<double> get_number(const json::object& obj, std::string_view key, double min, double max) {
  Field<double> f;
  const json::value* v = lookup(obj, key, f);
  if (!v) return f;
  double n = 0;
  if (v->is_double()) n = v->get_double();
  else if (v->is_int64()) n = double(v->get_int64());
  else if (v->is_uint64()) n = double(v->get_uint64());
  else wrong_type(key, "a number", *v);
  if (!(n >= min && n <= max)) invalid(std::string(key) + " must be a number between " + format_number(min) + " and " + format_number(max) + ".");
  f.value = n;
  return f;
}

Field<bool> get_bool(const json::object& obj, std::string_view key) {
  Field<bool> f;
  const json::value* v = lookup(obj, key, f);
  if (!v) return f;
  if (!v->is_bool()) wrong_type(key, "true or false", *v);
  f.value = v->get_bool();
  return f;
}

Field<TimePoint> get_time(const json::object& obj, std::string_view key) {
  Field<TimePoint> f;
  const json::value* v = lookup(obj, key, f);
  if (!v) return f;
  if (!v->is_string()) wrong_type(key, "an ISO 8601 date-time string", *v);
  f.value = parse_iso8601(v->get_string());
  if (!f.value)
    invalid(std::string(key) + " must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T08:30:00Z.");
  return f;
}

Field<Date> get_date(const json::object& obj, std::string_view key) {
  Field<Date> f;
  const json::value* v = lookup(obj, key, f);
  if (!v) return f;
  if (!v->is_string()) wrong_type(key, "a date string", *v);
  f.value = parse_date(v->get_string());
  if (!f.value) invalid(std::string(key) + " must be a date like 2026-11-25.");
  return f;
}

void throw_required(std::string_view key) { invalid(std::string(key) + " is required."); }

}  // namespace visor::api
