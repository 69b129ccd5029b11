#pragma once
// Task use cases: each is one transaction that checks the rules, writes the
// change, its work-log entry, audit entry and outbox message together, and
// publishes a live event after commit. Handlers only parse and serialise.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "auth/throttle.hpp"
#include "services/context.hpp"
#include "services/task_detail.hpp"

namespace visor::services {

/// Fields a planner sets. On update, an unset optional leaves the field as
/// it is; an inner nullopt (e.g. `assignee_id = std::optional<UserId>{}`)
/// clears it.
struct TaskChanges {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::optional<EquipmentId>> equipment_id;
  std::optional<std::optional<UserId>> assignee_id;
  std::optional<std::optional<TeamId>> team_id;
  std::optional<StageId> stage_id;
  std::optional<Priority> priority;
  std::optional<MaintenanceType> type;
  std::optional<std::optional<TimePoint>> schedule_start;
  std::optional<std::optional<TimePoint>> schedule_end;
  std::optional<Instructions> instructions;
  std::optional<Recurrence> recurrence;
  std::optional<bool> archived;
};

/// How a floor action was taken: `at` is when it really happened (actions
/// queued offline arrive later), `client_action_id` makes replays harmless.
struct ActionOptions {
  std::optional<TimePoint> at;
  std::string client_action_id;
};

struct StepResult {
  std::optional<bool> done;
  std::optional<std::string> note;
  std::optional<std::string> value;
};

/// A fault reported on a machine: by a technician (on the glasses) or by
/// anyone through the public form on the machine's QR page.
struct ProblemReport {
  std::string equipment_code;
  std::string title;
  std::string description;
  Priority priority = 2;
  std::string contact;  // public form only: who to call back
};

/// Called with the version of what is about to be read (the stamps of the
/// scopes it depends on, as text, decision 0018); true when the body of
/// that version is already at hand (the client's copy, a cached body), so
/// that no rows are read.
using AtHand = std::function<bool(const std::string& version)>;

TaskDetail get_task(Deps& deps, const Caller& caller, TaskId id);
/// The same, except that in the read transaction it first reads the
/// version of the task's card (its own scope and the names it shows): when
/// `at_hand` says that card is at hand, no rows are read and the result is
/// empty.
std::optional<TaskDetail> get_task_unless(Deps& deps, const Caller& caller, TaskId id, const AtHand& at_hand);

/// Older work-log entries of a task the caller may see (a card holds the
/// newest ones and the cursor to these).
storage::WorkLogPage work_log(Deps& deps, const Caller& caller, TaskId id, const storage::WorkLogQuery& query);

/// The scopes a task list depends on: a technician's own tasks, or their
/// tasks and their team's; a planner's list filtered by assignee or team,
/// or every task — always with the names rows show.
std::vector<storage::ChangeScope> list_scopes(const storage::TaskQuery& query);

struct TaskList {
  std::string version;  // the stamps of list_scopes(): moves with every change the list may show
  std::optional<storage::TaskPage> page;  // absent when `unchanged` said so
  /// How many tasks match the whole query (every page), when asked for.
  std::optional<std::int64_t> total;
};
/// Lists tasks within the caller's visibility scope. In the same read
/// transaction it first reads the list's version; when `unchanged` says
/// the list of that version is already at hand (the client's copy, or a
/// rendered page in a cache), no rows are read.
/// With `with_total`, the same snapshot also counts every matching task.
TaskList list_tasks(Deps& deps, const Caller& caller, storage::TaskQuery query, const AtHand& unchanged = {},
                    bool with_total = false);

TaskDetail create_task(Deps& deps, const Caller& caller, const TaskChanges& changes);
/// `expected_version` (from If-Match) guards against lost updates.
TaskDetail update_task(Deps& deps, const Caller& caller, TaskId id, const TaskChanges& changes,
                       std::optional<std::int64_t> expected_version);
void delete_task(Deps& deps, const Caller& caller, TaskId id, std::optional<std::int64_t> expected_version);

TaskDetail start_task(Deps& deps, const Caller& caller, TaskId id, const ActionOptions& opts);
TaskDetail pause_task(Deps& deps, const Caller& caller, TaskId id, const ActionOptions& opts);
TaskDetail resume_task(Deps& deps, const Caller& caller, TaskId id, const ActionOptions& opts);
TaskDetail complete_task(Deps& deps, const Caller& caller, TaskId id, const ActionOptions& opts);
TaskDetail record_step(Deps& deps, const Caller& caller, TaskId id, int number, const StepResult& result,
                       const ActionOptions& opts);
TaskDetail add_note(Deps& deps, const Caller& caller, TaskId id, const std::string& text, const ActionOptions& opts);

/// A technician's (or planner's) fault report: a corrective task on the
/// machine, assigned to nobody, in the machine's team.
TaskDetail report_problem(Deps& deps, const Caller& caller, const ProblemReport& report);
/// At most this many public reports per address (anyone may post the form;
/// the limit keeps it from flooding the planners).
inline constexpr auth::ThrottleRule kPublicReports{10, std::chrono::hours(1)};

/// The public form: same task, reporter contact kept, no account. Returns
/// only the new task's id (the public sees nothing else). The report and
/// the throttle's record are one transaction: under concurrency no report
/// beyond kPublicReports is accepted (auth::RateLimited).
TaskId report_problem_public(Deps& deps, const std::string& remote_addr, const ProblemReport& report);

}  // namespace visor::services
