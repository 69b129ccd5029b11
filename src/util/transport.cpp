#include "util/transport.hpp"

namespace visor {
namespace {

// The value of `name` in a URL's query ("a=1&b=2"), if present.
std::optional<std::string> query_param(std::string_view url, std::string_view name) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = url.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return std::string(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

// The host of "scheme://[user[:pass]@]host[:port][/…]"; empty when none.
std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (rest.starts_with('[')) return std::string(rest.substr(1, rest.find(']') - 1));
  return std::string(rest.substr(0, rest.find(',')).substr(0, rest.find(':')));
}

bool loopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

bool socket_path(std::string_view host) {
  return host.starts_with('/') || host.starts_with("%2F") || host.starts_with("%2f");
}

}  // namespace

Transport postgres_transport(std::string_view url) {
  std::string host = url_host(url);
  if (const auto h = query_param(url, "host")) host = *h;
  if (host.empty() || socket_path(host) || loopback(host)) return Transport::local;
  const std::string mode = query_param(url, "sslmode").value_or("prefer");
  if (mode == "verify-full") return Transport::verified;
  if (mode == "verify-ca" || mode == "require" || mode == "prefer") return Transport::unverified;
  return Transport::plain;
}

Transport http_transport(std::string_view url, bool verify_tls) {
  if (loopback(url_host(url))) return Transport::local;
  if (!url.starts_with("https://")) return Transport::plain;
  return verify_tls ? Transport::verified : Transport::unverified;
}

std::optional<std::string> cmms_transport_warning(std::string_view url, bool verify_tls) {
  if (url.empty()) return std::nullopt;
  switch (http_transport(url, verify_tls)) {
    case Transport::plain:
      return "The CMMS is reached over plain HTTP across the network: its API key and the plant's data travel "
             "unencrypted. Use its https:// address.";
    case Transport::unverified:
      return "TLS certificate verification to the CMMS is off (verify_tls no): anyone on the path can pose as it "
             "and read the API key. Turn it on, giving the CA of a private certificate with ca_file.";
    default:
      return std::nullopt;
  }
}

}  // namespace visor
