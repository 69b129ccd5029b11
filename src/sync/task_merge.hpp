#pragma once
// How CMMS changes and local changes meet, as plain functions (unit-tested
// in tests/unit/sync). The written policy is docs/decisions/0004-sync-conflicts.md.
//
//  - Pull: the CMMS's version of a task is copied onto the local one, except
//    the fields a local change still waiting in the outbox owns — that change
//    is delivered first and the conflict, if any, is decided then.
//  - Push: each field of a local change is compared three ways — what Visor
//    held before the change (base), what it wants (ours), what the CMMS holds
//    now (remote) — and `decide` says what to do.
#include <set>
#include <vector>

#include <boost/json/value.hpp>

#include "domain/rules.hpp"
#include "sync/task_fields.hpp"

namespace visor::sync {

/// Copies `remote` (a CMMS request with relations resolved to local ids)
/// onto `local`, skipping `owned` fields. Dates the CMMS computes
/// (request_date, close_date) are always taken. A stage change moves the
/// floor state as execution_in() says. Returns the shared fields that changed.
std::vector<TaskField> merge_remote(Task& local, const Task& remote, const std::set<TaskField>& owned,
                                    const StageSet& stages);

/// The floor state a task in `stage` has, as a user reads the CMMS's stages
/// (by their order and `done` flag, never their names): a done stage →
/// completed; the first stage → not started; any later open stage (Odoo's
/// "In Progress") → in progress, or still paused if it was.
Execution execution_in(StageId stage, Execution current, const StageSet& stages);

/// The floor state of a task first seen in the CMMS.
Execution initial_execution(const Task& remote, const StageSet& stages);

enum class FieldAction {
  already,     // the CMMS already holds our value: nothing to send
  send,        // the CMMS still holds the base: send ours
  cmms_wins,   // both changed a planning field: keep the CMMS's, record a conflict
  local_kept,  // both changed execution data (the stage): send ours, record a conflict
};

FieldAction decide(TaskField field, const boost::json::value& base, const boost::json::value& ours,
                   const boost::json::value& remote);

/// "cmms_wins" / "local_kept" (the Conflict.resolution text).
std::string_view resolution_text(FieldAction action);

}  // namespace visor::sync
