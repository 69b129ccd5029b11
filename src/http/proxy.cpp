#include "http/proxy.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <stdexcept>

namespace visor::http {
namespace {

namespace ip = boost::asio::ip;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The address as 16 bytes (IPv4 in the last 4) and whether it is IPv4.
bool to_bytes(std::string_view text, std::array<unsigned char, 16>& bytes, bool& v4) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(text), ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  bytes = {};
  v4 = a.is_v4();
  if (v4) {
    const auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin() + 12);
  } else {
    bytes = a.to_v6().to_bytes();
  }
  return true;
}

bool in_range(const std::array<unsigned char, 16>& bytes, bool v4, const std::array<unsigned char, 16>& net,
              int prefix, bool net_v4) {
  if (v4 != net_v4) return false;
  const int bits = prefix + (v4 ? 96 : 0);
  for (int i = 0; i < bits; ++i) {
    const int byte = i / 8;
    const int mask = 0x80 >> (i % 8);
    if ((bytes[std::size_t(byte)] & mask) != (net[std::size_t(byte)] & mask)) return false;
  }
  return true;
}

// The elements of a comma-separated header, last one first.
std::vector<std::string_view> elements_from_right(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const auto comma = value.rfind(',');
    out.push_back(trim(comma == std::string_view::npos ? value : value.substr(comma + 1)));
    if (comma == std::string_view::npos) break;
    value = value.substr(0, comma);
  }
  return out;
}

}  // namespace

bool TrustedProxies::parse(std::string_view entry, Range& out) {
  entry = trim(entry);
  const auto slash = entry.find('/');
  if (!to_bytes(entry.substr(0, slash), out.bytes, out.v4)) return false;
  const int max = out.v4 ? 32 : 128;
  out.prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view bits = entry.substr(slash + 1);
    const auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), out.prefix);
    if (ec != std::errc{} || p != bits.data() + bits.size() || out.prefix < 0 || out.prefix > max) return false;
  }
  return true;
}

bool TrustedProxies::valid_entry(std::string_view entry) {
  Range r;
  return parse(entry, r);
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const std::string& e : entries) {
    Range r;
    if (!parse(e, r)) throw std::invalid_argument("'" + e + "' is not an IP address or a CIDR range");
    ranges_.push_back(r);
  }
}

bool TrustedProxies::contains(std::string_view address) const {
  std::array<unsigned char, 16> bytes{};
  bool v4 = false;
  if (!to_bytes(address, bytes, v4)) return false;
  for (const Range& r : ranges_)
    if (in_range(bytes, v4, r.bytes, r.prefix, r.v4)) return true;
  return false;
}

void TrustedProxies::apply(Request& req) const {
  if (ranges_.empty() || !contains(req.remote_addr)) return;
  if (const auto forwarded = req.header("X-Forwarded-For")) {
    std::string client;
    for (std::string_view hop : elements_from_right(*forwarded)) {
      std::array<unsigned char, 16> bytes{};
      bool v4 = false;
      if (!to_bytes(hop, bytes, v4)) {
        client.clear();  // malformed: believe nothing of it
        break;
      }
      client = std::string(hop);
      if (!contains(hop)) break;
    }
    if (!client.empty()) req.remote_addr = client;
  }
  if (const auto proto = req.header("X-Forwarded-Proto")) {
    const auto nearest = elements_from_right(*proto).front();
    if (iequals(nearest, "https")) req.tls = true;
  }
}

}  // namespace visor::http
