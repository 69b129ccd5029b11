#pragma once
// Failure throttling over the store's failure log (AuthRepository), shared by
// login (per account and per address) and pairing redemption (per address).
// Kept in the store so that it holds across restarts and across instances.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "storage/users.hpp"
#include "util/error.hpp"

namespace visor::auth {

/// At most `max_failures` failures within any `window`.
struct ThrottleRule {
  int max_failures = 5;
  std::chrono::seconds window{std::chrono::minutes(15)};
};

/// Error(rate_limited) that also says when to retry (for Retry-After).
class RateLimited : public Error {
 public:
  RateLimited(std::string detail, std::chrono::seconds retry_after)
      : Error(ErrorCode::rate_limited, std::move(detail)), retry_after_(retry_after) {}
  std::chrono::seconds retry_after() const { return retry_after_; }

 private:
  std::chrono::seconds retry_after_;
};

/// An attempt under a throttle: recorded (as a failure, until forgotten
/// when it succeeds) when allowed; otherwise how long to wait.
struct Attempt {
  std::optional<std::int64_t> id;
  std::chrono::seconds wait{0};
  bool allowed() const { return id.has_value(); }
};

/// Checks `rule` for `key` and records the attempt in one atomic step
/// (AuthRepository::try_record_failure): under concurrency no more than
/// `max_failures` attempts ever pass. Call in a write transaction; call
/// `auth.forget_failure(*attempt.id)` when the attempt succeeds.
Attempt try_attempt(storage::AuthRepository& auth, std::string_view key, const ThrottleRule& rule, TimePoint now);

/// How long until `key` may fail again under `rule`; zero when it is not
/// throttled now. Exact to the second (a few indexed counts, only when over).
std::chrono::seconds throttled_for(storage::AuthRepository& auth, std::string_view key, const ThrottleRule& rule,
                                   TimePoint now);

/// "Try again in 12 minutes." / "Try again in 40 seconds."
std::string retry_phrase(std::chrono::seconds wait);

/// Failure-log keys. Logins are lowercased so that case variants share a
/// counter; the address is taken as given by the HTTP layer.
std::string account_key(std::string_view login);
std::string address_key(std::string_view remote_addr);
std::string pairing_address_key(std::string_view remote_addr);
std::string public_report_key(std::string_view remote_addr);
std::string public_card_key(std::string_view remote_addr);

}  // namespace visor::auth
