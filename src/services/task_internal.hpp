#pragma once
// Pieces of the task use cases that other use cases run inside their own
// transaction (triage decisions change a task and record the decision in
// one commit; a step result, a follow-up, a meter reading that creates work,
// a completion with its sign-off). Internal to services/.
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

/// The task, if the caller may see it; not_found otherwise (its existence
/// is not theirs to know).
Task load_visible_task(storage::Tx& tx, const Caller& caller, TaskId id);

/// Publishes `type` with the task's list form (plus `extra`) to the people
/// who see it, once `tx` commits.
void publish_task_change(Deps& deps, storage::Tx& tx, std::string type, const Task& task,
                         boost::json::object extra = {});

/// The time a floor action happened (`opts.at`, checked against the clock:
/// at most 5 minutes ahead, 30 days back), after checking its client id.
TimePoint floor_action_time(const ActionOptions& opts, TimePoint now);

/// Appends the action's work-log entry first: false when it is a replay
/// (same client_action_id), and nothing else must then be written.
bool log_floor_action(storage::Tx& tx, const Caller& caller, TaskId id, WorkLogKind kind, TimePoint at,
                      const ActionOptions& opts, std::optional<int> step = std::nullopt, std::string text = {},
                      std::string value = {});

/// The person behind a caller, for notes meant for the CMMS (a device acts
/// for its user); none for the system or the public form.
std::optional<UserId> person_of(const Caller& caller);

}  // namespace visor::services
