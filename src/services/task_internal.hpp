#pragma once
// Pieces of the task use cases that other use cases run inside their own
// transaction (triage decisions change a task and record the decision in
// one commit). Internal to services/.
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "services/tasks.hpp"

namespace visor::services {

/// update_task's body in the caller's transaction: the same checks, outbox
/// message, audit entry and live event (after that transaction commits).
TaskDetail update_task_in(storage::Tx& tx, Deps& deps, const Caller& caller, TaskId id, const TaskChanges& changes,
                          std::optional<std::int64_t> expected_version, TimePoint now);

/// The card of task `id` as it stands in `tx` (not_found when missing).
TaskDetail load_task_detail(storage::Tx& tx, TaskId id, TimePoint now);

/// Publishes `type` with the task's list form (plus `extra`) to the people
/// who see it, once `tx` commits.
void publish_task_change(Deps& deps, storage::Tx& tx, std::string type, const Task& task,
                         boost::json::object extra = {});

}  // namespace visor::services
