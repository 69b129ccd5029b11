#pragma once
// Planning helpers for the console: bulk changes to many tasks at once
// (reassign, reschedule, restage) and the preview of instructions as steps.
#include <optional>
#include <string>
#include <vector>

#include "domain/instructions.hpp"
#include "services/tasks.hpp"
#include "util/error.hpp"

namespace visor::services {

inline constexpr std::size_t kMaxBulkItems = 500;

/// One task of a bulk change, with the version the planner saw (optional).
struct BulkItem {
  TaskId id;
  std::optional<std::int64_t> expected_version;
  TaskChanges changes;
};

/// What happened to one item: applied (with the new version), or the error
/// that stopped it.
struct BulkOutcome {
  TaskId id;
  bool ok = false;
  std::int64_t version = 0;
  ErrorCode error = ErrorCode::internal;
  std::string detail;
};

/// Applies each item through update_task, one transaction per task: a stale
/// or forbidden task is reported and does not undo the others (the planner
/// sees which ones failed and why). Each change is audited and published
/// like a single update. At most kMaxBulkItems items, ids unique.
std::vector<BulkOutcome> bulk_update(Deps& deps, const Caller& caller, const std::vector<BulkItem>& items);

/// The steps the glasses will show for `instructions`: exactly the server's
/// parser (domain/instructions.hpp), without saving anything.
ParsedInstructions preview_instructions(const Caller& caller, const Instructions& instructions);

}  // namespace visor::services
