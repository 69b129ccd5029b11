// EquipmentRepository: machines and their QR-label codes.
#include <string>

#include "storage/sql/repositories.hpp"
#include "storage/sql/text.hpp"

namespace visor::storage::sql {
namespace {

#define VISOR_EQUIPMENT_COLUMNS                                                                        \
  "e.id, e.odoo_id, e.name, e.serial_no, e.model, e.category_id, e.location, e.technician_id, e.team_id, " \
  "e.note, e.code, e.active, e.version, e.updated_at"

constexpr std::string_view kGet = "SELECT " VISOR_EQUIPMENT_COLUMNS " FROM equipment e WHERE e.id = $1";
constexpr std::string_view kGetByCode = "SELECT " VISOR_EQUIPMENT_COLUMNS " FROM equipment e WHERE e.code = $1";
constexpr std::string_view kGetByOdoo = "SELECT " VISOR_EQUIPMENT_COLUMNS " FROM equipment e WHERE e.odoo_id = $1";
constexpr std::string_view kListHead =
    "SELECT " VISOR_EQUIPMENT_COLUMNS
    ", c.name, (SELECT count(*) FROM tasks t JOIN stages s ON s.id = t.stage_id"
    " WHERE t.equipment_id = e.id AND NOT s.done AND NOT t.archived)"
    " FROM equipment e LEFT JOIN categories c ON c.id = e.category_id";
constexpr std::string_view kCodeTaken = "SELECT id FROM equipment WHERE code = $1 AND id <> $2";
constexpr std::string_view kExists = "SELECT 1 FROM equipment WHERE id = $1";
// $1..$12 in the order of equipment_params().
constexpr std::string_view kInsert =
    "INSERT INTO equipment (odoo_id, name, serial_no, model, category_id, location, technician_id, team_id, "
    "note, code, active, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1) "
    "RETURNING id";
constexpr std::string_view kUpdate =
    "UPDATE equipment SET odoo_id = $1, name = $2, serial_no = $3, model = $4, category_id = $5, location = $6, "
    "technician_id = $7, team_id = $8, note = $9, code = $10, active = $11, updated_at = $12, "
    "version = version + 1 WHERE id = $13 AND version = $14";

#undef VISOR_EQUIPMENT_COLUMNS

Equipment read_equipment(Fields& f) {
  Equipment e;
  e.id = f.id<EquipmentId>();
  e.odoo_id = f.opt_id<OdooId>();
  e.name = f.str();
  e.serial_no = f.str();
  e.model = f.str();
  e.category_id = f.opt_id<CategoryId>();
  e.location = f.str();
  e.technician_id = f.opt_id<UserId>();
  e.team_id = f.opt_id<TeamId>();
  e.note = f.str();
  e.code = f.str();
  e.active = f.flag();
  e.version = f.i64();
  e.updated_at = f.time();
  return e;
}

std::optional<Equipment> one(Rows rows) {
  if (!rows.next()) return std::nullopt;
  Fields f(rows);
  return read_equipment(f);
}

Params equipment_params(const Equipment& e) {
  return {arg(e.odoo_id),       arg(e.name),    arg(e.serial_no), arg(e.model),  arg(e.category_id),
          arg(e.location),      arg(e.technician_id), arg(e.team_id), arg(e.note), arg(e.code),
          arg(e.active),        arg(e.updated_at)};
}

}  // namespace

std::optional<Equipment> SqlEquipmentRepository::get(EquipmentId id) { return one(ctx_.db().query(kGet, {arg(id)})); }

std::optional<Equipment> SqlEquipmentRepository::get_by_code(std::string_view code) {
  return one(ctx_.db().query(kGetByCode, {arg(code)}));
}

std::optional<Equipment> SqlEquipmentRepository::get_by_odoo(OdooId id) {
  return one(ctx_.db().query(kGetByOdoo, {arg(id)}));
}

std::vector<EquipmentRow> SqlEquipmentRepository::list(const EquipmentQuery& q) {
  if (q.limit < 1 || q.limit > 500) invalid("limit must be between 1 and 500.");
  std::string sql(kListHead);
  Params params;
  const auto param = [&](Param p) {
    params.push_back(std::move(p));
    return "$" + std::to_string(params.size());
  };
  std::string where;
  const auto add = [&](const std::string& clause) { where += (where.empty() ? " WHERE " : " AND ") + clause; };
  if (!q.text.empty()) {
    const Backend b = ctx_.backend();
    const std::string p = param(arg(search_pattern(b, q.text)));
    std::string any;
    for (std::string_view column : {"e.name", "e.serial_no", "e.model", "e.location", "e.code"})
      any += (any.empty() ? "" : " OR ") + contains_clause(b, column, p, q.text);
    add("(" + any + ")");
  }
  if (q.category) add("e.category_id = " + param(arg(*q.category)));
  if (q.team) add("e.team_id = " + param(arg(*q.team)));
  if (!q.include_inactive) add("e.active");
  if (q.after_id > 0) add("e.id > " + param(arg(q.after_id)));
  sql += where + " ORDER BY e.id LIMIT " + param(arg(q.limit));

  std::vector<EquipmentRow> out;
  Rows rows = ctx_.db().query(sql, params);
  while (rows.next()) {
    Fields f(rows);
    EquipmentRow row;
    row.equipment = read_equipment(f);
    row.category_name = f.str();
    row.open_tasks = f.i32();
    out.push_back(std::move(row));
  }
  return out;
}

void SqlEquipmentRepository::check_code_free(const Equipment& e) {
  if (e.code.empty()) invalid("Equipment code is required.");
  if (ctx_.db().scalar(kCodeTaken, {arg(e.code), arg(e.id)}))
    fail(ErrorCode::conflict, "Equipment code \"" + e.code + "\" is already in use.");
}

EquipmentId SqlEquipmentRepository::insert(Equipment& e) {
  ctx_.require_writable();
  e.id = EquipmentId(0);
  check_code_free(e);
  e.id = EquipmentId(returned_id(ctx_.db().query(kInsert, equipment_params(e))));
  e.version = 1;
  ctx_.touch(ChangeScope::reports());  // the reports count machines; no task names it yet
  return e.id;
}

void SqlEquipmentRepository::update(Equipment& e, std::int64_t expected_version) {
  ctx_.require_writable();
  if (!ctx_.db().scalar(kExists, {arg(e.id)})) not_found("Equipment " + std::to_string(e.id.value) + " does not exist.");
  check_code_free(e);
  Params p = equipment_params(e);
  p.push_back(arg(e.id));
  p.push_back(arg(expected_version));
  if (ctx_.db().execute(kUpdate, p) == 0)
    fail(ErrorCode::precondition_failed, "Equipment " + std::to_string(e.id.value) +
                                             " was changed by someone else (version " +
                                             std::to_string(expected_version) + " is stale).");
  e.version = expected_version + 1;
  ctx_.names_changed();  // task rows show the equipment's name, location and code
}

}  // namespace visor::storage::sql
