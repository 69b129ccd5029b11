#pragma once
// Strict reading of JSON request bodies. Every accessor names the field in
// its error, unknown fields are rejected, and wrong types never fall back to
// a default: the client learns exactly what to fix.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace visor::api {

/// Parses a request body as a JSON object (invalid_input with the parser's
/// position on failure; the body must be valid UTF-8).
boost::json::object parse_object(std::string_view body);

/// Fails when `obj` holds a key outside `allowed`.
void reject_unknown(const boost::json::object& obj, std::initializer_list<std::string_view> allowed);

/// A field that may be absent, null, or a value. `present` distinguishes
/// "not sent" from "sent as null" (PATCH clears a field with null).
template <class T>
struct Field {
  bool present = false;
  std::optional<T> value;  // nullopt with present = explicit null
};

Field<std::string> get_string(const boost::json::object& obj, std::string_view key, std::size_t max_len);
Field<std::int64_t> get_int(const boost::json::object& obj, std::string_view key, std::int64_t min, std::int64_t max);
/// A JSON number (integer or not) within [min, max].
Field<double> get_number(const boost::json::object& obj, std::string_view key, double min, double max);
Field<bool> get_bool(const boost::json::object& obj, std::string_view key);
Field<TimePoint> get_time(const boost::json::object& obj, std::string_view key);
Field<Date> get_date(const boost::json::object& obj, std::string_view key);

[[noreturn]] void throw_required(std::string_view key);

/// The value or an error "<key> is required".
template <class T>
T required(const Field<T>& f, std::string_view key) {
  if (!f.value) throw_required(key);
  return *f.value;
}

}  // namespace visor::api
