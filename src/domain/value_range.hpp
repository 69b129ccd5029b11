#pragma once
// Numbers and expected ranges as people write them in instructions and say
// them on the floor: "3,5" and "3.5", "3.0–3.5 bar", "between 40 and 60 °C",
// "max. 0.5 mm", "entre 3 et 4 bar", "≥ 2 bar", "3.2 ± 0.2 bar". The HUD
// reads the same forms (web/hud/js/words.js) so both agree on a flag.
#include <optional>
#include <string>
#include <string_view>

namespace visor {

/// An expected range; either bound may be open.
struct ValueRange {
  std::optional<double> min;
  std::optional<double> max;
  std::string unit;  // as written ("bar", "°C"), "" when none was given
};

/// The decimal number at the start of `text` ("-3,5 bar" → -3.5, a comma or
/// a point as the decimal mark), skipping leading spaces. `used` receives
/// the bytes consumed. nullopt when `text` does not start with a number, or
/// the number is not finite or beyond ±1e12.
std::optional<double> leading_decimal(std::string_view text, std::size_t* used = nullptr);

/// A value as entered for a number step: a number, optionally followed by a
/// unit of at most 16 bytes ("3.2", "3,2 bar", "-4 °C"). nullopt otherwise.
std::optional<double> parse_measured(std::string_view value);

/// The range a step's own words give ("… (expected 3.0–3.5 bar)", "between
/// 40 and 60 °C", "max. 0.5 mm", "au moins 2 bar"), or nullopt. A bare
/// "A–B" needs a unit after it, so that "steps 1-3" is not a range.
std::optional<ValueRange> range_in_words(std::string_view text);

/// The range and unit of a step tag's arguments ("3.0–3.5 bar", "≤ 0.5 mm",
/// ">= 40 °C", "3.2 ± 0.2 bar", "bar", ""): the unit is whatever follows the
/// numbers. nullopt when the arguments are not of that shape.
std::optional<ValueRange> range_in_tag(std::string_view args);

/// Whether `value` lies outside `min`..`max` (open bounds never exclude).
bool outside(double value, const std::optional<double>& min, const std::optional<double>& max);

/// A number written back the short way: 3.5 → "3.5", 3 → "3", 0.1 → "0.1".
std::string format_decimal(double value);

}  // namespace visor
