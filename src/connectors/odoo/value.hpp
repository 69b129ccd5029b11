#pragma once
// Odoo values are Boost.JSON values, whichever protocol carried them. JSON-2
// already speaks JSON; XML-RPC values convert as follows.
//
//   XML-RPC                      boost::json::value
//   <nil/>                   ↔   null      (encoded only when allowed; Odoo reads it as None)
//   <boolean>                ↔   bool
//   <int> <i4> <i8>          ↔   int64     (encoding picks <int> within int32, else <i8>)
//   <double>                 ↔   double    (finite only)
//   <string>, untyped <value>↔   string    (UTF-8; encoding rejects invalid UTF-8 and the
//                                           control characters XML cannot carry)
//   <dateTime.iso8601>        →  string "YYYY-MM-DD HH:MM:SS", Odoo's naive UTC format;
//                                both "20261125T08:30:00" and "2026-11-25T08:30:00" read
//   <base64>                  →  string holding the DECODED bytes. They may not be UTF-8:
//                                treat such a string as a byte buffer and do not serialise
//                                it as JSON text. (Odoo itself sends binary fields as base64
//                                text inside <string>, which stays text.)
//   <array>                  ↔   array
//   <struct>                 ↔   object    (a repeated member name: the last one wins,
//                                           as in Python's xmlrpc.client)
//
// The encoder never produces <dateTime.iso8601> or <base64>: Odoo expects
// datetimes as "YYYY-MM-DD HH:MM:SS" strings and binary fields as base64 text.
//
// Odoo's own conventions on top (both protocols): empty fields and empty
// many2one are `false`, never null; a many2one is `[id, "display name"]`;
// dates are "YYYY-MM-DD".
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace visor::odoo {

using Value = boost::json::value;
using Object = boost::json::object;
using Array = boost::json::array;

/// Deepest nesting of arrays/objects accepted in a value from either
/// protocol (Odoo's deepest real values — domains, many2one pairs inside
/// records inside a list — stay under 10).
inline constexpr std::size_t kMaxValueDepth = 64;

/// Throws std::invalid_argument when `value` cannot be sent to Odoo by
/// either protocol: a string or key that is not valid UTF-8, a non-finite
/// double, an integer beyond int64, nesting deeper than kMaxValueDepth.
/// (XML-RPC additionally refuses the control characters XML cannot carry.)
void check_sendable(const Value& value);

/// XML-RPC <int>/<i4>/<i8> text: optional sign, decimal digits, within
/// int64; surrounding whitespace ignored.
std::optional<std::int64_t> xmlrpc_int(std::string_view text);

/// XML-RPC <double> text: a finite decimal number (exponents accepted, as
/// Python writes them); surrounding whitespace ignored.
std::optional<double> xmlrpc_double(std::string_view text);

/// An XML-RPC dateTime.iso8601 text ("20261125T08:30:00" or
/// "2026-11-25T08:30:00", surrounding whitespace ignored) in Odoo's format
/// "2026-11-25 08:30:00"; nothing if it is not a valid date and time.
std::optional<std::string> odoo_datetime_from_iso8601(std::string_view text);

}  // namespace visor::odoo
