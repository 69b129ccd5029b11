#pragma once
// The one place a task's steps are built: from its instructions (their tags
// make typed steps) and from the procedure that applies to its machine
// (domain/steps.hpp). Used wherever a task's instructions, machine or kind
// change (planners, the CMMS pull, demo data) and when a procedure is saved.
#include "storage/store.hpp"

namespace visor::storage {

/// Rebuilds the steps of `task` in `tx`: its instructions' steps, then —
/// for a task not started yet — the steps of the procedure that applies
/// now; a started task keeps the procedure steps it has (its snapshot).
/// Results of unchanged steps are kept. Records which procedure and which
/// sign-off the task follows.
void rebuild_task_steps(Tx& tx, const Task& task);

}  // namespace visor::storage
