#pragma once
// The operations commands of the `visor` CLI (registered in commands.cpp):
//   visor backup --out DIR [--include-key]   a consistent copy while serving
//   visor restore --from DIR [--verify-only] into an empty data directory / database
//   visor key rotate [--new-key-file FILE]   a new key; stored secrets re-sealed
#include "app/args.hpp"
#include "app/config.hpp"

namespace visor::app {

int cmd_backup(const Args& args, const Config& config);
int cmd_restore(const Args& args, const Config& config);
int cmd_key_rotate(const Args& args, const Config& config);

}  // namespace visor::app
