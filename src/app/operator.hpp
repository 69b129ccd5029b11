#pragma once
// Who runs a command-line action, for the audit log: the operating-system
// account (and, under sudo, the account that ran sudo). The CLI holds every
// permission; the audit entry still says who used it.
#include <string>

#include "auth/acting.hpp"

namespace visor::app {

/// "cli:<user>" or "cli:<user> (sudo by <user>)"; names are reduced to
/// printable characters, and an account without a name shows as "uid <n>".
std::string operator_label();

/// The Acting for account and device commands: no actor (every
/// permission), labelled operator_label().
auth::Acting operator_acting();

}  // namespace visor::app
