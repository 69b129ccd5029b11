#include "http/validate.hpp"

#include <boost/url/parse_query.hpp>

namespace visor::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool dot_dot_segment(std::string_view decoded) {
  std::size_t start = 0;
  while (start <= decoded.size()) {
    std::size_t end = decoded.find('/', start);
    if (end == std::string_view::npos) end = decoded.size();
    if (decoded.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::optional<std::string> decode_path(std::string_view raw) {
  if (raw.empty() || raw.front() != '/') return std::nullopt;
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c != '%') {
      if (is_control(static_cast<unsigned char>(c))) return std::nullopt;
      out.push_back(c);
      continue;
    }
    if (i + 2 >= raw.size()) return std::nullopt;
    const int hi = hex_value(raw[i + 1]);
    const int lo = hex_value(raw[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
    if (is_control(decoded) || decoded == '/') return std::nullopt;
    out.push_back(static_cast<char>(decoded));
    i += 2;
  }
  if (dot_dot_segment(out) || !valid_utf8(out)) return std::nullopt;
  return out;
}

bool valid_query(std::string_view query) {
  const auto params = boost::urls::parse_query(query);
  if (params.has_error()) return false;
  // Handlers see decoded keys and values (and may echo a key in a problem's
  // detail): they must be text, like the path.
  for (const auto& p : *params) {
    for (const std::string& text : {p.key.decode(), p.value.decode()})
      if (text.find('\0') != std::string::npos || !valid_utf8(text)) return false;
  }
  return true;
}

bool sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace visor::http
