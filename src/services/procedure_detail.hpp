#pragma once
// What a task card shows of issue 14: the procedure the task follows and the
// sign-off it asks, the signature and approval, the failure codes recorded,
// the follow-ups raised from its steps and the task it follows up on.
#include <optional>
#include <string>
#include <vector>

#include "domain/failure_codes.hpp"
#include "storage/store.hpp"

namespace visor::services {

struct ProcedureDetail {
  std::optional<TaskProcedure> followed;  // none: no procedure and no sign-off
  std::string procedure_name;
  std::optional<TaskSignOff> signoff;
  std::optional<TaskFailure> failure;
  std::optional<FailureCode> problem;
  std::optional<FailureCode> cause;
  std::optional<FailureCode> remedy;
  std::vector<FollowUp> follow_ups;  // raised from this task's steps
  std::optional<FollowUp> follow_up_of;
  std::string origin_title;  // the title of the task it follows up on
};

/// Reads it in `tx`.
ProcedureDetail load_procedure_detail(storage::Tx& tx, TaskId id);

/// The follow-up raised from step `number`, if any.
inline std::optional<TaskId> follow_up_of_step(const ProcedureDetail& d, int number) {
  for (const auto& f : d.follow_ups)
    if (f.origin_step == number) return f.task_id;
  return std::nullopt;
}

}  // namespace visor::services
