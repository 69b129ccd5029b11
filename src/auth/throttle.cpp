#include "auth/throttle.hpp"

#include <algorithm>

#include "auth/text.hpp"

namespace visor::auth {

std::chrono::seconds throttled_for(storage::AuthRepository& auth, std::string_view key, const ThrottleRule& rule,
                                   TimePoint now) {
  // A failure counts while it is less than `window` old: at > now - window.
  const auto over = [&](TimePoint since) { return auth.login_failures_since(key, since) >= rule.max_failures; };
  const std::chrono::seconds one(1);
  if (!over(now - rule.window + one)) return std::chrono::seconds(0);
  // Failures counted from `since` only decrease as `since` moves forward:
  // find the first `since` at which we are no longer over; that moment is
  // since + window - 1 s.
  TimePoint lo = now - rule.window + one;  // over
  TimePoint hi = now + one;                // nothing is recorded in the future
  while (hi - lo > one) {
    const TimePoint mid = lo + (hi - lo) / 2;
    (over(mid) ? lo : hi) = mid;
  }
  return std::max(one, hi + rule.window - one - now);
}

Attempt try_attempt(storage::AuthRepository& auth, std::string_view key, const ThrottleRule& rule, TimePoint now) {
  const std::chrono::seconds one(1);
  Attempt a;
  a.id = auth.try_record_failure(key, now, now - rule.window + one, rule.max_failures);
  if (!a.id) a.wait = std::max(one, throttled_for(auth, key, rule, now));
  return a;
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
std::string public_report_key(std::string_view remote_addr) {
  return "public-report:" + std::string(remote_addr.substr(0, 128));
}
std::string public_card_key(std::string_view remote_addr) {
  return "public-card:" + std::string(remote_addr.substr(0, 128));
}

}  // namespace visor::auth
