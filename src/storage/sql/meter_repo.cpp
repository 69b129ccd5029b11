// MeterRepository: meters per machine, their readings and rules.
#include <algorithm>
#include <string>

#include "storage/sql/decimal.hpp"
#include "storage/sql/procedure_repos.hpp"

namespace visor::storage::sql {
namespace {

#define VISOR_METER_SELECT                                                                                   \
  "SELECT m.id, m.equipment_id, m.name, m.unit, m.created_at, r.value_micro, r.at FROM meters m "            \
  "LEFT JOIN meter_readings r ON r.id = (SELECT x.id FROM meter_readings x WHERE x.meter_id = m.id ORDER BY " \
  "x.at DESC, x.id DESC LIMIT 1) "
constexpr std::string_view kOfEquipment = VISOR_METER_SELECT "WHERE m.equipment_id = $1 ORDER BY m.name";
constexpr std::string_view kGet = VISOR_METER_SELECT "WHERE m.id = $1";
constexpr std::string_view kByName = VISOR_METER_SELECT "WHERE m.equipment_id = $1 AND m.name = $2";
constexpr std::string_view kInsert =
    "INSERT INTO meters (equipment_id, name, unit, created_at) VALUES ($1, $2, $3, $4) RETURNING id";

#define VISOR_READING_COLUMNS "id, meter_id, value_micro, at, user_id, task_id, step, client_action_id"
constexpr std::string_view kAddReading =
    "INSERT INTO meter_readings (meter_id, value_micro, at, user_id, task_id, step, client_action_id) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (meter_id, client_action_id) WHERE client_action_id <> '' DO NOTHING RETURNING id";
constexpr std::string_view kReadingByAction =
    "SELECT " VISOR_READING_COLUMNS " FROM meter_readings WHERE meter_id = $1 AND client_action_id = $2";
constexpr std::string_view kReadings =
    "SELECT " VISOR_READING_COLUMNS " FROM meter_readings WHERE meter_id = $1 AND at >= COALESCE($2, at) "
    "AND at < COALESCE($3, at + 1) ORDER BY at DESC, id DESC LIMIT $4";

#define VISOR_RULE_COLUMNS                                                                                     \
  "id, meter_id, kind, value_micro, next_due_micro, title, priority, active, last_task_id, last_fired_at, " \
  "created_at, created_by"
constexpr std::string_view kRules = "SELECT " VISOR_RULE_COLUMNS " FROM meter_rules WHERE meter_id = $1 ORDER BY id";
constexpr std::string_view kRule = "SELECT " VISOR_RULE_COLUMNS " FROM meter_rules WHERE id = $1";
constexpr std::string_view kInsertRule =
    "INSERT INTO meter_rules (meter_id, kind, value_micro, next_due_micro, title, priority, active, last_task_id, "
    "last_fired_at, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
constexpr std::string_view kUpdateRule =
    "UPDATE meter_rules SET next_due_micro = $2, active = $3, last_task_id = $4, last_fired_at = $5 WHERE id = $1";
constexpr std::string_view kRemoveRule = "DELETE FROM meter_rules WHERE id = $1";

Meter read_meter(const Rows& rows) {
  Fields f(rows);
  Meter m;
  m.id = f.id<MeterId>();
  m.equipment_id = f.id<EquipmentId>();
  m.name = f.str();
  m.unit = f.str();
  m.created_at = f.time();
  m.last_value = opt_micro(rows, f.column());
  m.last_at = rows.opt_time(f.column() + 1);
  return m;
}

MeterReading read_reading(const Rows& rows) {
  Fields f(rows);
  MeterReading r;
  r.id = f.i64();
  r.meter_id = f.id<MeterId>();
  r.value = from_micro(f.i64());
  r.at = f.time();
  r.user_id = f.opt_id<UserId>();
  r.task_id = f.opt_id<TaskId>();
  r.step = f.opt_i32();
  r.client_action_id = f.str();
  return r;
}

MeterRule read_rule(const Rows& rows) {
  Fields f(rows);
  MeterRule r;
  r.id = f.id<MeterRuleId>();
  r.meter_id = f.id<MeterId>();
  const std::string kind = f.str();
  r.kind = stored_enum(parse_meter_rule_kind(kind), "meter rule kind", kind);
  r.value = from_micro(f.i64());
  r.next_due = opt_micro(rows, f.column());
  f.opt_i32();  // next_due_micro, read above
  r.title = f.str();
  r.priority = f.i32();
  r.active = f.flag();
  r.last_task = f.opt_id<TaskId>();
  r.last_fired_at = f.opt_time();
  r.created_at = f.time();
  r.created_by = f.opt_id<UserId>();
  return r;
}

std::string meter_label(MeterId id) { return "Meter " + std::to_string(id.value) + " does not exist."; }

}  // namespace

std::vector<Meter> SqlMeterRepository::of_equipment(EquipmentId equipment) {
  std::vector<Meter> out;
  Rows rows = ctx_.db().query(kOfEquipment, {arg(equipment)});
  while (rows.next()) out.push_back(read_meter(rows));
  return out;
}

std::optional<Meter> SqlMeterRepository::get(MeterId id) {
  Rows rows = ctx_.db().query(kGet, {arg(id)});
  if (!rows.next()) return std::nullopt;
  return read_meter(rows);
}

std::optional<Meter> SqlMeterRepository::by_name(EquipmentId equipment, const std::string& name) {
  Rows rows = ctx_.db().query(kByName, {arg(equipment), arg(name)});
  if (!rows.next()) return std::nullopt;
  return read_meter(rows);
}

MeterId SqlMeterRepository::insert(Meter& m) {
  ctx_.require_writable();
  if (by_name(m.equipment_id, m.name)) fail(ErrorCode::conflict, "This machine already has a meter named " + m.name + ".");
  m.id = MeterId(returned_id(ctx_.db().query(kInsert, {arg(m.equipment_id), arg(m.name), arg(m.unit), arg(m.created_at)})));
  return m.id;
}

bool SqlMeterRepository::add_reading(MeterReading& r) {
  ctx_.require_writable();
  if (!get(r.meter_id)) not_found(meter_label(r.meter_id));
  Rows rows = ctx_.db().query(kAddReading, {arg(r.meter_id), arg_micro(r.value), arg(r.at), arg(r.user_id),
                                            arg(r.task_id), arg(r.step), arg(r.client_action_id)});
  if (!rows.next()) return false;
  r.id = rows.i64(0);
  if (r.task_id) ctx_.touch(ChangeScope::of(*r.task_id));  // its card shows the reading
  return true;
}

std::optional<MeterReading> SqlMeterRepository::reading_by_action(MeterId meter, const std::string& id) {
  Rows rows = ctx_.db().query(kReadingByAction, {arg(meter), arg(id)});
  if (!rows.next()) return std::nullopt;
  return read_reading(rows);
}

std::vector<MeterReading> SqlMeterRepository::readings(MeterId meter, const ReadingQuery& q) {
  std::vector<MeterReading> out;
  Rows rows = ctx_.db().query(kReadings, {arg(meter), arg(q.from), arg(q.to), arg(q.limit)});
  while (rows.next()) out.push_back(read_reading(rows));
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<MeterRule> SqlMeterRepository::rules(MeterId meter) {
  std::vector<MeterRule> out;
  Rows rows = ctx_.db().query(kRules, {arg(meter)});
  while (rows.next()) out.push_back(read_rule(rows));
  return out;
}

std::optional<MeterRule> SqlMeterRepository::rule(MeterRuleId id) {
  Rows rows = ctx_.db().query(kRule, {arg(id)});
  if (!rows.next()) return std::nullopt;
  return read_rule(rows);
}

MeterRuleId SqlMeterRepository::insert_rule(MeterRule& r) {
  ctx_.require_writable();
  if (!get(r.meter_id)) not_found(meter_label(r.meter_id));
  r.id = MeterRuleId(returned_id(ctx_.db().query(
      kInsertRule, {arg(r.meter_id), arg(to_string(r.kind)), arg_micro(r.value), arg_micro(r.next_due), arg(r.title),
                    arg(r.priority), arg(r.active), arg(r.last_task), arg(r.last_fired_at), arg(r.created_at),
                    arg(r.created_by)})));
  return r.id;
}

void SqlMeterRepository::update_rule(const MeterRule& r) {
  ctx_.require_writable();
  if (ctx_.db().execute(kUpdateRule, {arg(r.id), arg_micro(r.next_due), arg(r.active), arg(r.last_task),
                                      arg(r.last_fired_at)}) == 0)
    not_found("Meter rule " + std::to_string(r.id.value) + " does not exist.");
}

void SqlMeterRepository::remove_rule(MeterRuleId id) {
  ctx_.require_writable();
  if (ctx_.db().execute(kRemoveRule, {arg(id)}) == 0)
    not_found("Meter rule " + std::to_string(id.value) + " does not exist.");
}

}  // namespace visor::storage::sql
