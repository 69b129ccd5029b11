#pragma once
// The one mapping of a Visor task to the values of an Odoo maintenance
// request, used both to create a request and to write changed fields (the
// pull's direction is mapping.hpp). Local references are resolved to Odoo
// ids here: one that Odoo does not know yet either makes the message wait
// (its record's own create is still in the outbox) or is left out with a note
// (it exists only in Visor).
//
//   title           name
//   description     description
//   schedule_start  schedule_date
//   schedule_end    schedule_end (19+) | duration in hours (16–18)
//   assignee        user_id
//   stage           stage_id
//   priority        priority ('0'..'3')
//   type            maintenance_type
//   equipment       equipment_id
//   team            maintenance_team_id
//   archived        archive
//   instructions    instruction_type, instruction_text, instruction_google_slide (when the server has them)
//   recurrence      recurring_maintenance, repeat_interval, repeat_unit, repeat_type, repeat_until (idem)
#include <optional>
#include <span>
#include <string>

#include <boost/json/object.hpp>

#include "connectors/odoo/dialect.hpp"
#include "domain/model.hpp"
#include "storage/store.hpp"
#include "sync/links.hpp"
#include "sync/task_fields.hpp"
#include "sync/undelivered.hpp"

namespace visor::odoo {

/// Odoo's values for some fields of a task.
struct RequestValues {
  boost::json::object vals;
  /// What the message must wait for ("the assignee's Odoo account").
  std::optional<std::string> waiting;
  /// What was left out and why ("the machine exists only in Visor; ").
  std::string notes;
};

/// How local references map to Odoo ids at send time.
struct References {
  storage::Tx& tx;
  sync::Links& links;
  const sync::Undelivered& pending;
};

/// The values of `fields` of `task`. `creating`: values that are empty are
/// left to Odoo's defaults rather than sent as false.
RequestValues request_values(const Task& task, std::span<const sync::TaskField> fields, References refs,
                             const Dialect& dialect, bool creating);

}  // namespace visor::odoo
