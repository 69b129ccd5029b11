#pragma once
// `visor serve`: runs an Application (see application.hpp) until SIGINT or
// SIGTERM, loading the demo plant first when asked to.
#include <vector>

#include "app/config.hpp"
#include "app/demo_data.hpp"

namespace visor::app {

int serve(const Config& config);

/// Keeps the generated demo logins in <data_dir>/demo-logins.txt (mode 0600)
/// so that `scripts/run` can show them again on later starts.
void write_demo_logins(const Config& config, const std::vector<DemoLogin>& logins);
void print_demo_logins(const Config& config, const std::vector<DemoLogin>& logins);

}  // namespace visor::app
