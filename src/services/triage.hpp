#pragma once
// Triage of faults reported from the floor (domain/triage.hpp): the inbox,
// its badge count, and the three decisions a planner takes. Each decision
// is one transaction: the task change (through update_task_in, so it is
// audited and sent to the CMMS like any planner's change), the triage
// record, a chatter note for the CMMS, and the live events after commit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/task_detail.hpp"
#include "services/tasks.hpp"
#include "storage/triage.hpp"

namespace visor::services {

/// One report in the inbox: the triage record and the task it made.
struct TriageItem {
  TriageRecord record;
  storage::TaskRow row;
  std::string description;
  std::string reporter_name;  // the reporting user's name ("" for the public form)
  std::string decided_by_name;
};

struct TriagePage {
  std::vector<TriageItem> items;
  std::int64_t pending = 0;  // the badge: every pending report
  std::string next_cursor;   // empty on the last page
};

/// The inbox page of `state` (pending: oldest first). `cursor` comes from a
/// previous page. Planners only.
TriagePage list_triage(Deps& deps, const Caller& caller, TriageState state, const std::string& cursor, int limit);
/// The badge: how many reports wait for a decision. Planners only.
std::int64_t pending_reports(Deps& deps, const Caller& caller);

/// What approving sets on the task; unset fields are left as they are.
struct Approval {
  std::optional<std::optional<UserId>> assignee_id;
  std::optional<std::optional<TeamId>> team_id;
  std::optional<std::optional<TimePoint>> schedule_start;
  std::optional<std::optional<TimePoint>> schedule_end;
  std::optional<Priority> priority;
  std::optional<StageId> stage_id;
};

/// Approves a pending report: the task takes the approval's planning.
TaskDetail approve_report(Deps& deps, const Caller& caller, TaskId id, const Approval& approval);
/// Rejects a pending report: the task is archived, the reason kept (1..500
/// bytes, required: the reporter and the CMMS learn why).
TaskDetail reject_report(Deps& deps, const Caller& caller, TaskId id, const std::string& reason);
/// Merges a pending report into an open task that covers the same fault:
/// the report's task is archived and its text becomes a note on `into`.
/// Returns `into`.
TaskDetail merge_report(Deps& deps, const Caller& caller, TaskId id, TaskId into);

/// Opens the triage record of a task just reported (called by the report
/// use cases in their transaction) and announces the new badge count.
void open_triage(storage::Tx& tx, Deps& deps, const Caller& caller, const Task& task, TriageSource source,
                 TimePoint now);

}  // namespace visor::services
