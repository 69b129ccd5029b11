// ProcedureRepository and FollowUpRepository: templates and versions, the
// procedure of each task, sign-offs, follow-ups.
#include <string>

#include "storage/sql/procedure_repos.hpp"

namespace visor::storage::sql {
namespace {

#define VISOR_PROCEDURE_COLUMNS \
  "p.id, p.name, p.category_id, p.equipment_id, p.type, p.active, p.version, v.text, p.updated_at, p.updated_by"
constexpr std::string_view kList = "SELECT " VISOR_PROCEDURE_COLUMNS
                                   " FROM procedures p LEFT JOIN procedure_versions v ON v.procedure_id = p.id "
                                   "AND v.version = p.version WHERE p.active OR $1 ORDER BY p.name, p.id";
constexpr std::string_view kGet = "SELECT " VISOR_PROCEDURE_COLUMNS
                                  " FROM procedures p LEFT JOIN procedure_versions v ON v.procedure_id = p.id "
                                  "AND v.version = p.version WHERE p.id = $1";
constexpr std::string_view kCandidates =
    "SELECT " VISOR_PROCEDURE_COLUMNS
    " FROM procedures p LEFT JOIN procedure_versions v ON v.procedure_id = p.id AND v.version = p.version "
    "WHERE p.active AND p.version > 0 AND (p.equipment_id = $1 OR (p.equipment_id IS NULL AND p.category_id = $2)) "
    "ORDER BY p.id";
constexpr std::string_view kInsert =
    "INSERT INTO procedures (name, category_id, equipment_id, type, active, version, created_at, updated_at, "
    "updated_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7) RETURNING id";
constexpr std::string_view kInsertVersion =
    "INSERT INTO procedure_versions (procedure_id, version, text, created_at, created_by) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kSave =
    "UPDATE procedures SET name = $2, category_id = $3, equipment_id = $4, type = $5, active = $6, "
    "version = version + 1, updated_at = $7, updated_by = $8 WHERE id = $1 AND version = $9";
constexpr std::string_view kExists = "SELECT 1 FROM procedures WHERE id = $1";
constexpr std::string_view kVersions =
    "SELECT version, text, created_at, created_by FROM procedure_versions WHERE procedure_id = $1 "
    "ORDER BY version DESC";
// Open, not started, on the machine or on a machine of the category.
constexpr std::string_view kTasksNotStarted =
    "SELECT t.id FROM tasks t JOIN stages s ON s.id = t.stage_id LEFT JOIN equipment e ON e.id = t.equipment_id "
    "WHERE t.execution = 'not_started' AND NOT s.done AND NOT t.archived AND t.equipment_id IS NOT NULL "
    "AND (t.equipment_id = $1 OR e.category_id = $2) ORDER BY t.id";

constexpr std::string_view kOfTask = "SELECT procedure_id, version, signoff FROM task_procedures WHERE task_id = $1";
constexpr std::string_view kSetOfTask =
    "INSERT INTO task_procedures (task_id, procedure_id, version, signoff) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (task_id) DO UPDATE SET procedure_id = $2, version = $3, signoff = $4";
constexpr std::string_view kClearOfTask = "DELETE FROM task_procedures WHERE task_id = $1";

constexpr std::string_view kSignOff =
    "SELECT signature, signed_by, signed_at, approved_by, approved_at, approval_comment FROM task_signoffs "
    "WHERE task_id = $1";
constexpr std::string_view kSaveSignOff =
    "INSERT INTO task_signoffs (task_id, signature, signed_by, signed_at, approved_by, approved_at, "
    "approval_comment) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (task_id) DO UPDATE SET signature = $2, "
    "signed_by = $3, signed_at = $4, approved_by = $5, approved_at = $6, approval_comment = $7";
constexpr std::string_view kAwaitingApproval =
    "SELECT t.id FROM tasks t JOIN task_procedures tp ON tp.task_id = t.id "
    "LEFT JOIN task_signoffs so ON so.task_id = t.id WHERE tp.signoff = 'supervisor' "
    "AND t.execution = 'completed' AND so.approved_at IS NULL AND NOT t.archived "
    "ORDER BY so.signed_at, t.id LIMIT $1";

constexpr std::string_view kInsertFollowUp =
    "INSERT INTO follow_ups (task_id, origin_id, origin_step, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kFollowUpOfStep =
    "SELECT task_id, origin_id, origin_step, created_at FROM follow_ups WHERE origin_id = $1 AND origin_step = $2";
constexpr std::string_view kFollowUpsOfOrigin =
    "SELECT task_id, origin_id, origin_step, created_at FROM follow_ups WHERE origin_id = $1 ORDER BY origin_step";
constexpr std::string_view kFollowUp =
    "SELECT task_id, origin_id, origin_step, created_at FROM follow_ups WHERE task_id = $1";

Procedure read_procedure(const Rows& rows) {
  Fields f(rows);
  Procedure p;
  p.id = f.id<ProcedureId>();
  p.name = f.str();
  p.category_id = f.opt_id<CategoryId>();
  p.equipment_id = f.opt_id<EquipmentId>();
  if (const std::string type = f.str(); !type.empty())
    p.type = stored_enum(parse_maintenance_type(type), "procedure type", type);
  p.active = f.flag();
  p.version = f.i32();
  p.text = f.str();
  p.updated_at = f.time();
  p.updated_by = f.opt_id<UserId>();
  return p;
}

Param type_arg(const std::optional<MaintenanceType>& t) { return t ? arg(to_string(*t)) : Param(); }

FollowUp read_follow_up(const Rows& rows) {
  Fields f(rows);
  FollowUp out;
  out.task_id = f.id<TaskId>();
  out.origin_id = f.id<TaskId>();
  out.origin_step = f.i32();
  out.created_at = f.time();
  return out;
}

}  // namespace

std::vector<Procedure> SqlProcedureRepository::list(bool include_inactive) {
  std::vector<Procedure> out;
  Rows rows = ctx_.db().query(kList, {arg(include_inactive)});
  while (rows.next()) out.push_back(read_procedure(rows));
  return out;
}

std::optional<Procedure> SqlProcedureRepository::get(ProcedureId id) {
  Rows rows = ctx_.db().query(kGet, {arg(id)});
  if (!rows.next()) return std::nullopt;
  return read_procedure(rows);
}

ProcedureId SqlProcedureRepository::insert(Procedure& p) {
  ctx_.require_writable();
  p.id = ProcedureId(returned_id(ctx_.db().query(
      kInsert, {arg(p.name), arg(p.category_id), arg(p.equipment_id), type_arg(p.type), arg(p.active),
                arg(p.updated_at), arg(p.updated_by)})));
  p.version = 1;
  ctx_.db().execute(kInsertVersion, {arg(p.id), arg(1), arg(p.text), arg(p.updated_at), arg(p.updated_by)});
  return p.id;
}

void SqlProcedureRepository::save(Procedure& p, int expected_version) {
  ctx_.require_writable();
  const std::int64_t changed =
      ctx_.db().execute(kSave, {arg(p.id), arg(p.name), arg(p.category_id), arg(p.equipment_id), type_arg(p.type),
                                arg(p.active), arg(p.updated_at), arg(p.updated_by), arg(expected_version)});
  if (changed == 0) {
    if (!ctx_.db().scalar(kExists, {arg(p.id)}))
      not_found("Procedure " + std::to_string(p.id.value) + " does not exist.");
    fail(ErrorCode::precondition_failed, "Procedure " + std::to_string(p.id.value) +
                                             " was changed by someone else (version " +
                                             std::to_string(expected_version) + " is stale).");
  }
  p.version = expected_version + 1;
  ctx_.db().execute(kInsertVersion, {arg(p.id), arg(p.version), arg(p.text), arg(p.updated_at), arg(p.updated_by)});
}

std::vector<ProcedureVersion> SqlProcedureRepository::versions(ProcedureId id) {
  std::vector<ProcedureVersion> out;
  Rows rows = ctx_.db().query(kVersions, {arg(id)});
  while (rows.next()) {
    Fields f(rows);
    ProcedureVersion v;
    v.version = f.i32();
    v.text = f.str();
    v.created_at = f.time();
    v.created_by = f.opt_id<UserId>();
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<Procedure> SqlProcedureRepository::candidates(EquipmentId equipment, std::optional<CategoryId> category) {
  std::vector<Procedure> out;
  Rows rows = ctx_.db().query(kCandidates, {arg(equipment), arg(category)});
  while (rows.next()) out.push_back(read_procedure(rows));
  return out;
}

std::vector<TaskId> SqlProcedureRepository::tasks_not_started(std::optional<EquipmentId> equipment,
                                                              std::optional<CategoryId> category) {
  std::vector<TaskId> out;
  Rows rows = ctx_.db().query(kTasksNotStarted, {arg(equipment), arg(category)});
  while (rows.next()) out.push_back(rows.id<TaskId>(0));
  return out;
}

std::optional<TaskProcedure> SqlProcedureRepository::of_task(TaskId task) {
  Rows rows = ctx_.db().query(kOfTask, {arg(task)});
  if (!rows.next()) return std::nullopt;
  TaskProcedure tp;
  tp.procedure_id = rows.opt_id<ProcedureId>(0);
  tp.version = rows.i32(1);
  const std::string signoff = rows.str(2);
  tp.signoff = stored_enum(parse_sign_off(signoff), "sign-off", signoff);
  return tp;
}

void SqlProcedureRepository::set_of_task(TaskId task, const TaskProcedure& tp) {
  ctx_.require_writable();
  ctx_.db().execute(kSetOfTask, {arg(task), arg(tp.procedure_id), arg(tp.version), arg(to_string(tp.signoff))});
  ctx_.task_shown_changed(task);  // its card shows the procedure
}

void SqlProcedureRepository::clear_of_task(TaskId task) {
  ctx_.require_writable();
  if (ctx_.db().execute(kClearOfTask, {arg(task)}) > 0) ctx_.task_shown_changed(task);
}

std::optional<TaskSignOff> SqlProcedureRepository::signoff(TaskId task) {
  Rows rows = ctx_.db().query(kSignOff, {arg(task)});
  if (!rows.next()) return std::nullopt;
  Fields f(rows);
  TaskSignOff s;
  s.signature = f.str();
  s.signed_by = f.opt_id<UserId>();
  s.signed_at = f.opt_time();
  s.approved_by = f.opt_id<UserId>();
  s.approved_at = f.opt_time();
  s.approval_comment = f.str();
  return s;
}

void SqlProcedureRepository::save_signoff(TaskId task, const TaskSignOff& s) {
  ctx_.require_writable();
  ctx_.db().execute(kSaveSignOff, {arg(task), arg(s.signature), arg(s.signed_by), arg(s.signed_at),
                                   arg(s.approved_by), arg(s.approved_at), arg(s.approval_comment)});
  ctx_.task_shown_changed(task);
}

std::vector<TaskId> SqlProcedureRepository::awaiting_approval(int limit) {
  std::vector<TaskId> out;
  Rows rows = ctx_.db().query(kAwaitingApproval, {arg(limit)});
  while (rows.next()) out.push_back(rows.id<TaskId>(0));
  return out;
}

void SqlFollowUpRepository::insert(const FollowUp& f) {
  ctx_.require_writable();
  if (of_step(f.origin_id, f.origin_step))
    fail(ErrorCode::conflict, "Step " + std::to_string(f.origin_step) + " already has a follow-up.");
  ctx_.db().execute(kInsertFollowUp, {arg(f.task_id), arg(f.origin_id), arg(f.origin_step), arg(f.created_at)});
  ctx_.task_shown_changed(f.origin_id);  // the origin's card links its follow-up
}

std::optional<FollowUp> SqlFollowUpRepository::of_step(TaskId origin, int step) {
  Rows rows = ctx_.db().query(kFollowUpOfStep, {arg(origin), arg(step)});
  if (!rows.next()) return std::nullopt;
  return read_follow_up(rows);
}

std::vector<FollowUp> SqlFollowUpRepository::of_origin(TaskId origin) {
  std::vector<FollowUp> out;
  Rows rows = ctx_.db().query(kFollowUpsOfOrigin, {arg(origin)});
  while (rows.next()) out.push_back(read_follow_up(rows));
  return out;
}

std::optional<FollowUp> SqlFollowUpRepository::get(TaskId follow_up) {
  Rows rows = ctx_.db().query(kFollowUp, {arg(follow_up)});
  if (!rows.next()) return std::nullopt;
  return read_follow_up(rows);
}

}  // namespace visor::storage::sql
