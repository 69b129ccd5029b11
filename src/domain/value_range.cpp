#include "domain/value_range.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace visor {
namespace {

constexpr double kLimit = 1e12;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_letter_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (static_cast<unsigned char>(c) >= 0x80 &&
                                                                   static_cast<unsigned char>(c) != 0xC2);
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
    } else if (s.substr(i, 2) == "\xC2\xA0") {  // no-break space
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

// The units a bare "A–B" range needs after it (as in words.js).
constexpr std::array<std::string_view, 34> kUnits{
    "bars", "bar", "psi", "mbar", "kpa", "mpa", "°c", "°f", "°", "degrees", "degree", "degrés", "degré",
    "litres", "litre", "liters", "liter", "l", "ml", "mm", "cm", "µm", "m", "kg", "g", "nm", "rpm", "tr/min",
    "hz", "v", "a", "kw", "w", "%"};

// The unit at `i` of lowered text `low` (longest first), or "".
std::string_view unit_at(std::string_view low, std::size_t i) {
  std::string_view best;
  for (std::string_view u : kUnits) {
    if (low.substr(i, u.size()) != u || u.size() <= best.size()) continue;
    const std::size_t end = i + u.size();
    if (end < low.size() && is_letter_byte(low[end]) && u != "°") continue;
    best = u;
  }
  return best;
}

struct Number {
  double value = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

std::optional<Number> number_at(std::string_view s, std::size_t i) {
  std::size_t used = 0;
  const auto v = leading_decimal(s.substr(i), &used);
  if (!v) return std::nullopt;
  return Number{*v, i, i + used};
}

// The unit written after position `i` in the original text, if any.
std::string unit_after(std::string_view text, std::string_view low, std::size_t i) {
  const std::size_t j = skip_spaces(low, i);
  const std::string_view u = unit_at(low, j);
  return std::string(text.substr(j, u.size()));
}

ValueRange ordered(std::optional<double> a, std::optional<double> b, std::string unit) {
  if (a && b && *a > *b) std::swap(a, b);
  return ValueRange{a, b, std::move(unit)};
}

// "between A [unit] and B [unit]" / "entre A et B".
std::optional<ValueRange> between(std::string_view text, std::string_view low) {
  for (auto [word, joiner] : {std::pair<std::string_view, std::string_view>{"between ", "and"}, {"entre ", "et"}}) {
    for (std::size_t at = low.find(word); at != std::string_view::npos; at = low.find(word, at + 1)) {
      const auto a = number_at(low, skip_spaces(low, at + word.size()));
      if (!a) continue;
      std::size_t i = skip_spaces(low, a->end);
      std::string unit(unit_at(low, i));
      const std::string written_a(text.substr(i, unit.size()));
      i = skip_spaces(low, i + unit.size());
      if (low.substr(i, joiner.size()) != joiner) continue;
      const auto b = number_at(low, skip_spaces(low, i + joiner.size()));
      if (!b) continue;
      std::string written = unit_after(text, low, b->end);
      return ordered(a->value, b->value, written.empty() ? written_a : written);
    }
  }
  return std::nullopt;
}

// The separator of a range at `i` ("–", "—", "-", "to", "à", ".."), its length or 0.
std::size_t range_separator(std::string_view low, std::size_t i) {
  for (std::string_view sep : {"\xE2\x80\x93", "\xE2\x80\x94", "..", "-", "to ", "\xC3\xA0 "})
    if (low.substr(i, sep.size()) == sep) return sep.size();
  return 0;
}

// "A–B unit" anywhere in the text (a unit required).
std::optional<ValueRange> dash_range(std::string_view text, std::string_view low) {
  for (std::size_t i = 0; i < low.size(); ++i) {
    if (!is_digit(low[i]) || (i > 0 && (is_digit(low[i - 1]) || low[i - 1] == '.' || low[i - 1] == ','))) continue;
    std::size_t start = i > 0 && low[i - 1] == '-' && (i == 1 || !is_digit(low[i - 2])) ? i - 1 : i;
    const auto a = number_at(low, start);
    if (!a) continue;
    const std::size_t s = skip_spaces(low, a->end);
    const std::size_t sep = range_separator(low, s);
    if (!sep) continue;
    const auto b = number_at(low, skip_spaces(low, s + sep));
    if (!b) continue;
    const std::string unit = unit_after(text, low, b->end);
    if (unit.empty()) continue;
    return ordered(a->value, b->value, unit);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 13> kAtMost{"at most",     "no more than", "not above",  "au plus",
                                                   "au maximum",  "inférieure à", "inférieur à", "maximum",
                                                   "maxi",        "max.",         "max",        "\xE2\x89\xA4",
                                                   "<"};
constexpr std::array<std::string_view, 12> kAtLeast{"at least",    "no less than", "au moins", "au minimum",
                                                    "supérieure à", "supérieur à", "minimum",  "mini",
                                                    "min.",        "min",          "\xE2\x89\xA5", ">"};

template <std::size_t N>
std::optional<std::pair<double, std::string>> bound(std::string_view text, std::string_view low,
                                                    const std::array<std::string_view, N>& words) {
  for (std::string_view w : words) {
    for (std::size_t at = low.find(w); at != std::string_view::npos; at = low.find(w, at + 1)) {
      if (at > 0 && is_letter_byte(low[at - 1]) && w.front() >= 'a' && w.front() <= 'z') continue;
      std::size_t i = skip_spaces(low, at + w.size());
      if (i < low.size() && low[i] == '=') i = skip_spaces(low, i + 1);  // "<=", ">="
      const auto n = number_at(low, i);
      if (!n) continue;
      return std::pair{n->value, unit_after(text, low, n->end)};
    }
  }
  return std::nullopt;
}

std::string trim(std::string_view s) {
  std::size_t a = skip_spaces(s, 0);
  std::size_t b = s.size();
  while (b > a && is_space(s[b - 1])) --b;
  return std::string(s.substr(a, b - a));
}

}  // namespace

std::optional<double> leading_decimal(std::string_view text, std::size_t* used) {
  std::size_t i = skip_spaces(text, 0);
  std::string digits;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    if (text[i] == '-') digits.push_back('-');
    ++i;
  } else if (text.substr(i, 3) == "\xE2\x88\x92") {  // U+2212 minus sign
    digits.push_back('-');
    i += 3;
  }
  const std::size_t int_start = i;
  while (i < text.size() && is_digit(text[i])) digits.push_back(text[i++]);
  if (i == int_start) return std::nullopt;
  if (i + 1 < text.size() && (text[i] == '.' || text[i] == ',') && is_digit(text[i + 1])) {
    digits.push_back('.');
    ++i;
    while (i < text.size() && is_digit(text[i])) digits.push_back(text[i++]);
  }
  double v = 0;
  const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || p != digits.data() + digits.size() || !std::isfinite(v) || std::fabs(v) > kLimit)
    return std::nullopt;
  if (used) *used = i;
  return v;
}

std::optional<double> parse_measured(std::string_view value) {
  std::size_t used = 0;
  const auto v = leading_decimal(value, &used);
  if (!v) return std::nullopt;
  const std::string rest = trim(value.substr(used));
  if (rest.size() > 16) return std::nullopt;
  if (!rest.empty() && (is_digit(rest.front()) || rest.front() == '.' || rest.front() == ',')) return std::nullopt;
  // "1e400" is an exponent, not 1 with a unit "e400".
  if (used < value.size() && (value[used] == 'e' || value[used] == 'E') && used + 1 < value.size() &&
      (is_digit(value[used + 1]) || value[used + 1] == '+' || value[used + 1] == '-'))
    return std::nullopt;
  return v;
}

std::optional<ValueRange> range_in_words(std::string_view text) {
  const std::string low = lower_ascii(text);
  if (auto r = between(text, low)) return r;
  if (auto r = dash_range(text, low)) return r;
  if (auto b = bound(text, low, kAtMost)) return ValueRange{std::nullopt, b->first, b->second};
  if (auto b = bound(text, low, kAtLeast)) return ValueRange{b->first, std::nullopt, b->second};
  return std::nullopt;
}

std::optional<ValueRange> range_in_tag(std::string_view args) {
  const std::string low = lower_ascii(args);
  std::size_t i = skip_spaces(low, 0);
  ValueRange r;
  auto rest_is_unit = [&](std::size_t from) -> bool {
    r.unit = trim(args.substr(std::min(from, args.size())));
    return r.unit.size() <= 16 && (r.unit.empty() || !is_digit(r.unit.front()));
  };
  for (auto [words, is_max] : {std::pair{std::array<std::string_view, 4>{"<=", "\xE2\x89\xA4", "<", "max"}, true},
                               std::pair{std::array<std::string_view, 4>{">=", "\xE2\x89\xA5", ">", "min"}, false}}) {
    for (std::string_view w : words) {
      if (low.substr(i, w.size()) != w) continue;
      std::size_t j = skip_spaces(low, i + w.size());
      if (j < low.size() && low[j] == '.') j = skip_spaces(low, j + 1);
      const auto n = number_at(low, j);
      if (!n) return std::nullopt;
      (is_max ? r.max : r.min) = n->value;
      if (!rest_is_unit(n->end)) return std::nullopt;
      return r;
    }
  }
  const auto a = number_at(low, i);
  if (!a) {
    if (!rest_is_unit(i)) return std::nullopt;
    return r;  // a unit alone, or nothing
  }
  const std::size_t s = skip_spaces(low, a->end);
  if (low.substr(s, 2) == "\xC2\xB1" || low.substr(s, 3) == "+/-") {  // "3.2 ± 0.2 bar"
    const auto tol = number_at(low, skip_spaces(low, s + (low[s] == '+' ? 3 : 2)));
    if (!tol || tol->value < 0) return std::nullopt;
    r.min = a->value - tol->value;
    r.max = a->value + tol->value;
    if (!rest_is_unit(tol->end)) return std::nullopt;
    return r;
  }
  const std::size_t sep = range_separator(low, s);
  if (!sep) return std::nullopt;
  const auto b = number_at(low, skip_spaces(low, s + sep));
  if (!b) return std::nullopt;
  r.min = a->value;
  r.max = b->value;
  if (!rest_is_unit(b->end)) return std::nullopt;
  return r;
}

bool outside(double value, const std::optional<double>& min, const std::optional<double>& max) {
  return (min && value < *min) || (max && value > *max);
}

std::string format_decimal(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", value);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

}  // namespace visor
