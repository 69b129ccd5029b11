#pragma once
// Building nested JSON in tests. `Array{Array{1, 2}}` means [[1, 2]] to GCC
// but [1, 2] to clang (a copy, by the single-element list rule), so nested
// arrays are built with list_of() instead.
#include "connectors/odoo/value.hpp"

namespace visor::odoo::testing {

/// The one-element array [item].
inline Array list_of(Value item) {
  Array a;
  a.emplace_back(std::move(item));
  return a;
}

}  // namespace visor::odoo::testing
