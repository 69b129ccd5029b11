#pragma once
// Range requests (RFC 9110 14): which bytes of a representation to send.
// Visor serves one byte range per request (resuming a download, a viewer
// reading ahead); a request for several ranges, another unit or a
// malformed header gets the whole representation, as the RFC allows.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace visor::http {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t length() const { return last - first + 1; }
};

struct RangeAnswer {
  enum class Kind { whole, partial, unsatisfiable };
  Kind kind = Kind::whole;
  ByteRange range;  // for partial
};

/// What to send for `Range` and `If-Range` (either may be absent) given the
/// representation's size and strong ETag (quoted, as sent). An If-Range that
/// is not exactly `etag` (a date, a weak or another tag) → whole.
RangeAnswer select_range(std::optional<std::string_view> range, std::optional<std::string_view> if_range,
                         std::string_view etag, std::uint64_t size);

/// "bytes 0-99/1234"; for unsatisfiable ranges "bytes */1234".
std::string content_range(const RangeAnswer& answer, std::uint64_t size);

}  // namespace visor::http
