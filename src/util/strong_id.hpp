#pragma once
// Strong identifier types: a TaskId cannot be passed where an EquipmentId is
// expected, and neither silently converts to a bare integer.
#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

namespace visor {

template <class Tag, class Rep = std::int64_t>
struct StrongId {
  Rep value{};

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep v) : value(v) {}
  constexpr auto operator<=>(const StrongId&) const = default;

  friend std::ostream& operator<<(std::ostream& os, const StrongId& id) {
    return os << id.value;
  }
};

}  // namespace visor

template <class Tag, class Rep>
struct std::hash<visor::StrongId<Tag, Rep>> {
  std::size_t operator()(const visor::StrongId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value);
  }
};
