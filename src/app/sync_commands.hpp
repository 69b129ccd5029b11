#pragma once
// The CMMS commands of the `visor` CLI (registered in commands.cpp):
//   visor connector set --url U [--database D] [--login L] [--protocol auto|json2|xmlrpc]
//                       [--poll-interval S] [--verify-tls yes|no] [--ca-file F] [--proxy P]
//                       [--timeout S] [--enabled yes|no]      (API key read from stdin)
//   visor connector show
//   visor connector test
//   visor sync --once [--reconcile]      one full cycle, for scripts (exit 1 on failure)
//   visor sync status                    the status as JSON
#include "app/args.hpp"
#include "app/config.hpp"

namespace visor::app {

int cmd_connector_set(const Args& args, const Config& config);
int cmd_connector_show(const Args& args, const Config& config);
int cmd_connector_test(const Args& args, const Config& config);
int cmd_sync(const Args& args, const Config& config);

}  // namespace visor::app
