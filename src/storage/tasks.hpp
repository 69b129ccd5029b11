#pragma once
// Task storage: tasks, their steps and their work log.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/model.hpp"
#include "storage/change_scope.hpp"

namespace visor::storage {

enum class TaskSort {
  newest,    // id descending (Odoo's default order)
  schedule,  // schedule_start ascending, unscheduled last, then id ascending
  priority,  // priority descending, then schedule (unscheduled last), then id ascending
  updated,   // updated_at descending, then id descending
};

/// Filters for task lists. Empty optionals mean "any".
struct TaskQuery {
  /// Visibility scope of a technician: tasks assigned to `scope_user` OR in
  /// `scope_team`. Unset for planners (they see everything).
  std::optional<UserId> scope_user;
  std::optional<TeamId> scope_team;
  bool scoped = false;

  std::optional<UserId> assignee;
  bool unassigned_only = false;
  std::optional<StageId> stage;
  std::optional<EquipmentId> equipment;
  std::optional<TeamId> team;
  std::optional<Execution> execution;
  std::optional<TimePoint> due_before;   // schedule_start < due_before
  std::optional<TimePoint> scheduled_from;  // schedule_start >= (calendar views)
  std::optional<TimePoint> scheduled_to;    // schedule_start < (calendar views)
  /// Only tasks late at this instant: open (not in a done stage, not
  /// completed) with their scheduled end — or start, without an end — before
  /// it. The same rule as domain is_overdue and the dashboard's count.
  std::optional<TimePoint> late_at;
  std::string text;                      // case-insensitive match in title/description
  bool include_done = false;             // tasks in a done stage
  bool include_archived = false;
  TaskSort sort = TaskSort::newest;
  /// Opaque keyset cursor returned as `TaskPage::next_cursor`.
  std::string cursor;
  int limit = 50;  // 1..500, checked by the caller
};

/// A task with the names a list shows next to it (joined in the query).
struct TaskRow {
  Task task;
  std::string equipment_name;
  std::string equipment_location;
  std::string equipment_code;
  std::string assignee_name;
  std::string stage_name;
  bool stage_done = false;
  int steps_total = 0;
  int steps_done = 0;
};

struct TaskPage {
  std::vector<TaskRow> rows;
  std::string next_cursor;  // empty on the last page
};

/// A page of a task's work log, newest first when paging back in time.
struct WorkLogQuery {
  /// A cursor from a previous page (WorkLogPage::before); empty: start from
  /// the newest entry. Throws Error(invalid_input) when malformed.
  std::string before;
  int limit = 50;  // entries at most (1..500, checked by the caller)
  /// When > 0, the page stops before the entries' texts (note and value)
  /// add up to more than this many bytes — the newest entry is always in.
  /// Keeps a task card's size bounded whatever the history.
  std::size_t text_budget = 0;
};

struct WorkLogPage {
  std::vector<WorkLogEntry> entries;  // oldest first, as a timeline reads
  std::string before;  // cursor to the entries older than these; empty when none
};

struct WorkLogSummary {
  std::vector<WorkLogEntry> sessions;       // id, kind, at and user only
  std::vector<std::pair<int, int>> photos;  // (step number, photos logged on it)
};

class TaskRepository {
 public:
  virtual ~TaskRepository() = default;

  virtual std::optional<Task> get(TaskId id) = 0;
  virtual std::optional<TaskRow> get_row(TaskId id) = 0;
  virtual std::optional<Task> get_by_odoo(OdooId id) = 0;
  /// A page of rows. Their tasks leave the long texts empty (description,
  /// instruction text and link): lists never show them, get_row() has them.
  /// Throws Error(invalid_input) for a malformed cursor.
  virtual TaskPage list(const TaskQuery& query) = 0;
  virtual std::int64_t count(const TaskQuery& query) = 0;

  /// Inserts `task` (its id is ignored); sets id, version = 1. Returns the id.
  virtual TaskId insert(Task& task) = 0;
  /// Writes every field of `task` if the stored version equals
  /// `expected_version`; then task.version = expected_version + 1. Throws
  /// Error(precondition_failed) on a stale version, not_found if missing.
  virtual void update(Task& task, std::int64_t expected_version) = 0;
  /// Deletes the task with its steps, work log and media rows.
  virtual void remove(TaskId id) = 0;

  virtual std::vector<Step> steps(TaskId id) = 0;
  virtual void replace_steps(TaskId id, const std::vector<Step>& steps) = 0;
  /// Updates one step's result; not_found if the step does not exist.
  virtual void save_step(TaskId id, const Step& step) = 0;

  /// The whole work log, oldest first (exports, Odoo notes; never a card).
  virtual std::vector<WorkLogEntry> work_log(TaskId id) = 0;
  /// The newest entries before `query.before` (ordered by time, then id).
  virtual WorkLogPage work_log_page(TaskId id, const WorkLogQuery& query) = 0;
  /// What a card derives from the whole log, in one read: the entries that
  /// open and close work sessions (started, paused, resumed, completed),
  /// oldest first — enough for time on tool — and the photos per step.
  virtual WorkLogSummary summary(TaskId id) = 0;
  /// The entry recorded with this client_action_id, if any.
  virtual std::optional<WorkLogEntry> log_entry_by_action(TaskId id, const std::string& client_action_id) = 0;
  /// Appends an entry; sets its id. Returns false (and writes nothing) when an
  /// entry with the same non-empty client_action_id already exists for the
  /// task: replays are harmless.
  virtual bool append_log(WorkLogEntry& entry) = 0;

  /// A number that grows with every change to any task, step or work log,
  /// and when a stage, team, category, machine or user that task rows or
  /// the reports name is added or changed: once per committed transaction
  /// that changed any of them. Shared by every instance on one database.
  /// The stamps below are drawn from it.
  virtual std::int64_t revision() = 0;
  /// The stamps of `scopes` (decision 0018): each moves when a committed
  /// change touches its scope — a task row for its card, its assignee's
  /// and team's lists (before and after), every-task lists and reports; a
  /// step for its card and lists; a work-log entry for its card (and the
  /// reports for starts and completions); a name for every list, card and
  /// report. A scope never touched reads 0. Shared by every instance on one
  /// database, like the revision.
  virtual Stamps stamps(std::vector<ChangeScope> scopes) = 0;
};

}  // namespace visor::storage
