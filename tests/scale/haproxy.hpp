#pragma once
// Debian's HAProxy running deploy/haproxy.cfg as shipped, with only the
// `bind` lines (one loopback port) and the `server` lines (the instances
// under test) replaced, and an admin socket to read the servers' states.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support.hpp"

namespace visor::scaletest {

class Haproxy {
 public:
  /// Starts haproxy in front of the instances on `ports`; port() is 0 when
  /// it did not start (errors() says why).
  explicit Haproxy(const std::vector<std::uint16_t>& ports);
  ~Haproxy();
  Haproxy(const Haproxy&) = delete;
  Haproxy& operator=(const Haproxy&) = delete;

  std::uint16_t port() const { return port_; }
  std::string errors() const;
  /// "UP", "DOWN", "MAINT", … of server visor<n> (1-based), "" when unknown.
  std::string state(int n) const;
  /// Waits until every server is UP (true) or the deadline passed.
  bool wait_all(const std::string& state, std::chrono::seconds limit) const;
  bool wait_state(int n, const std::string& state, std::chrono::seconds limit) const;

 private:
  opstest::TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::size_t servers_ = 0;
};

}  // namespace visor::scaletest
