#pragma once
// Conversions between time points and the text forms Visor meets:
// ISO 8601 in its API ("2026-11-25T08:30:00Z"), Odoo's naive UTC
// ("2026-11-25 08:30:00") and plain dates ("2026-11-25").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace visor {

using Date = std::chrono::sys_days;

/// "2026-11-25T08:30:00Z". Accepts on input also fractional seconds and
/// numeric offsets ("+01:00"); nothing else.
std::string format_iso8601(TimePoint t);
std::optional<TimePoint> parse_iso8601(std::string_view s);

/// Odoo's "YYYY-MM-DD HH:MM:SS" (naive UTC, whole seconds).
std::string format_odoo_datetime(TimePoint t);
std::optional<TimePoint> parse_odoo_datetime(std::string_view s);

/// "YYYY-MM-DD".
std::string format_date(Date d);
std::optional<Date> parse_date(std::string_view s);

/// Seconds since the Unix epoch, the store's representation.
inline std::int64_t to_unix(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_unix(std::int64_t s) { return TimePoint(std::chrono::seconds(s)); }
inline std::int64_t to_days(Date d) { return d.time_since_epoch().count(); }
inline Date from_days(std::int64_t d) { return Date(std::chrono::days(d)); }

}  // namespace visor
