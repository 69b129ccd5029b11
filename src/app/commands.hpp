#pragma once
// The `visor` command line: serve, migrate, user …, token …, device pair,
// demo-data. Each command is a plain function over the store and the auth
// module, sharing the configuration layers with the server.
#include <string>
#include <vector>

namespace visor::app {

/// Runs the command line; returns the process exit code. Errors are printed
/// as one clear line on stderr (exit 2 for usage errors, 1 otherwise).
int run_cli(const std::vector<std::string>& argv);

}  // namespace visor::app
