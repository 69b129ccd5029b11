#include "connectors/odoo/task_values.hpp"

#include <cmath>

#include "connectors/odoo/mapping.hpp"

namespace visor::odoo {
namespace json = boost::json;
using sync::TaskField;

namespace {

// Hours between start and end, as Odoo 16–18 keep a request's length.
json::value duration_value(const Task& t) {
  if (!t.schedule_start || !t.schedule_end || *t.schedule_end < *t.schedule_start) return 0.0;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*t.schedule_end - *t.schedule_start).count();
  return std::round(double(seconds) / 36.0) / 100.0;  // hundredths of an hour, as Odoo rounds
}

}  // namespace

RequestValues request_values(const Task& task, std::span<const TaskField> fields, References refs,
                             const Dialect& dialect, bool creating) {
  RequestValues out;
  json::object& v = out.vals;
  refs.links.load(refs.tx);
  for (TaskField f : fields) {
    switch (f) {
      case TaskField::title: v["name"] = task.title; break;
      case TaskField::description: v["description"] = text_value(task.description); break;
      case TaskField::schedule_start:
        v["schedule_date"] = datetime_value(task.schedule_start);
        if (!dialect.has_schedule_end()) v["duration"] = duration_value(task);
        break;
      case TaskField::schedule_end:
        if (dialect.has_schedule_end()) {
          v["schedule_end"] = datetime_value(task.schedule_end);
        } else {
          v["duration"] = duration_value(task);
        }
        break;
      case TaskField::assignee:
        if (!task.assignee_id) {
          v["user_id"] = false;
        } else if (auto u = refs.links.odoo_user(*task.assignee_id)) {
          v["user_id"] = u->value;
        } else if (refs.pending.users.count(task.assignee_id->value)) {
          out.waiting = "the assignee's Odoo account";
        } else {
          out.notes += "the assignee exists only in Visor; ";
        }
        break;
      case TaskField::stage:
        if (auto s = refs.links.odoo_stage(task.stage_id)) v["stage_id"] = s->value;
        else out.notes += "the stage exists only in Visor; ";
        break;
      case TaskField::priority: v["priority"] = priority_value(task.priority); break;
      case TaskField::type: v["maintenance_type"] = to_string(task.type); break;
      case TaskField::equipment:
        if (!task.equipment_id) {
          v["equipment_id"] = false;
        } else if (auto e = refs.links.odoo_equipment(refs.tx, *task.equipment_id)) {
          v["equipment_id"] = e->value;
        } else {
          out.notes += "the machine exists only in Visor; ";
        }
        break;
      case TaskField::team:
        // Required in Odoo: never written empty.
        if (task.team_id)
          if (auto t = refs.links.odoo_team(*task.team_id)) v["maintenance_team_id"] = t->value;
        break;
      case TaskField::archived: v["archive"] = task.archived; break;
      case TaskField::instructions:
        if (!dialect.has_instructions()) {
          if (task.instructions.kind != InstructionKind::none) out.notes += "this Odoo has no instructions; ";
        } else if (task.instructions.kind == InstructionKind::google_slide) {
          v["instruction_type"] = "google_slide";
          v["instruction_google_slide"] = task.instructions.url;
        } else if (task.instructions.kind != InstructionKind::pdf) {
          if (creating && task.instructions.kind == InstructionKind::none) break;
          v["instruction_type"] = "text";
          v["instruction_text"] = text_value(task.instructions.text);
        }
        break;
      case TaskField::recurrence:
        if (!dialect.has_recurrence()) {
          if (task.recurrence.enabled) out.notes += "this Odoo has no recurrence; ";
          break;
        }
        if (creating && !task.recurrence.enabled) break;
        v["recurring_maintenance"] = task.recurrence.enabled;
        v["repeat_interval"] = task.recurrence.interval;
        v["repeat_unit"] = to_string(task.recurrence.unit);
        v["repeat_type"] = to_string(task.recurrence.type);
        v["repeat_until"] = date_value(task.recurrence.until);
        break;
    }
  }
  if (creating) {
    // Odoo's defaults (first stage, default team, no technician…) where Visor has nothing.
    for (auto it = v.begin(); it != v.end();) {
      if (it->value().is_bool() && !it->value().get_bool()) {
        it = v.erase(it);
      } else {
        ++it;
      }
    }
  }
  return out;
}

}  // namespace visor::odoo
