#include "sync/task_merge.hpp"

namespace visor::sync {

std::vector<TaskField> merge_remote(Task& local, const Task& remote, const std::set<TaskField>& owned,
                                    const StageSet& stages) {
  std::vector<TaskField> changed;
  const StageId stage_before = local.stage_id;
  for (TaskField f : all_task_fields()) {
    if (owned.count(f)) continue;
    const auto theirs = payload_value(remote, f);
    if (payload_value(local, f) == theirs) continue;
    set_from_payload(local, f, theirs);
    changed.push_back(f);
  }
  local.request_date = remote.request_date;
  local.close_date = remote.close_date;
  if (local.stage_id != stage_before) local.execution = execution_in(local.stage_id, local.execution, stages);
  return changed;
}

Execution execution_in(StageId stage, Execution current, const StageSet& stages) {
  if (stages.is_done(stage)) return Execution::completed;
  if (stage == stages.first()) return Execution::not_started;
  // A later open stage ("In Progress" in Odoo's demo data): work is under
  // way — unless the technician paused it.
  return current == Execution::paused ? Execution::paused : Execution::in_progress;
}

Execution initial_execution(const Task& remote, const StageSet& stages) {
  return execution_in(remote.stage_id, Execution::not_started, stages);
}

FieldAction decide(TaskField field, const boost::json::value& base, const boost::json::value& ours,
                   const boost::json::value& remote) {
  if (remote == ours) return FieldAction::already;
  if (remote == base) return FieldAction::send;
  return is_planning(field) ? FieldAction::cmms_wins : FieldAction::local_kept;
}

std::string_view resolution_text(FieldAction action) {
  switch (action) {
    case FieldAction::cmms_wins: return "cmms_wins";
    case FieldAction::local_kept: return "local_kept";
    case FieldAction::already: return "already";
    case FieldAction::send: return "sent";
  }
  return "?";
}

}  // namespace visor::sync
