#pragma once
// A streaming JSON writer for hot paths (task lists): appends straight into a
// string, with no document tree and no per-key allocation. Commas are
// handled by the writer; strings are escaped per RFC 8259 (control
// characters as \uXXXX; the input is valid UTF-8, checked at the edges).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace visor::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The next member's name (inside an object).
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view s);
  JsonWriter& number(std::int64_t n);
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  /// Inserts already-serialised JSON as one value.
  JsonWriter& raw(std::string_view json);

  template <class T>
  JsonWriter& optional_number(const std::optional<T>& v) {
    return v ? number(static_cast<std::int64_t>(*v)) : null();
  }

 private:
  void separate();

  std::string& out_;
  bool first_ = true;  // no value yet at the current nesting level
  bool after_key_ = false;
};

}  // namespace visor::api
