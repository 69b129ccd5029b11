#include "auth/throttle.hpp"

#include "auth/text.hpp"

namespace visor::auth {

std::chrono::seconds throttled_for(storage::AuthRepository& auth, std::string_view key, const ThrottleRule& rule,
                                   TimePoint now) {
  const auto over = [&](TimePoint since) { return auth.login_failures_since(key, since) >= rule.max_failures; };
  if (!over(now - rule.window)) return std::chrono::seconds(0);
  // Failures counted from `since` only decrease as `since` moves forward:
  // find the first `since` at which we are no longer over; retry at
  // since + window.
  TimePoint lo = now - rule.window;        // over
  TimePoint hi = now + std::chrono::seconds(1);  // nothing recorded in the future
  while (hi - lo > std::chrono::seconds(1)) {
    const TimePoint mid = lo + (hi - lo) / 2;
    (over(mid) ? lo : hi) = mid;
  }
  return std::max(std::chrono::seconds(1), hi + rule.window - now);
}

std::string retry_phrase(std::chrono::seconds wait) {
  if (wait < std::chrono::seconds(60)) {
    const auto s = wait.count();
    return "Try again in " + std::to_string(s) + (s == 1 ? " second." : " seconds.");
  }
  const auto m = (wait.count() + 59) / 60;
  return "Try again in " + std::to_string(m) + (m == 1 ? " minute." : " minutes.");
}

std::string account_key(std::string_view login) { return "login:" + ascii_lower(trim(login).substr(0, 128)); }
std::string address_key(std::string_view remote_addr) { return "addr:" + std::string(remote_addr.substr(0, 128)); }
std::string pairing_address_key(std::string_view remote_addr) { return "pair:" + std::string(remote_addr.substr(0, 128)); }

}  // namespace visor::auth
