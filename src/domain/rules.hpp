#pragma once
// Who may do what to a task, and what each floor action does to it. Plain
// functions over the model: no I/O, so every rule is unit-tested directly.
// Violations throw visor::Error (forbidden / conflict / invalid_input).
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "domain/model.hpp"

namespace visor {

/// The person acting, as far as the rules care.
struct Actor {
  UserId user;
  Role role = Role::technician;
  std::optional<TeamId> team;

  bool plans() const { return role == Role::manager || role == Role::admin; }
};

/// The stages of the CMMS ordered by sequence. Stages are recognised by their
/// `done` flag and position, never by their (translatable) names.
class StageSet {
 public:
  explicit StageSet(std::vector<Stage> stages);

  const std::vector<Stage>& all() const { return stages_; }
  const Stage* find(StageId id) const;
  bool is_done(StageId id) const;
  /// The first stage by sequence (where new work lands).
  std::optional<StageId> first() const;
  /// The first open stage after `current` (where started work goes).
  std::optional<StageId> next_open_after(StageId current) const;
  /// The first stage with done = true (where completed work goes).
  std::optional<StageId> first_done() const;

 private:
  std::vector<Stage> stages_;
};

/// A technician sees tasks assigned to them and tasks of their team;
/// managers and admins see everything.
bool can_view(const Actor& actor, const Task& task);

/// Start, pause, resume, complete, steps and notes: the assignee or a
/// planner. A technician may take an unassigned task of their own team.
bool can_execute(const Actor& actor, const Task& task);

/// Create, reschedule, reassign, delete: planners only. Technicians may only
/// report faults (corrective tasks) — see `check_report`.
bool can_plan(const Actor& actor);

/// The effect of a floor action on a task.
struct Transition {
  Execution execution;
  std::optional<StageId> stage;     // set when the CMMS stage changes
  std::optional<UserId> assignee;   // set when a technician takes the task
  std::optional<Date> close_date;   // set on completion
  WorkLogKind log;
};

Transition plan_start(const Task& task, const Actor& actor, const StageSet& stages);
Transition plan_pause(const Task& task, const Actor& actor);
Transition plan_resume(const Task& task, const Actor& actor);
Transition plan_complete(const Task& task, const Actor& actor, const StageSet& stages, TimePoint now);

/// Applies a transition to a task (bumps nothing: storage owns versions).
void apply(Task& task, const Transition& t);

/// Validation shared by create and update: title present and short, priority
/// 0–3, schedule end not before start, recurrence interval ≥ 1, etc.
void validate(const Task& task);

/// Time actually spent working: the sum of the intervals between
/// started/resumed and paused/completed, the last one open until `now`.
std::chrono::seconds time_on_tool(std::span<const WorkLogEntry> log, TimePoint now);

/// A task is overdue when it is not done, has a scheduled start in the past
/// (end if set) and is not archived.
bool is_overdue(const Task& task, bool done_stage, TimePoint now);

}  // namespace visor
