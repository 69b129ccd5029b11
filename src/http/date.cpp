#include "http/date.hpp"

#include <array>
#include <charconv>

namespace visor::http {
namespace {

constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void append2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

std::optional<int> number(std::string_view s) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string format_http_date(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(t - day);
  std::string out;
  out.reserve(29);
  out.append(kDays[weekday(day).c_encoding()]).append(", ");
  append2(out, static_cast<unsigned>(ymd.day()));
  out.push_back(' ');
  out.append(kMonths[static_cast<unsigned>(ymd.month()) - 1]).push_back(' ');
  out.append(std::to_string(static_cast<int>(ymd.year()))).push_back(' ');
  append2(out, static_cast<unsigned>(hms.hours().count()));
  out.push_back(':');
  append2(out, static_cast<unsigned>(hms.minutes().count()));
  out.push_back(':');
  append2(out, static_cast<unsigned>(hms.seconds().count()));
  out.append(" GMT");
  return out;
}

std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s) {
  using namespace std::chrono;
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == s.substr(8, 3)) month = i + 1;
  }
  const auto d = number(s.substr(5, 2));
  const auto y = number(s.substr(12, 4));
  const auto hh = number(s.substr(17, 2));
  const auto mm = number(s.substr(20, 2));
  const auto ss = number(s.substr(23, 2));
  if (month == 0 || !d || !y || !hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  const year_month_day ymd{year(*y), std::chrono::month(month), day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd) + hours(*hh) + minutes(*mm) + seconds(*ss);
}

}  // namespace visor::http
