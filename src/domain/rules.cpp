#include "domain/rules.hpp"

#include <algorithm>

#include "util/error.hpp"

namespace visor {

StageSet::StageSet(std::vector<Stage> stages) : stages_(std::move(stages)) {
  std::stable_sort(stages_.begin(), stages_.end(), [](const Stage& a, const Stage& b) {
    return a.sequence != b.sequence ? a.sequence < b.sequence : a.id < b.id;
  });
}

const Stage* StageSet::find(StageId id) const {
  const auto it = std::find_if(stages_.begin(), stages_.end(), [&](const Stage& s) { return s.id == id; });
  return it == stages_.end() ? nullptr : &*it;
}

bool StageSet::is_done(StageId id) const {
  const Stage* s = find(id);
  return s != nullptr && s->done;
}

std::optional<StageId> StageSet::first() const {
  if (stages_.empty()) return std::nullopt;
  return stages_.front().id;
}

std::optional<StageId> StageSet::next_open_after(StageId current) const {
  const Stage* cur = find(current);
  for (const Stage& s : stages_) {
    if (s.done || s.id == current) continue;
    if (cur == nullptr || s.sequence > cur->sequence || (s.sequence == cur->sequence && s.id > cur->id)) return s.id;
  }
  return std::nullopt;
}

std::optional<StageId> StageSet::first_done() const {
  const auto it = std::find_if(stages_.begin(), stages_.end(), [](const Stage& s) { return s.done; });
  if (it == stages_.end()) return std::nullopt;
  return it->id;
}

bool can_view(const Actor& actor, const Task& task) {
  if (actor.plans()) return true;
  if (task.assignee_id == actor.user) return true;
  return actor.team.has_value() && task.team_id == actor.team;
}

bool can_execute(const Actor& actor, const Task& task) {
  if (actor.plans()) return true;
  if (task.assignee_id == actor.user) return true;
  return !task.assignee_id && actor.team.has_value() && task.team_id == actor.team;
}

bool can_plan(const Actor& actor) { return actor.plans(); }

namespace {

void require_execute(const Actor& actor, const Task& task) {
  if (!can_execute(actor, task))
    fail(ErrorCode::forbidden, "Only the assigned technician or a manager can work on this task.");
  if (task.archived) fail(ErrorCode::conflict, "This task is archived.");
}

}  // namespace

Transition plan_start(const Task& task, const Actor& actor, const StageSet& stages) {
  require_execute(actor, task);
  if (task.execution != Execution::not_started)
    fail(ErrorCode::conflict, "This task was already started (it is " + std::string(to_string(task.execution)) + ").");
  if (stages.is_done(task.stage_id)) fail(ErrorCode::conflict, "This task is already done.");
  Transition t{Execution::in_progress, std::nullopt, std::nullopt, std::nullopt, WorkLogKind::started};
  // Work sitting in the first stage moves to the next open one ("In Progress").
  if (stages.first() == task.stage_id) t.stage = stages.next_open_after(task.stage_id);
  if (!task.assignee_id) t.assignee = actor.user;
  return t;
}

Transition plan_pause(const Task& task, const Actor& actor) {
  require_execute(actor, task);
  if (task.execution == Execution::completed) fail(ErrorCode::conflict, "A completed task cannot be paused.");
  if (task.execution != Execution::in_progress) fail(ErrorCode::conflict, "Only a task in progress can be paused.");
  return {Execution::paused, std::nullopt, std::nullopt, std::nullopt, WorkLogKind::paused};
}

Transition plan_resume(const Task& task, const Actor& actor) {
  require_execute(actor, task);
  if (task.execution != Execution::paused) fail(ErrorCode::conflict, "Only a paused task can be resumed.");
  return {Execution::in_progress, std::nullopt, std::nullopt, std::nullopt, WorkLogKind::resumed};
}

Transition plan_complete(const Task& task, const Actor& actor, const StageSet& stages, TimePoint now) {
  require_execute(actor, task);
  if (task.execution == Execution::completed) fail(ErrorCode::conflict, "This task is already completed.");
  const std::optional<StageId> done = stages.first_done();
  if (!done) fail(ErrorCode::conflict, "No stage is marked done: ask an admin to sync the stages.");
  Transition t{Execution::completed, *done, std::nullopt, std::chrono::floor<std::chrono::days>(now),
               WorkLogKind::completed};
  if (!task.assignee_id) t.assignee = actor.user;
  return t;
}

void apply(Task& task, const Transition& t) {
  task.execution = t.execution;
  if (t.stage) task.stage_id = *t.stage;
  if (t.assignee) task.assignee_id = t.assignee;
  if (t.close_date) task.close_date = t.close_date;
}

void validate(const Task& task) {
  if (task.title.find_first_not_of(" \t\n") == std::string::npos) invalid("title must not be empty.");
  if (task.title.size() > 200) invalid("title must be at most 200 characters.");
  if (task.description.size() > 100'000) invalid("description must be at most 100,000 characters.");
  if (task.instructions.text.size() > 200'000) invalid("instructions must be at most 200,000 characters.");
  if (task.priority < kMinPriority || task.priority > kMaxPriority) invalid("priority must be between 0 and 3.");
  if (task.schedule_start && task.schedule_end && *task.schedule_end < *task.schedule_start)
    invalid("schedule_end must not be before schedule_start.");
  if (task.schedule_end && !task.schedule_start) invalid("schedule_end needs schedule_start.");
  if (task.recurrence.enabled) {
    if (task.type != MaintenanceType::preventive) invalid("only preventive tasks can recur.");
    if (task.recurrence.interval < 1 || task.recurrence.interval > 1000)
      invalid("recurrence interval must be between 1 and 1000.");
    if (task.recurrence.type == RepeatType::until && !task.recurrence.until)
      invalid("recurrence of type 'until' needs an 'until' date.");
  }
}

std::chrono::seconds time_on_tool(std::span<const WorkLogEntry> log, TimePoint now) {
  std::vector<const WorkLogEntry*> ordered;
  for (const WorkLogEntry& e : log) ordered.push_back(&e);
  std::stable_sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->at < b->at; });
  std::chrono::seconds total{0};
  std::optional<TimePoint> open;
  for (const WorkLogEntry* e : ordered) {
    switch (e->kind) {
      case WorkLogKind::started:
      case WorkLogKind::resumed:
        if (!open) open = e->at;
        break;
      case WorkLogKind::paused:
      case WorkLogKind::completed:
        if (open) total += std::max(std::chrono::seconds{0}, e->at - *open);
        open.reset();
        break;
      default:
        break;
    }
  }
  if (open) total += std::max(std::chrono::seconds{0}, now - *open);
  return total;
}

bool is_overdue(const Task& task, bool done_stage, TimePoint now) {
  if (done_stage || task.archived || task.execution == Execution::completed) return false;
  const auto due = task.schedule_end ? task.schedule_end : task.schedule_start;
  return due.has_value() && *due < now;
}

}  // namespace visor
