// FailureCodeRepository: the catalogue, the codes recorded on work and the
// failure counts behind the Pareto and MTBF by failure mode.
#include <string>

#include "storage/sql/procedure_repos.hpp"

namespace visor::storage::sql {
namespace {

#define VISOR_CODE_COLUMNS "id, kind, code, label_en, label_fr, active, position"
constexpr std::string_view kList =
    "SELECT " VISOR_CODE_COLUMNS " FROM failure_codes WHERE active OR $1 ORDER BY CASE kind WHEN 'problem' THEN 0 "
    "WHEN 'cause' THEN 1 ELSE 2 END, position, id";
constexpr std::string_view kGet = "SELECT " VISOR_CODE_COLUMNS " FROM failure_codes WHERE id = $1";
constexpr std::string_view kCodeTaken = "SELECT id FROM failure_codes WHERE kind = $1 AND code = $2";
constexpr std::string_view kInsert =
    "INSERT INTO failure_codes (kind, code, label_en, label_fr, active, position) VALUES ($1, $2, $3, $4, $5, $6) "
    "RETURNING id";
constexpr std::string_view kUpdate =
    "UPDATE failure_codes SET code = $2, label_en = $3, label_fr = $4, active = $5, position = $6 WHERE id = $1";

constexpr std::string_view kOfTask =
    "SELECT problem_id, cause_id, remedy_id, recorded_by, recorded_at FROM task_failures WHERE task_id = $1";
constexpr std::string_view kSaveForTask =
    "INSERT INTO task_failures (task_id, problem_id, cause_id, remedy_id, recorded_by, recorded_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (task_id) DO UPDATE SET problem_id = $2, cause_id = $3, "
    "remedy_id = $4, recorded_by = $5, recorded_at = $6";

// Corrective work by the day it was requested (its creation day if none).
constexpr std::string_view kCounts =
    "SELECT f.problem_id, t.equipment_id, e.category_id, count(*) FROM tasks t "
    "LEFT JOIN task_failures f ON f.task_id = t.id LEFT JOIN equipment e ON e.id = t.equipment_id "
    "WHERE t.type = 'corrective' AND NOT t.archived AND COALESCE(t.request_date, t.created_at / 86400) >= $1 "
    "AND COALESCE(t.request_date, t.created_at / 86400) < $2";
constexpr std::string_view kCountsGroup = " GROUP BY f.problem_id, t.equipment_id, e.category_id";
constexpr std::string_view kMachines = "SELECT count(*) FROM equipment e WHERE e.active";

FailureCode read_code(const Rows& rows) {
  Fields f(rows);
  FailureCode c;
  c.id = f.id<FailureCodeId>();
  const std::string kind = f.str();
  c.kind = stored_enum(parse_failure_code_kind(kind), "failure code kind", kind);
  c.code = f.str();
  c.label_en = f.str();
  c.label_fr = f.str();
  c.active = f.flag();
  c.position = f.i32();
  return c;
}

// "AND e.id = $3 AND e.category_id = $4" for the query's scope.
std::string scope_sql(const FailureQuery& q, Params& p, std::string_view machine_column) {
  std::string sql;
  if (q.equipment) {
    p.push_back(arg(*q.equipment));
    sql += " AND " + std::string(machine_column) + " = $" + std::to_string(p.size());
  }
  if (q.category) {
    p.push_back(arg(*q.category));
    sql += " AND e.category_id = $" + std::to_string(p.size());
  }
  return sql;
}

Date day_of(TimePoint t) { return std::chrono::floor<std::chrono::days>(t); }

}  // namespace

std::vector<FailureCode> SqlFailureCodeRepository::list(bool include_inactive) {
  std::vector<FailureCode> out;
  Rows rows = ctx_.db().query(kList, {arg(include_inactive)});
  while (rows.next()) out.push_back(read_code(rows));
  return out;
}

std::optional<FailureCode> SqlFailureCodeRepository::get(FailureCodeId id) {
  Rows rows = ctx_.db().query(kGet, {arg(id)});
  if (!rows.next()) return std::nullopt;
  return read_code(rows);
}

FailureCodeId SqlFailureCodeRepository::insert(FailureCode& c) {
  ctx_.require_writable();
  if (ctx_.db().scalar(kCodeTaken, {arg(to_string(c.kind)), arg(c.code)}))
    fail(ErrorCode::conflict, "The " + std::string(to_string(c.kind)) + " list already has the code " + c.code + ".");
  c.id = FailureCodeId(returned_id(ctx_.db().query(
      kInsert, {arg(to_string(c.kind)), arg(c.code), arg(c.label_en), arg(c.label_fr), arg(c.active), arg(c.position)})));
  return c.id;
}

void SqlFailureCodeRepository::update(const FailureCode& c) {
  ctx_.require_writable();
  const auto taken = ctx_.db().scalar(kCodeTaken, {arg(to_string(c.kind)), arg(c.code)});
  if (taken && *taken != c.id.value)
    fail(ErrorCode::conflict, "The " + std::string(to_string(c.kind)) + " list already has the code " + c.code + ".");
  if (ctx_.db().execute(kUpdate, {arg(c.id), arg(c.code), arg(c.label_en), arg(c.label_fr), arg(c.active),
                                  arg(c.position)}) == 0)
    not_found("Failure code " + std::to_string(c.id.value) + " does not exist.");
  ctx_.names_changed();  // cards and reports name the codes
}

std::optional<TaskFailure> SqlFailureCodeRepository::of_task(TaskId task) {
  Rows rows = ctx_.db().query(kOfTask, {arg(task)});
  if (!rows.next()) return std::nullopt;
  Fields f(rows);
  TaskFailure out;
  out.problem = f.opt_id<FailureCodeId>();
  out.cause = f.opt_id<FailureCodeId>();
  out.remedy = f.opt_id<FailureCodeId>();
  out.recorded_by = f.opt_id<UserId>();
  out.recorded_at = f.time();
  return out;
}

void SqlFailureCodeRepository::save_for_task(TaskId task, const TaskFailure& f) {
  ctx_.require_writable();
  ctx_.db().execute(kSaveForTask, {arg(task), arg(f.problem), arg(f.cause), arg(f.remedy), arg(f.recorded_by),
                                   arg(f.recorded_at)});
  ctx_.task_shown_changed(task);
  ctx_.touch(ChangeScope::reports());  // the failure report counts the codes
}

std::vector<FailureCount> SqlFailureCodeRepository::counts(const FailureQuery& q) {
  Params p{arg(day_of(q.from)), arg(day_of(q.to))};
  std::string sql(kCounts);
  sql += scope_sql(q, p, "t.equipment_id");
  sql += kCountsGroup;
  std::vector<FailureCount> out;
  Rows rows = ctx_.db().query(sql, p);
  while (rows.next()) {
    Fields f(rows);
    FailureCount c;
    c.problem = f.opt_id<FailureCodeId>();
    c.equipment = f.opt_id<EquipmentId>();
    c.category = f.opt_id<CategoryId>();
    c.failures = f.i64();
    out.push_back(c);
  }
  return out;
}

std::int64_t SqlFailureCodeRepository::machines_in_scope(const FailureQuery& q) {
  Params p;
  std::string sql(kMachines);
  sql += scope_sql(q, p, "e.id");
  Rows rows = ctx_.db().query(sql, p);
  return rows.next() ? rows.i64(0) : 0;
}

}  // namespace visor::storage::sql
