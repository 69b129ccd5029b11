#pragma once
// Decimal values (expected ranges, meter readings, rule values) are stored as
// millionths in BIGINT columns: exact, ordered, the same on both backends.
#include <cmath>
#include <cstdint>
#include <optional>

#include "storage/sql/param.hpp"
#include "storage/sql/rows.hpp"

namespace visor::storage::sql {

inline std::int64_t to_micro(double v) { return std::llround(v * 1e6); }
inline double from_micro(std::int64_t v) { return double(v) / 1e6; }

inline Param arg_micro(double v) { return Param::integer(to_micro(v)); }
inline Param arg_micro(const std::optional<double>& v) { return v ? arg_micro(*v) : Param(); }

inline std::optional<double> opt_micro(const Rows& rows, int col) {
  if (rows.is_null(col)) return std::nullopt;
  return from_micro(rows.i64(col));
}

}  // namespace visor::storage::sql
