#include "util/time.hpp"

#include <charconv>
#include <cstdio>

namespace visor {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::optional<Date> ymd(std::string_view s) {
  int y, m, d;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!date.ok()) return std::nullopt;
  return Date(date);
}

std::optional<std::chrono::seconds> hms(std::string_view s, std::size_t pos) {
  int h, mi, se;
  if (!digits(s, pos, 2, h) || s.size() <= pos + 2 || s[pos + 2] != ':' || !digits(s, pos + 3, 2, mi) ||
      s.size() <= pos + 5 || s[pos + 5] != ':' || !digits(s, pos + 6, 2, se))
    return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  return std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(se);
}

// Writes `v` as `width` digits at `out`; returns the end.
char* put_digits(char* out, unsigned v, int width) {
  for (int i = width - 1; i >= 0; --i, v /= 10) out[i] = char('0' + v % 10);
  return out + width;
}

// Hand-written rather than snprintf: every row of a task list and every
// record pushed to Odoo carries several of these (snprintf was 6% of a list).
std::string format(TimePoint t, char sep, bool zulu) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  const int year = int(ymd.year());
  char buf[32];
  if (year < 0 || year > 9999) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u%c%02d:%02d:%02d%s", year, unsigned(ymd.month()),
                  unsigned(ymd.day()), sep, int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()), zulu ? "Z" : "");
    return buf;
  }
  char* p = put_digits(buf, unsigned(year), 4);
  *p++ = '-';
  p = put_digits(p, unsigned(ymd.month()), 2);
  *p++ = '-';
  p = put_digits(p, unsigned(ymd.day()), 2);
  *p++ = sep;
  p = put_digits(p, unsigned(hms.hours().count()), 2);
  *p++ = ':';
  p = put_digits(p, unsigned(hms.minutes().count()), 2);
  *p++ = ':';
  p = put_digits(p, unsigned(hms.seconds().count()), 2);
  if (zulu) *p++ = 'Z';
  return std::string(buf, p);
}

}  // namespace

std::string format_iso8601(TimePoint t) { return format(t, 'T', true); }
std::string format_odoo_datetime(TimePoint t) { return format(t, ' ', false); }

std::string format_date(Date d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return buf;
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10) return std::nullopt;
  return ymd(s);
}

std::optional<TimePoint> parse_odoo_datetime(std::string_view s) {
  if (s.size() != 19 || s[10] != ' ') return std::nullopt;
  auto d = ymd(s);
  auto t = hms(s, 11);
  if (!d || !t) return std::nullopt;
  return TimePoint(*d) + *t;
}

std::optional<TimePoint> parse_iso8601(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
  auto d = ymd(s);
  auto t = hms(s, 11);
  if (!d || !t) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  TimePoint result = TimePoint(*d) + *t;
  if (pos == s.size()) return std::nullopt;  // a zone is required
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return result;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int oh, om;
  if (s.size() != pos + 6 || !digits(s, pos + 1, 2, oh) || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
      oh > 23 || om > 59)
    return std::nullopt;
  const auto offset = std::chrono::hours(oh) + std::chrono::minutes(om);
  return s[pos] == '+' ? result - offset : result + offset;
}

}  // namespace visor
