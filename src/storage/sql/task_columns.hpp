#pragma once
// The tasks table's column list and its reader, shared by the task
// repository's single-row and list queries.
#include <string_view>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {

/// Every column of `tasks t`, in the order read_task() reads them.
inline constexpr std::string_view kTaskColumns =
    "t.id, t.odoo_id, t.title, t.description, t.equipment_id, t.assignee_id, t.team_id, t.stage_id, "
    "t.priority, t.type, t.request_date, t.schedule_start, t.schedule_end, t.close_date, "
    "t.instructions_kind, t.instructions_text, t.instructions_url, t.recurrence_enabled, "
    "t.recurrence_interval, t.recurrence_unit, t.recurrence_type, t.recurrence_until, t.archived, "
    "t.execution, t.reported_by, t.reporter_contact, t.version, t.created_at, t.updated_at";

/// The names a TaskRow adds, read by read_task_row() after the task columns.
inline constexpr std::string_view kTaskRowColumns =
    "e.name, e.location, e.code, u.name, s.name, s.done, "
    "(SELECT count(*) FROM steps st WHERE st.task_id = t.id), "
    "(SELECT count(*) FROM steps st WHERE st.task_id = t.id AND st.done)";

/// FROM clause matching kTaskRowColumns.
inline constexpr std::string_view kTaskRowFrom =
    " FROM tasks t JOIN stages s ON s.id = t.stage_id"
    " LEFT JOIN equipment e ON e.id = t.equipment_id"
    " LEFT JOIN users u ON u.id = t.assignee_id";

Task read_task(Fields& f);
TaskRow read_task_row(const Rows& rows);

}  // namespace visor::storage::sql
