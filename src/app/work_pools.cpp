#include "app/work_pools.hpp"

#include <algorithm>
#include <thread>

#include "http/handlers/routes.hpp"

namespace visor::app {
namespace {

int cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

WorkPoolOptions api_options(const Config& c) {
  return {"api", c.workers > 0 ? c.workers : std::max(8, 4 * cores()), c.work_queue, 0};
}

}  // namespace

WorkPools::WorkPools(const Config& config, metrics::Registry& registry)
    : api(api_options(config), registry),
      // Sign-ins: few threads (Argon2id takes 64 MiB and a core each); the
      // queue holds a burst of them (a shift change, the parallel attempts the
      // throttles count) and refuses a flood beyond it. Every pool runs at the
      // I/O threads' priority: lowered (niceness 10), a saturated box starved
      // the hashing (3 of 200 sign-ins answered in 20 s, docs/performance.md).
      auth({"auth", std::max(1, cores() / 2), kAuthQueue}, registry),
      bulk({"bulk", std::max(2, cores() / 2), 32}, registry) {}

WorkPool* WorkPools::for_flags(std::uint32_t flags) {
  if (flags & handlers::kAuthWork) return &auth;
  if (flags & handlers::kBulkWork) return &bulk;
  if (flags & handlers::kApiWork) return &api;
  return nullptr;
}

}  // namespace visor::app
