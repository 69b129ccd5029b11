#include "storage/sql/text.hpp"

#include <algorithm>
#include <cstdint>

namespace visor::storage::sql {
namespace {

char32_t lower(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if (c < 0xC0) return c;
  if (c <= 0xDE) return c == 0xD7 ? c : c + 32;  // À..Þ except ×
  if (c >= 0x100 && c <= 0x137) return (c % 2 == 0) ? c + 1 : c;  // Ā..ķ pairs
  if (c >= 0x139 && c <= 0x148) return (c % 2 == 1) ? c + 1 : c;  // Ĺ..ň pairs
  if (c >= 0x14A && c <= 0x177) return (c % 2 == 0) ? c + 1 : c;  // Ŋ..ŷ pairs (Œ, Š, …)
  if (c == 0x178) return 0xFF;                                     // Ÿ
  if (c >= 0x179 && c <= 0x17E) return (c % 2 == 1) ? c + 1 : c;  // Ź..ž pairs
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;       // Greek capitals
  if (c >= 0x400 && c <= 0x40F) return c + 80;                     // Ѐ..Џ
  if (c >= 0x410 && c <= 0x42F) return c + 32;                     // А..Я
  return c;
}

// Decodes one well-formed UTF-8 sequence at `i`; returns its length, or 0 when
// the bytes there are not a well-formed sequence.
std::size_t decode(std::string_view s, std::size_t i, char32_t& out) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) {
    out = c;
    return 1;
  }
  std::size_t n = 0;
  if ((c & 0xE0) == 0xC0) n = 2, out = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 3, out = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 4, out = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    out = (out << 6) | (b(k) & 0x3F);
  }
  return n;
}

void encode(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    const std::size_t n = decode(text, i, c);
    if (n == 0) {
      out += text[i++];  // not UTF-8: keep the byte
      continue;
    }
    if (n == 1) {
      out += static_cast<char>(lower(c));
    } else {
      const char32_t l = lower(c);
      if (l == c) out.append(text.substr(i, n));
      else encode(l, out);
    }
    i += n;
  }
  return out;
}

std::string escape_like(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 4);
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string contains_pattern(std::string_view text) { return "%" + escape_like(text) + "%"; }

}  // namespace visor::storage::sql

namespace visor::storage::sql {

std::string contains_clause(Backend backend, std::string_view column, std::string_view placeholder,
                            std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string out;
  if (backend == Backend::postgres) {
    out.append(column).append(" ILIKE ").append(placeholder);
  } else if (ascii) {
    out.append(column).append(" LIKE ").append(placeholder);
  } else {
    out.append("visor_fold(").append(column).append(") LIKE ").append(placeholder);
  }
  return out.append(" ESCAPE '\\'");
}

std::string search_pattern(Backend backend, std::string_view text) {
  if (backend == Backend::postgres) return contains_pattern(text);
  return contains_pattern(fold_case(text));
}

}  // namespace visor::storage::sql
