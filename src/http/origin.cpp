#include "http/origin.hpp"

#include <boost/url/parse.hpp>

namespace visor::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string origin_from(std::string_view scheme, std::string_view host, std::string_view port) {
  const bool default_port = port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  std::string out = lower(scheme) + "://" + lower(host);
  if (!default_port) out += ":" + std::string(port);
  return out;
}

}  // namespace

std::string origin_of(std::string_view url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return {};
  const std::string scheme = lower(parsed->scheme());
  if (scheme != "http" && scheme != "https") return {};
  return origin_from(scheme, parsed->encoded_host(), parsed->port());
}

std::optional<std::string> cross_site_reason(const Request& req, std::string_view public_url) {
  if (const auto site = req.header("Sec-Fetch-Site")) {
    const std::string value = lower(trim(*site));
    if (value != "same-origin" && value != "none") return "Sec-Fetch-Site: " + value;
  }
  const auto origin = req.header("Origin");
  if (!origin) return std::nullopt;
  const std::string sent = lower(trim(*origin));
  if (sent == "null") return std::string("Origin: null");
  const std::string normalized = origin_of(sent);
  if (normalized.empty()) return "Origin: " + sent.substr(0, 100);
  if (normalized == origin_of(public_url)) return std::nullopt;
  if (const auto host = req.header("Host")) {
    const std::string own = origin_of(std::string(req.tls ? "https://" : "http://") + std::string(trim(*host)));
    if (!own.empty() && normalized == own) return std::nullopt;
  }
  return "Origin: " + sent.substr(0, 100);
}

std::string media_type(std::string_view content_type) {
  return lower(trim(content_type.substr(0, content_type.find(';'))));
}

std::string charset(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  while (semi != std::string_view::npos) {
    std::string_view rest = content_type.substr(semi + 1);
    const std::size_t next = rest.find(';');
    std::string_view param = trim(rest.substr(0, next));
    const std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == "charset") {
      std::string_view value = trim(param.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return lower(value);
    }
    semi = next == std::string_view::npos ? next : semi + 1 + next;
  }
  return {};
}

}  // namespace visor::http
