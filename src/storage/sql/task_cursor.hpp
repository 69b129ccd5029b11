#pragma once
// The opaque keyset cursor of task lists: the sort it belongs to, the sort
// key of the last row of a page and that row's id, with a checksum so that a
// hand-edited cursor is rejected instead of silently skipping rows.
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/tasks.hpp"

namespace visor::storage::sql {

/// Stands for "no schedule" in the schedule sort key: unscheduled tasks last.
inline constexpr std::int64_t kUnscheduled = INT64_MAX;

struct TaskCursor {
  TaskSort sort = TaskSort::newest;
  std::int64_t key1 = 0;  // schedule: schedule key; priority: priority; updated: updated_at
  std::int64_t key2 = 0;  // priority: schedule key
  std::int64_t id = 0;
};

std::string encode_cursor(const TaskCursor& cursor);
/// Throws Error(invalid_input, "cursor is not valid") unless `text` is a cursor
/// produced by encode_cursor for `sort`.
TaskCursor decode_cursor(std::string_view text, TaskSort sort);

}  // namespace visor::storage::sql
