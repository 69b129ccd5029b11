#pragma once
// A statement parameter. SQL text in the storage layer numbers parameters
// `$1, $2, …` for both backends (the SQLite wrapper maps them to `?N`).
// `arg(x)` converts the domain's types to the store's representation:
// times as unix seconds, dates as days since the epoch, ids as integers,
// empty optionals as NULL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ids.hpp"
#include "util/time.hpp"

namespace visor::storage::sql {

class Param {
 public:
  enum class Kind { null, integer, boolean, text };

  Param() = default;  // NULL
  static Param integer(std::int64_t v) { return Param(Kind::integer, v, {}); }
  static Param boolean(bool v) { return Param(Kind::boolean, v ? 1 : 0, {}); }
  static Param text(std::string v) { return Param(Kind::text, 0, std::move(v)); }

  Kind kind() const { return kind_; }
  std::int64_t as_integer() const { return int_; }
  bool as_boolean() const { return int_ != 0; }
  const std::string& as_text() const { return text_; }

 private:
  Param(Kind k, std::int64_t i, std::string s) : kind_(k), int_(i), text_(std::move(s)) {}
  Kind kind_ = Kind::null;
  std::int64_t int_ = 0;
  std::string text_;
};

using Params = std::vector<Param>;

inline Param arg(std::nullopt_t) { return Param(); }
inline Param arg(std::int64_t v) { return Param::integer(v); }
inline Param arg(int v) { return Param::integer(v); }
inline Param arg(bool v) { return Param::boolean(v); }
inline Param arg(std::string_view v) { return Param::text(std::string(v)); }
inline Param arg(const std::string& v) { return Param::text(v); }
inline Param arg(const char* v) { return Param::text(v); }
inline Param arg(TimePoint t) { return Param::integer(to_unix(t)); }
inline Param arg(Date d) { return Param::integer(to_days(d)); }
template <class Tag>
Param arg(StrongId<Tag> id) {
  return Param::integer(id.value);
}
template <class T>
Param arg(const std::optional<T>& v) {
  if (!v) return Param();
  return arg(*v);
}

}  // namespace visor::storage::sql
