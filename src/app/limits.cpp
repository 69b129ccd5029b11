#include "app/limits.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace visor::app {
namespace {

constexpr std::uint64_t kUnlimited = std::uint64_t{1} << 20;

std::uint64_t value(rlim_t v) { return v == RLIM_INFINITY ? kUnlimited : std::uint64_t(v); }

}  // namespace

std::uint64_t open_file_limit() {
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0) return 1024;
  return value(l.rlim_cur);
}

std::uint64_t raise_open_file_limit() {
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0) return 1024;
  if (l.rlim_cur != l.rlim_max) {
    rlimit raised = l;
    raised.rlim_cur = l.rlim_max;
    // Some kernels refuse RLIM_INFINITY for descriptors: settle for nr_open.
    if (::setrlimit(RLIMIT_NOFILE, &raised) != 0 && l.rlim_max == RLIM_INFINITY) {
      raised.rlim_cur = std::max<rlim_t>(l.rlim_cur, kUnlimited);
      ::setrlimit(RLIMIT_NOFILE, &raised);
    }
  }
  return open_file_limit();
}

}  // namespace visor::app
