#pragma once
// What a planner's change did to a task, for the audit log: each changed
// field with its value before and after, as a person reads it (names rather
// than ids, times in ISO 8601 for the console to show in plant time).
#include <string>

#include "domain/model.hpp"
#include "storage/store.hpp"

namespace visor::services {

/// {"title": …, "changes": {"assignee": {"from": "Alice Martin", "to": "Bruno Costa"}, …}}
/// for the fields that differ between `before` and `after`; long texts
/// (description, instructions) are marked as changed without their text.
std::string change_detail(storage::Tx& tx, const Task& before, const Task& after);

}  // namespace visor::services
