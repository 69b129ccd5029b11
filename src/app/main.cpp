// The `visor` executable: everything happens in app/commands.cpp.
#include <malloc.h>

#include <string>
#include <vector>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  // Keep freed memory instead of handing it back at once: SQLite's reader
  // connections drop their page caches whenever another connection wrote,
  // and glibc returned those pages with madvise(), each call a TLB shootdown
  // across the cores — 7% of the server's CPU under a steady write load.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  return visor::app::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
