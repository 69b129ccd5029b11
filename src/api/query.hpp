#pragma once
// The one reader of URL query parameters. Each API route declares the names
// it accepts (`QueryNames`, next to the route in the handlers' route table);
// the guard reads the query string against that list before the handler runs,
// and the handler asks for typed values. The contract suite (tests/api)
// compares the same lists with docs/openapi.json, so a parameter cannot be
// accepted without being documented, nor documented without being accepted.
//
// Rules, the same for every endpoint:
//  - an unknown name is a 400 "Unknown query parameter 'x'. Use a, b or c."
//    (or "This endpoint takes no query parameters.");
//  - a name given twice is a 400 (no silent "last one wins");
//  - empty pieces (`?a=1&`, `?&a=1`, `?a=1&&b=2`) are not parameters and are
//    skipped: browsers and scripts produce them when joining parameters;
//  - a value that does not fit its type is a 400 naming the parameter.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/time.hpp"

namespace visor::api {

/// The query parameters an endpoint accepts, in documentation order.
using QueryNames = std::vector<std::string_view>;

class Query {
 public:
  Query() = default;
  /// Checks decoded `pairs` (in order, as sent) against `allowed`. Throws
  /// Error(invalid_input) for an unknown or repeated name.
  Query(const std::vector<std::pair<std::string, std::string>>& pairs, const QueryNames& allowed);

  /// True when the parameter was sent (with or without a value).
  bool has(std::string_view name) const;
  /// The raw (decoded) value; Error when longer than `max_bytes`.
  std::optional<std::string> text(std::string_view name, std::size_t max_bytes) const;
  /// A whole number in [min, max]: "<name> must be between <min> and
  /// <max>." otherwise.
  std::optional<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max) const;
  /// A positive id (1 …): "<name> must be a positive id, not '…'."
  std::optional<std::int64_t> id(std::string_view name) const;
  /// true/false (also 1/0).
  std::optional<bool> flag(std::string_view name) const;
  /// An ISO 8601 date-time with an offset, e.g. 2026-11-25T00:00:00Z.
  std::optional<TimePoint> time(std::string_view name) const;
  /// One of `choices`; "<name> must be a, b or c." otherwise.
  std::optional<std::string> choice(std::string_view name, const std::vector<std::string_view>& choices) const;

 private:
  const std::string* find(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> values_;
};

/// "a, b or c" (for error details).
std::string spoken_list(const std::vector<std::string_view>& names);

}  // namespace visor::api
