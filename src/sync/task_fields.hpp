#pragma once
// The task fields Visor and the CMMS share, named once. The outbox records a
// change as {field: value} in Visor's own terms (local ids, ISO 8601 times);
// delivery maps each field to Odoo's fields, and the conflict policy decides
// per field who wins (docs/decisions/0004-sync-conflicts.md).
#include <optional>
#include <span>
#include <string_view>

#include <boost/json/value.hpp>

#include "domain/model.hpp"

namespace visor::sync {

enum class TaskField {
  title,           // name
  description,     // description
  schedule_start,  // schedule_date
  schedule_end,    // schedule_end
  assignee,        // user_id
  stage,           // stage_id
  priority,        // priority
  type,            // maintenance_type
  equipment,       // equipment_id
  team,            // maintenance_team_id
  archived,        // archive
  instructions,    // instruction_type, instruction_text, instruction_google_slide
  recurrence,      // recurring_maintenance, repeat_interval, repeat_unit, repeat_type, repeat_until
};

/// Every shared field, in a fixed order.
std::span<const TaskField> all_task_fields();

/// The key of the field in outbox payloads ("title", "assignee_id", …).
std::string_view payload_key(TaskField f);
std::optional<TaskField> parse_payload_key(std::string_view key);

/// Planning fields belong to the planners: on a conflict the CMMS wins.
/// The stage is execution data — it moves when technicians start and
/// complete work — and Visor's value is delivered even over a CMMS change.
bool is_planning(TaskField f);

/// The field's value on `task` in payload form: ids as integers or null,
/// times as ISO 8601 or null, enums as text, instructions and recurrence as
/// small objects. Equal values compare equal as JSON.
boost::json::value payload_value(const Task& task, TaskField f);

/// Sets the field on `task` from its payload form. Throws
/// std::invalid_argument when the value does not have the expected shape.
void set_from_payload(Task& task, TaskField f, const boost::json::value& v);

}  // namespace visor::sync
