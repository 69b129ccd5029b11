#pragma once
// The worker pools the HTTP server hands blocking work to (decision 0017),
// sized from the configuration, and the route flag → pool mapping the
// server's `pool_for` uses. The route table declares each route's work
// class (handlers::Work); nothing else chooses a pool.
#include <cstddef>
#include <cstdint>

#include "app/config.hpp"
#include "util/work_pool.hpp"

namespace visor::app {

/// Sign-in attempts that may wait for a hashing thread; beyond: 503.
inline constexpr std::size_t kAuthQueue = 64;

class WorkPools {
 public:
  WorkPools(const Config& config, metrics::Registry& registry);

  /// The pool for a route's flags; null for routes without a work flag
  /// (static files, /healthz, unknown paths): they run on the I/O thread.
  WorkPool* for_flags(std::uint32_t flags);

  /// Store transactions: many threads, since most of their time is waiting
  /// (on the SQLite writer's group commit, on PostgreSQL round trips).
  WorkPool api;
  /// Argon2id (64 MiB, ~80 ms each): cores/2 threads and kAuthQueue
  /// waiting, so a sign-in flood costs at most these cores and answers 503
  /// beyond.
  WorkPool auth;
  /// Exports, image processing, uncomputed reports, CMMS round trips.
  WorkPool bulk;
};

}  // namespace visor::app
