#include "storage/sql/task_cursor.hpp"

#include <array>
#include <charconv>
#include <vector>

#include "util/error.hpp"

namespace visor::storage::sql {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16;
    for (int s : {18, 12}) out += kAlphabet[(v >> s) & 63];
  } else if (i + 2 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    for (int s : {18, 12, 6}) out += kAlphabet[(v >> s) & 63];
  }
  return out;
}

bool unbase64url(std::string_view in, std::string& out) {
  if (in.size() % 4 == 1) return false;
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    const std::size_t pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) return false;
    acc = (acc << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Canonical form only: the unused low bits of the last character are zero.
  return (acc & ((1u << bits) - 1)) == 0;
}

std::uint32_t checksum(std::string_view s) {
  std::uint32_t h = 2166136261u ^ 0x56495352u;  // FNV-1a, salted with "VISR"
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

[[noreturn]] void bad_cursor() { invalid("cursor is not valid"); }

}  // namespace

std::string encode_cursor(const TaskCursor& c) {
  const std::string body = "1." + std::to_string(static_cast<int>(c.sort)) + "." + std::to_string(c.key1) + "." +
                           std::to_string(c.key2) + "." + std::to_string(c.id);
  return base64url(body + "." + std::to_string(checksum(body)));
}

TaskCursor decode_cursor(std::string_view text, TaskSort sort) {
  if (text.size() > 200) bad_cursor();
  std::string raw;
  if (!unbase64url(text, raw)) bad_cursor();
  const std::size_t dot = raw.rfind('.');
  if (dot == std::string::npos) bad_cursor();
  const std::string_view body = std::string_view(raw).substr(0, dot);
  std::int64_t sum = 0;
  if (!parse_i64(std::string_view(raw).substr(dot + 1), sum) || sum != checksum(body)) bad_cursor();
  const std::vector<std::string_view> parts = split(body, '.');
  std::array<std::int64_t, 5> v{};
  if (parts.size() != v.size()) bad_cursor();
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!parse_i64(parts[i], v[i])) bad_cursor();
  if (v[0] != 1 || v[1] != static_cast<int>(sort)) bad_cursor();
  return TaskCursor{sort, v[2], v[3], v[4]};
}

}  // namespace visor::storage::sql
