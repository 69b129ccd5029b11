#include "connectors/odoo/value.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "connectors/odoo/text.hpp"

namespace visor::odoo {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string two(int v) { return {static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }

void check_at(const Value& v, std::size_t depth) {
  if (depth > kMaxValueDepth) throw std::invalid_argument("Odoo value nested deeper than the limit");
  switch (v.kind()) {
    case boost::json::kind::string:
      if (!is_valid_utf8(v.get_string())) throw std::invalid_argument("Odoo value: a string is not valid UTF-8");
      return;
    case boost::json::kind::double_:
      if (!std::isfinite(v.get_double())) throw std::invalid_argument("Odoo value: a double is not finite");
      return;
    case boost::json::kind::uint64:
      if (v.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw std::invalid_argument("Odoo value: an integer exceeds int64");
      }
      return;
    case boost::json::kind::array:
      for (const auto& item : v.get_array()) check_at(item, depth + 1);
      return;
    case boost::json::kind::object:
      for (const auto& member : v.get_object()) {
        if (!is_valid_utf8(member.key())) throw std::invalid_argument("Odoo value: a key is not valid UTF-8");
        check_at(member.value(), depth + 1);
      }
      return;
    default: return;
  }
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::optional<std::int64_t> xmlrpc_int(std::string_view text) {
  auto t = trim(text);
  if (t.starts_with('+')) t.remove_prefix(1);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<double> xmlrpc_double(std::string_view text) {
  auto t = trim(text);
  if (t.starts_with('+')) t.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

void check_sendable(const Value& value) { check_at(value, 0); }

std::optional<std::string> odoo_datetime_from_iso8601(std::string_view text) {
  text = trim(text);

  // "YYYYMMDDTHH:MM:SS" (17) or "YYYY-MM-DDTHH:MM:SS" (19).
  const bool dashed = text.size() == 19;
  if (!dashed && text.size() != 17) return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const std::size_t m_at = dashed ? 5 : 4, d_at = dashed ? 8 : 6, t_at = dashed ? 10 : 8;
  if (dashed && (text[4] != '-' || text[7] != '-')) return std::nullopt;
  if (!digits(text, 0, 4, y) || !digits(text, m_at, 2, mo) || !digits(text, d_at, 2, d)) return std::nullopt;
  if (text[t_at] != 'T' || text[t_at + 3] != ':' || text[t_at + 6] != ':') return std::nullopt;
  if (!digits(text, t_at + 1, 2, h) || !digits(text, t_at + 4, 2, mi) || !digits(text, t_at + 7, 2, s)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;

  std::string out(text.substr(0, 4));
  out.append("-").append(two(mo)).append("-").append(two(d));
  out.append(" ").append(two(h)).append(":").append(two(mi)).append(":").append(two(s));
  return out;
}

}  // namespace visor::odoo
