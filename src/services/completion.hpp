#pragma once
// Completing work under a procedure: every required step answered, the
// technician's sign-off where the procedure asks for it (spoken or typed on
// the glasses), failure codes on corrective work (problem / cause / remedy),
// a supervisor's approval afterwards where the procedure says so — and the
// structured report the CMMS receives.
#include <optional>
#include <string>

#include "services/tasks.hpp"

namespace visor::services {

/// The codes of a piece of work (each optional; each must be an active code
/// of its own list).
struct FailureCodes {
  std::optional<FailureCodeId> problem;
  std::optional<FailureCodeId> cause;
  std::optional<FailureCodeId> remedy;
  bool empty() const { return !problem && !cause && !remedy; }
};

/// What completing may carry.
struct Completion {
  /// The technician's confirmation (their name, or what they said: "I
  /// confirm"); required when the task asks for a sign-off. 1..200 bytes.
  std::string signature;
  FailureCodes codes;
};

/// Inside the completing transaction (tasks.cpp): refuses a completion with
/// required steps unanswered (conflict, naming them) or without the sign-off
/// the task asks for (invalid_input); records the sign-off and the codes.
void record_completion(storage::Tx& tx, const Caller& caller, const Task& task, const Completion& completion,
                       TimePoint at, TimePoint now);

/// What the CMMS hears when the work is completed: time on tool, every step
/// with its type, answer, flag, comment and follow-up, the failure codes and
/// the sign-off (one chatter entry: a table).
void report_completion(storage::Tx& tx, const Task& task, std::optional<UserId> author, const TaskDetail& detail,
                       TimePoint now);

/// Completes the task with a sign-off and codes (tasks.hpp has the plain form).
TaskDetail complete_task(Deps& deps, const Caller& caller, TaskId id, const ActionOptions& opts,
                         const Completion& completion);

/// A supervisor (a planner) approves completed, signed-off work whose
/// procedure asks for it; `comment` up to 1000 bytes. Conflict when the task
/// is not completed, asks no approval, or is approved already.
TaskDetail approve_task(Deps& deps, const Caller& caller, TaskId id, const std::string& comment);

/// Records or corrects the failure codes of a task (its technician or a planner).
TaskDetail set_failure_codes(Deps& deps, const Caller& caller, TaskId id, const FailureCodes& codes);

}  // namespace visor::services
