#pragma once
// Reverse proxies Visor believes. Behind a TLS-terminating proxy the peer of
// every connection is the proxy: the client's address and scheme arrive in
// X-Forwarded-For and X-Forwarded-Proto, which anyone can also send. Only
// from the configured proxies are they taken; from anyone else they are
// ignored, so a client cannot pick the address its throttles and audit
// entries see.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace visor::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  /// Entries are IPv4 or IPv6 addresses or CIDR ranges ("10.0.0.0/8",
  /// "fd00::/8"). Throws std::invalid_argument for anything else.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  static bool valid_entry(std::string_view entry);

  bool empty() const { return ranges_.empty(); }
  /// True when `address` (as the socket reports it; IPv4-mapped IPv6 counts
  /// as IPv4) lies in one of the ranges.
  bool contains(std::string_view address) const;

  /// When the request's peer (req.remote_addr) is a trusted proxy:
  /// remote_addr becomes the client — the rightmost X-Forwarded-For address
  /// that is not itself a trusted proxy — and `tls` becomes true when the
  /// nearest X-Forwarded-Proto says https. Malformed forwarded values leave
  /// the request as it came. Otherwise nothing changes.
  void apply(Request& req) const;

 private:
  struct Range {
    std::array<unsigned char, 16> bytes{};
    int prefix = 0;
    bool v4 = false;
  };
  static bool parse(std::string_view entry, Range& out);
  std::vector<Range> ranges_;
};

}  // namespace visor::http
