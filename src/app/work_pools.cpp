#include "app/work_pools.hpp"

#include <algorithm>
#include <thread>

#include "http/handlers/routes.hpp"

namespace visor::app {
namespace {

int cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

// Niceness: the I/O threads and store work (0) first, then exports and
// images (5), and Argon2id last (10) — a flood of sign-ins takes only what
// is left over.
WorkPoolOptions api_options(const Config& c) {
  return {"api", c.workers > 0 ? c.workers : std::max(8, 4 * cores()), c.work_queue, 0};
}

}  // namespace

WorkPools::WorkPools(const Config& config, metrics::Registry& registry)
    : api(api_options(config), registry),
      auth({"auth", std::max(1, cores() / 2), 8, 10}, registry),
      bulk({"bulk", std::max(2, cores() / 2), 32, 5}, registry) {}

WorkPool* WorkPools::for_flags(std::uint32_t flags) {
  if (flags & handlers::kAuthWork) return &auth;
  if (flags & handlers::kBulkWork) return &bulk;
  if (flags & handlers::kApiWork) return &api;
  return nullptr;
}

}  // namespace visor::app
