#include "sync/backoff.hpp"

#include <algorithm>
#include <sodium.h>

namespace visor::sync {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempts,
                                        const std::function<double()>& unit_random) {
  attempts = std::max(attempts, 1);
  const auto cap = std::max(policy.cap.count(), std::int64_t{1});
  std::int64_t d = std::max(policy.base.count(), std::int64_t{1});
  for (int i = 1; i < attempts && d < cap; ++i) d *= 2;
  d = std::min(d, cap);
  const double r = std::clamp(unit_random(), 0.0, 1.0);
  const auto half = d / 2;
  return std::chrono::milliseconds(half + static_cast<std::int64_t>(static_cast<double>(d - half) * r));
}

double random_unit() { return static_cast<double>(randombytes_random()) / 4294967296.0; }

}  // namespace visor::sync
