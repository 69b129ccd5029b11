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
  if (local.stage_id != stage_before) {
    const bool was_done = stages.is_done(stage_before);
    const bool is_done = stages.is_done(local.stage_id);
    if (is_done && !was_done) local.execution = Execution::completed;
    if (!is_done && was_done) local.execution = Execution::not_started;
  }
  return changed;
}

Execution initial_execution(const Task& remote, const StageSet& stages) {
  return stages.is_done(remote.stage_id) ? Execution::completed : Execution::not_started;
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
