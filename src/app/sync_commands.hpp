#pragma once
// The CMMS commands of the `visor` CLI (registered in commands.cpp):
//   visor connector set --url U [--database D] [--login L] [--protocol auto|json2|xmlrpc]
//                       [--poll-interval S] [--verify-tls yes|no] [--ca-file F] [--proxy P]
//                       [--timeout S] [--enabled yes|no] [--deletion-guard-percent P]
//                       [--deletion-guard-max N]              (API key read from stdin)
//   visor connector show
//   visor connector test
//   visor sync --once [--reconcile]      one full cycle, for scripts (exit 1 on failure)
//   visor sync status                    the status as JSON (the running server's state)
//   visor sync deletions                 deletions held by the mass-deletion guard
//   visor sync confirm-deletions [--model M]  an admin confirms them
// None of them touches the running server's sync lease.
#include "app/args.hpp"
#include "app/config.hpp"

namespace visor::app {

int cmd_connector_set(const Args& args, const Config& config);
int cmd_connector_show(const Args& args, const Config& config);
int cmd_connector_test(const Args& args, const Config& config);
int cmd_sync(const Args& args, const Config& config);

}  // namespace visor::app
