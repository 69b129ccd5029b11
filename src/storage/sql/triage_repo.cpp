// TriageRepository: the inbox of reported faults.
#include <string>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

constexpr std::string_view kColumns =
    "SELECT task_id, source, reported_at, reporter_id, device_name, state, decided_at, decided_by, reason, "
    "merged_into FROM triage";
constexpr std::string_view kInsert =
    "INSERT INTO triage (task_id, source, reported_at, reporter_id, device_name, state, reason) "
    "VALUES ($1, $2, $3, $4, $5, $6, '')";
constexpr std::string_view kDecide =
    "UPDATE triage SET state = $2, decided_at = $3, decided_by = $4, reason = $5, merged_into = $6 "
    "WHERE task_id = $1";
constexpr std::string_view kCount = "SELECT count(*) FROM triage WHERE state = $1";

TriageRecord read_record(Rows& rows) {
  Fields f(rows);
  TriageRecord r;
  r.task_id = f.id<TaskId>();
  const std::string source = f.str();
  r.source = stored_enum(parse_triage_source(source), "triage source", source);
  r.reported_at = f.time();
  r.reporter_id = f.opt_id<UserId>();
  r.device_name = f.str();
  const std::string state = f.str();
  r.state = stored_enum(parse_triage_state(state), "triage state", state);
  r.decided_at = f.opt_time();
  r.decided_by = f.opt_id<UserId>();
  r.reason = f.str();
  r.merged_into = f.opt_id<TaskId>();
  return r;
}

}  // namespace

void SqlTriageRepository::insert(const TriageRecord& r) {
  ctx_.require_writable();
  ctx_.db().execute(kInsert, {arg(r.task_id), arg(std::string(to_string(r.source))), arg(r.reported_at),
                              arg(r.reporter_id), arg(r.device_name), arg(std::string(to_string(r.state)))});
}

std::optional<TriageRecord> SqlTriageRepository::get(TaskId task) {
  static const std::string sql = std::string(kColumns) + " WHERE task_id = $1";
  Rows rows = ctx_.db().query(sql, {arg(task)});
  if (!rows.next()) return std::nullopt;
  return read_record(rows);
}

void SqlTriageRepository::decide(const TriageRecord& r) {
  ctx_.require_writable();
  ctx_.db().execute(kDecide, {arg(r.task_id), arg(std::string(to_string(r.state))), arg(r.decided_at),
                              arg(r.decided_by), arg(r.reason), arg(r.merged_into)});
}

std::vector<TriageRecord> SqlTriageRepository::list(const TriageQuery& q) {
  if (q.limit < 1 || q.limit > 200) invalid("limit must be between 1 and 200.");
  const bool oldest_first = q.state == TriageState::pending;
  Params params{arg(std::string(to_string(q.state)))};
  std::string sql = std::string(kColumns) + " WHERE state = $1";
  if (q.after_at) {
    params.push_back(arg(*q.after_at));
    params.push_back(arg(q.after_task));
    sql += oldest_first ? " AND (reported_at, task_id) > ($2, $3)" : " AND (reported_at, task_id) < ($2, $3)";
  }
  params.push_back(arg(q.limit));
  sql += oldest_first ? " ORDER BY reported_at, task_id" : " ORDER BY reported_at DESC, task_id DESC";
  sql += " LIMIT $" + std::to_string(params.size());
  std::vector<TriageRecord> out;
  Rows rows = ctx_.db().query(sql, params);
  while (rows.next()) out.push_back(read_record(rows));
  return out;
}

std::int64_t SqlTriageRepository::count(TriageState state) {
  Rows rows = ctx_.db().query(kCount, {arg(std::string(to_string(state)))});
  return rows.next() ? rows.i64(0) : 0;
}

}  // namespace visor::storage::sql
