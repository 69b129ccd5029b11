#pragma once
// The plant's timezone (an IANA name such as Europe/Paris), read from the
// system's time zone database (Debian's tzdata) through CCTZ. Exports show
// times as they were on the plant's clocks; the API itself stays in UTC.
#include <memory>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace visor {

class PlantZone {
 public:
  /// The zone named `name`; throws Error(invalid_input) when the system
  /// does not know it. "UTC" always loads.
  static PlantZone load(std::string_view name);
  /// True when `name` is a zone the system knows.
  static bool exists(std::string_view name);

  const std::string& name() const { return name_; }
  /// "2026-12-03 14:30": the plant's wall clock, for spreadsheets.
  std::string wall_clock(TimePoint t) const;
  /// "2026-12-03": the plant's date of `t`.
  std::string date(TimePoint t) const;
  /// "2026-12-03T14:30:00+01:00": ISO 8601 with the plant's offset then.
  std::string iso(TimePoint t) const;

 private:
  struct Impl;
  PlantZone(std::string name, std::shared_ptr<const Impl> impl);
  std::string name_;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace visor
