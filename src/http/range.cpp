#include "http/range.hpp"

#include <charconv>

#include "http/message.hpp"

namespace visor::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

RangeAnswer select_range(std::optional<std::string_view> range, std::optional<std::string_view> if_range,
                         std::string_view etag, std::uint64_t size) {
  RangeAnswer whole;
  if (!range) return whole;
  if (if_range && trim(*if_range) != etag) return whole;
  std::string_view spec = trim(*range);
  const auto eq = spec.find('=');
  if (eq == std::string_view::npos || !iequals(trim(spec.substr(0, eq)), "bytes")) return whole;
  spec = trim(spec.substr(eq + 1));
  if (spec.find(',') != std::string_view::npos) return whole;  // several ranges: the whole
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view a = trim(spec.substr(0, dash));
  const std::string_view b = trim(spec.substr(dash + 1));
  RangeAnswer out;
  out.kind = RangeAnswer::Kind::partial;
  if (a.empty()) {  // suffix: the last N bytes
    const auto n = number(b);
    if (!n) return whole;
    if (*n == 0 || size == 0) return RangeAnswer{RangeAnswer::Kind::unsatisfiable, {}};
    out.range = {size - std::min(*n, size), size - 1};
    return out;
  }
  const auto first = number(a);
  if (!first) return whole;
  std::optional<std::uint64_t> last;
  if (!b.empty()) {
    last = number(b);
    if (!last || *last < *first) return whole;  // invalid: ignored (RFC 9110 14.1.1)
  }
  if (*first >= size) return RangeAnswer{RangeAnswer::Kind::unsatisfiable, {}};
  out.range = {*first, std::min(last.value_or(size - 1), size - 1)};
  return out;
}

std::string content_range(const RangeAnswer& answer, std::uint64_t size) {
  if (answer.kind == RangeAnswer::Kind::unsatisfiable) return "bytes */" + std::to_string(size);
  return "bytes " + std::to_string(answer.range.first) + "-" + std::to_string(answer.range.last) + "/" +
         std::to_string(size);
}

}  // namespace visor::http
