#include "services/meters.hpp"

#include <cmath>

#include <boost/json/serialize.hpp>

#include "services/task_internal.hpp"
#include "storage/task_steps.hpp"
#include "sync/changes.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

void require_planner(const Caller& caller, const char* what) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, std::string("Only managers can ") + what + ".");
}

Equipment load_machine(Tx& tx, EquipmentId id) {
  auto e = tx.equipment().get(id);
  if (!e) not_found("Machine " + std::to_string(id.value) + " does not exist.");
  return *e;
}

Meter load_meter(Tx& tx, MeterId id) {
  auto m = tx.meters().get(id);
  if (!m) not_found("Meter " + std::to_string(id.value) + " does not exist.");
  return *m;
}

MeterView view_of(Tx& tx, MeterId id) { return MeterView{load_meter(tx, id), tx.meters().rules(id)}; }

std::string locale_of(Tx& tx, const Caller& caller) {
  if (caller.actor.user.value <= 0) return "en";
  const auto u = tx.users().get(caller.actor.user);
  return u ? u->locale : "en";
}

bool still_open(Tx& tx, const std::optional<TaskId>& id) {
  if (!id) return false;
  const auto task = tx.tasks().get(*id);
  if (!task || task->archived || task->execution == Execution::completed) return false;
  const auto stage = tx.catalog().stage(task->stage_id);
  return !(stage && stage->done);
}

// The preventive task a rule creates: on the machine, for its team and
// responsible technician, unscheduled (planners schedule it).
TaskId create_rule_task(Tx& tx, Deps& deps, const Caller& caller, const Meter& meter, const MeterRule& rule,
                        double reading, TimePoint now) {
  const Equipment machine = load_machine(tx, meter.equipment_id);
  const StageSet stages(tx.catalog().stages());
  if (!stages.first()) fail(ErrorCode::conflict, "No stages exist yet: sync with the CMMS or run demo-data first.");
  const std::string locale = locale_of(tx, caller);
  Task t;
  t.title = rule_task_title(rule, meter, locale);
  t.description = rule_task_description(rule, meter, reading, locale);
  t.type = MaintenanceType::preventive;
  t.priority = rule.priority;
  t.equipment_id = machine.id;
  t.team_id = machine.team_id;
  if (machine.technician_id)
    if (auto tech = tx.users().get(*machine.technician_id); tech && tech->active) t.assignee_id = tech->id;
  t.stage_id = *stages.first();
  t.request_date = std::chrono::floor<std::chrono::days>(now);
  t.created_at = t.updated_at = now;
  validate(t);
  tx.tasks().insert(t);
  storage::rebuild_task_steps(tx, t);
  sync::task_created(tx, t, now);
  audit(tx, caller, now, "task.create_by_meter", "task", std::to_string(t.id.value),
        json::serialize(json::object{{"meter_id", meter.id.value}, {"rule_id", rule.id.value}, {"reading", reading}}));
  publish_task_change(deps, tx, "task.created", t, {{"meter_rule_id", rule.id.value}});
  return t.id;
}

// Stores the reading and runs the meter's rules on it.
std::vector<TaskId> store_and_run(Tx& tx, Deps& deps, const Caller& caller, const Meter& meter, MeterReading& reading,
                                  TimePoint now) {
  if (!std::isfinite(reading.value) || std::fabs(reading.value) > 1e12) invalid("value must be a finite number.");
  if (!tx.meters().add_reading(reading)) return {};
  std::vector<TaskId> created;
  for (MeterRule rule : tx.meters().rules(meter.id)) {
    const RuleOutcome out = evaluate(rule, reading.value, still_open(tx, rule.last_task));
    if (!out.create_task && !out.next_due) continue;
    if (out.next_due) rule.next_due = out.next_due;
    if (out.create_task) {
      rule.last_task = create_rule_task(tx, deps, caller, meter, rule, reading.value, now);
      rule.last_fired_at = now;
      created.push_back(*rule.last_task);
    }
    tx.meters().update_rule(rule);
  }
  audit(tx, caller, now, "meter.reading", "meter", std::to_string(meter.id.value),
        json::serialize(json::object{{"value", reading.value}, {"tasks_created", created.size()}}));
  tx.after_commit([&bus = deps.bus, id = meter.id, eq = meter.equipment_id, value = reading.value] {
    events::Audience everyone;
    everyone.everyone = true;
    bus.publish("meter.reading",
                json::serialize(json::object{{"meter_id", id.value}, {"equipment_id", eq.value}, {"value", value}}),
                everyone);
  });
  return created;
}

}  // namespace

std::vector<MeterView> list_meters(Deps& deps, const Caller&, EquipmentId equipment) {
  return deps.store.read_value([&](Tx& tx) {
    load_machine(tx, equipment);
    std::vector<MeterView> out;
    for (Meter& m : tx.meters().of_equipment(equipment)) {
      auto rules = tx.meters().rules(m.id);
      out.push_back({std::move(m), std::move(rules)});
    }
    return out;
  });
}

MeterView create_meter(Deps& deps, const Caller& caller, EquipmentId equipment, const std::string& name,
                       const std::string& unit) {
  require_planner(caller, "add meters");
  Meter m;
  m.equipment_id = equipment;
  m.name = name;
  m.unit = unit;
  validate(m);
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    load_machine(tx, equipment);
    m.created_at = now;
    tx.meters().insert(m);
    audit(tx, caller, now, "meter.create", "meter", std::to_string(m.id.value),
          json::serialize(json::object{{"equipment_id", equipment.value}, {"name", name}}));
    return view_of(tx, m.id);
  });
}

ReadingResult record_reading(Deps& deps, const Caller& caller, MeterId id, double value, const ActionOptions& opts) {
  const TimePoint now = deps.clock.now();
  const TimePoint at = floor_action_time(opts, now);
  return deps.store.write_value([&](Tx& tx) {
    const Meter meter = load_meter(tx, id);
    ReadingResult r;
    if (!opts.client_action_id.empty()) {
      if (auto old = tx.meters().reading_by_action(id, opts.client_action_id)) {
        r.reading = *old;
        r.replay = true;
        r.meter = view_of(tx, id);
        return r;
      }
    }
    r.reading.meter_id = id;
    r.reading.value = value;
    r.reading.at = at;
    if (caller.actor.user.value > 0) r.reading.user_id = caller.actor.user;
    r.reading.client_action_id = opts.client_action_id;
    r.created = store_and_run(tx, deps, caller, meter, r.reading, now);
    r.meter = view_of(tx, id);
    return r;
  });
}

std::vector<MeterReading> list_readings(Deps& deps, const Caller&, MeterId id, const storage::ReadingQuery& query) {
  if (query.limit < 1 || query.limit > 2000) invalid("limit must be between 1 and 2000.");
  return deps.store.read_value([&](Tx& tx) {
    load_meter(tx, id);
    return tx.meters().readings(id, query);
  });
}

MeterRule add_meter_rule(Deps& deps, const Caller& caller, MeterId id, MeterRule rule) {
  require_planner(caller, "add meter rules");
  validate(rule);
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    const Meter meter = load_meter(tx, id);
    rule.meter_id = id;
    rule.created_at = now;
    rule.created_by = caller.actor.user;
    rule.next_due.reset();
    if (rule.kind == MeterRuleKind::every) rule.next_due = first_due(rule.value, meter.last_value);
    tx.meters().insert_rule(rule);
    audit(tx, caller, now, "meter.rule_add", "meter", std::to_string(id.value),
          json::serialize(json::object{{"rule_id", rule.id.value}, {"kind", to_string(rule.kind)}, {"value", rule.value}}));
    return rule;
  });
}

void remove_meter_rule(Deps& deps, const Caller& caller, MeterRuleId id) {
  require_planner(caller, "remove meter rules");
  const TimePoint now = deps.clock.now();
  deps.store.write([&](Tx& tx) {
    const auto rule = tx.meters().rule(id);
    if (!rule) not_found("Meter rule " + std::to_string(id.value) + " does not exist.");
    tx.meters().remove_rule(id);
    audit(tx, caller, now, "meter.rule_remove", "meter", std::to_string(rule->meter_id.value),
          json::serialize(json::object{{"rule_id", id.value}}));
  });
}

std::vector<TaskId> record_step_reading(Tx& tx, Deps& deps, const Caller& caller, EquipmentId equipment,
                                        const std::string& meter_name, const std::string& unit, MeterReading& reading,
                                        TimePoint now) {
  std::optional<Meter> meter = tx.meters().by_name(equipment, meter_name);
  if (!meter) {
    Meter m;
    m.equipment_id = equipment;
    m.name = meter_name;
    m.unit = unit;
    m.created_at = now;
    validate(m);
    tx.meters().insert(m);
    meter = m;
  }
  reading.meter_id = meter->id;
  return store_and_run(tx, deps, caller, *meter, reading, now);
}

}  // namespace visor::services
