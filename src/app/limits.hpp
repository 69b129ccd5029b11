#pragma once
// The process's open-file limit. Every connection, live stream, database
// file and log takes a descriptor; `visor serve` raises the soft limit to
// the hard one at start (systemd's LimitNOFILE sets the hard one), and the
// cap on live streams is derived from what it then has.
#include <cstdint>

namespace visor::app {

/// The current soft RLIMIT_NOFILE (RLIM_INFINITY reads as 1 << 20).
std::uint64_t open_file_limit();

/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft
/// limit (the old one when raising fails).
std::uint64_t raise_open_file_limit();

}  // namespace visor::app
