#pragma once
// Follow-up work: a FAIL, a FLAG or a value out of range on a step becomes,
// once the technician confirms it, a corrective task on the same machine,
// linked to the original and carrying the value, the comment and the step's
// photos. It is a report from the floor like any other (planners triage it)
// and reaches the CMMS as a new corrective request naming the original.
#include <optional>
#include <string>

#include "services/tasks.hpp"

namespace visor::services {

struct FollowUpRequest {
  std::optional<std::string> title;  // default: "Follow-up: <step> — FAIL" in the technician's language
  std::optional<std::string> note;   // added to the description
  Priority priority = 2;
  ActionOptions opts;                // at, client_action_id: replays are harmless
};

/// Raises the follow-up of step `number` of task `origin`; returns the
/// origin's card (its step now names the follow-up). Conflict when the step
/// has no flag or already has a follow-up.
TaskDetail raise_follow_up(Deps& deps, const Caller& caller, TaskId origin, int number, const FollowUpRequest& request);

}  // namespace visor::services
