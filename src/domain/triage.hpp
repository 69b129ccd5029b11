#pragma once
// Triage of what the floor reports: every fault reported from the glasses,
// the public QR form or the API waits in the planners' inbox until one of
// them approves it (assigns, schedules, sets its priority), rejects it with a
// reason, or merges it into a task that already covers the same fault.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/ids.hpp"
#include "util/time.hpp"

namespace visor {

/// Where a report came from.
enum class TriageSource {
  glasses,  // a paired device (glasses or a phone paired as a device)
  qr_form,  // the public form on a machine's QR page, without an account
  app,      // a signed-in session or another API client
};

enum class TriageState { pending, approved, rejected, merged };

std::string_view to_string(TriageSource v);
std::string_view to_string(TriageState v);
std::optional<TriageSource> parse_triage_source(std::string_view s);
std::optional<TriageState> parse_triage_state(std::string_view s);

/// The triage record of one reported task (the task holds the report
/// itself: title, description, machine, priority, reporter).
struct TriageRecord {
  TaskId task_id;
  TriageSource source = TriageSource::app;
  TimePoint reported_at{};
  std::optional<UserId> reporter_id;  // none for the public form
  std::string device_name;            // the glasses it came from, if any
  TriageState state = TriageState::pending;
  std::optional<TimePoint> decided_at;
  std::optional<UserId> decided_by;
  std::string reason;                 // why it was rejected
  std::optional<TaskId> merged_into;  // the task it was merged into
};

/// The longest rejection reason kept.
inline constexpr std::size_t kMaxTriageReason = 500;

}  // namespace visor
