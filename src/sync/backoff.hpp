#pragma once
// When to try an outbox message again: exponential backoff with "equal
// jitter" — half the delay fixed, half random — so that many messages
// failing together (an Odoo outage) do not all come back at once.
#include <chrono>
#include <functional>

namespace visor::sync {

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};  // delay after the first failure
  std::chrono::milliseconds cap{300000};  // never more than 5 minutes
};

/// The delay before attempt `attempts + 1`, after `attempts` (≥ 1) failures:
/// d = min(cap, base·2^(attempts−1)); result in [d/2, d]. `unit_random`
/// returns a number in [0, 1) (injected for tests).
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempts,
                                        const std::function<double()>& unit_random);

/// A unit_random from libsodium's CSPRNG (thread-safe).
double random_unit();

}  // namespace visor::sync
