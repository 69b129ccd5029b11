#pragma once
// Meters: readings per machine (on their own from the machine screen, or
// from a step that names a meter), and the rules that create preventive
// work from them (domain/meters.hpp). A reading and the tasks its rules
// create commit together.
#include <optional>
#include <string>
#include <vector>

#include "domain/meters.hpp"
#include "services/tasks.hpp"

namespace visor::services {

/// A meter with its rules, as the machine page and the HUD show it.
struct MeterView {
  Meter meter;
  std::vector<MeterRule> rules;
};

std::vector<MeterView> list_meters(Deps& deps, const Caller& caller, EquipmentId equipment);
/// Planners: a new meter on a machine (name unique on it).
MeterView create_meter(Deps& deps, const Caller& caller, EquipmentId equipment, const std::string& name,
                       const std::string& unit);

/// What recording a reading did.
struct ReadingResult {
  MeterView meter;                 // with its latest reading and rules after this one
  MeterReading reading;
  std::vector<TaskId> created;     // tasks the rules created
  bool replay = false;             // the same client_action_id was recorded before
};

/// A technician's (or planner's) reading; `opts` as for floor actions (the
/// time it was read, a client id making a replay harmless).
ReadingResult record_reading(Deps& deps, const Caller& caller, MeterId meter, double value, const ActionOptions& opts);

/// Readings for a chart: the newest `query.limit` in range, oldest first.
std::vector<MeterReading> list_readings(Deps& deps, const Caller& caller, MeterId meter,
                                        const storage::ReadingQuery& query);

/// Planners: a rule on a meter. An every-N rule waits first for the next
/// multiple of N above the latest reading.
MeterRule add_meter_rule(Deps& deps, const Caller& caller, MeterId meter, MeterRule rule);
void remove_meter_rule(Deps& deps, const Caller& caller, MeterRuleId id);

/// Inside another use case's transaction (a step that names a meter): the
/// machine's meter of that name, created with `unit` if it has none yet;
/// stores `reading` (meter_id set here) and runs the rules. Returns the
/// tasks created; empty for a replayed reading.
std::vector<TaskId> record_step_reading(storage::Tx& tx, Deps& deps, const Caller& caller, EquipmentId equipment,
                                        const std::string& meter_name, const std::string& unit,
                                        MeterReading& reading, TimePoint now);

}  // namespace visor::services
