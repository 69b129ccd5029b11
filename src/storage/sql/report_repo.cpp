// ReportRepository: the dashboard's aggregates and the CSV exports. Each
// report is one statement; the definitions of reported_at, due, completed_at
// and planned duration (storage/reports.hpp) are the SQL fragments below,
// shared by every query so that the numbers agree with one another.
#include <string>

#include "storage/sql/report_repo.hpp"
#include "storage/sql/task_columns.hpp"

namespace visor::storage::sql {
namespace {

// --- shared definitions (over `tasks t JOIN stages s`) -----------------------

constexpr std::string_view kReportedAt =
    "(CASE WHEN t.request_date IS NOT NULL AND t.request_date * 86400 + 86400 <= t.created_at "
    "THEN t.request_date * 86400 ELSE t.created_at END)";
constexpr std::string_view kDueAt = "COALESCE(t.schedule_end, t.schedule_start)";
// Not yet clamped to reported_at (the callers do it once both are columns).
constexpr std::string_view kCompletedRaw =
    "(CASE WHEN s.done THEN COALESCE("
    "(SELECT MAX(w.at) FROM work_log w WHERE w.task_id = t.id AND w.kind = 'completed'), "
    "CASE WHEN t.close_date IS NULL OR t.updated_at / 86400 = t.close_date THEN t.updated_at "
    "ELSE t.close_date * 86400 + 43200 END) END)";
constexpr std::string_view kStartedAt =
    "(SELECT MIN(w.at) FROM work_log w WHERE w.task_id = t.id AND w.kind = 'started')";
constexpr std::string_view kPlanned =
    "(CASE WHEN t.schedule_start IS NOT NULL AND t.schedule_end IS NOT NULL AND t.schedule_end > t.schedule_start "
    "THEN t.schedule_end - t.schedule_start ELSE 3600 END)";
constexpr std::string_view kOverdueNow =  // needs the placeholder of `now` appended
    "NOT s.done AND t.execution <> 'completed' AND COALESCE(t.schedule_end, t.schedule_start) < ";

/// Numbered parameters and the AND-ed filter clauses of one statement.
class Statement {
 public:
  std::string param(Param p) {
    params_.push_back(std::move(p));
    return "CAST($" + std::to_string(params_.size()) + " AS BIGINT)";
  }
  std::string text(std::string value) {
    params_.push_back(arg(value));
    return "$" + std::to_string(params_.size());
  }
  /// " AND t.team_id = $n …" for the filter (tasks aliased `t`).
  std::string task_filter(const ReportFilter& f) {
    std::string out;
    if (f.team) out += " AND t.team_id = " + param(arg(*f.team));
    if (f.equipment) out += " AND t.equipment_id = " + param(arg(*f.equipment));
    return out;
  }
  const Params& params() const { return params_; }

 private:
  Params params_;
};

std::string sum_if(const std::string& condition, std::string_view value = "1") {
  return "CAST(SUM(CASE WHEN " + condition + " THEN " + std::string(value) + " ELSE 0 END) AS BIGINT)";
}

// The per-task facts of a period report: `b0`, materialised once (the work
// log lookups are its cost), seen through `base` (id, type, equipment_id,
// reported_at, due_at, started_at, completed_at), which is inlined.
// Tasks completed well before the period are left out: each added one to
// "reported" and took one from "completed" (and from "overdue" likewise)
// before `from`, so the running totals do not change without them — unless
// they were due in the period (early preventive work).
std::string base_cte(Statement& st, const ReportFilter& filter, TimePoint from) {
  const std::string from_day = st.param(arg(to_unix(from) / 86400 - 2));
  const std::string lo = st.param(arg(from));
  std::string sql = "WITH b0 AS MATERIALIZED (SELECT t.id, t.type, t.equipment_id, ";
  sql.append(kReportedAt).append(" AS reported_at, ").append(kDueAt).append(" AS due_at, ");
  sql.append(kCompletedRaw).append(" AS completed_raw, ");
  sql.append("CASE WHEN s.done AND t.type = 'corrective' THEN ").append(kStartedAt).append(" END AS started_at");
  sql.append(" FROM tasks t JOIN stages s ON s.id = t.stage_id WHERE NOT t.archived");
  sql.append(st.task_filter(filter));
  sql.append(" AND (NOT s.done OR t.close_date IS NULL OR t.close_date >= " + from_day + " OR ");
  sql.append(kDueAt).append(" >= " + lo + ")), ");
  sql.append(
      "base AS NOT MATERIALIZED (SELECT id, type, equipment_id, reported_at, due_at, started_at, "
      "CASE WHEN completed_raw < reported_at THEN reported_at ELSE completed_raw END AS completed_at FROM b0)");
  return sql;
}

MaintenanceType read_type(const std::string& text) {
  return stored_enum(parse_maintenance_type(text), "maintenance type", text);
}

// Row kinds of the period statement beyond the Activity values.
constexpr int kMachineRow = 100;
constexpr int kCategoryRow = 101;
constexpr int kMachineCountRow = 102;

}  // namespace

NowReport SqlReportRepository::now(const NowQuery& q) {
  NowReport out;
  {
    Statement st;
    const std::string n = st.param(arg(q.now));
    // Aggregate first, name the few groups after (joining teams per task row
    // would cost as much as the aggregation).
    const std::string sql = "SELECT x.*, tm.name FROM (SELECT t.team_id AS team_id, COUNT(*) AS n_open, " +
                            sum_if(std::string(kOverdueNow) + n) + ", " + sum_if("t.execution = 'in_progress'") + ", " +
                            sum_if("t.execution = 'paused'") + ", " + sum_if("t.assignee_id IS NULL") + ", " +
                            sum_if("t.schedule_start IS NULL") + ", CAST(SUM(" + std::string(kPlanned) +
                            ") AS BIGINT) AS planned FROM tasks t JOIN stages s ON s.id = t.stage_id"
                            " WHERE NOT t.archived AND NOT s.done" +
                            st.task_filter(q.filter) +
                            " GROUP BY t.team_id) x LEFT JOIN teams tm ON tm.id = x.team_id ORDER BY x.planned DESC, 1";
    Rows rows = ctx_.db().query(sql, st.params());
    while (rows.next()) {
      Fields f(rows);
      TeamBacklog b;
      b.team = f.opt_id<TeamId>();
      b.open = f.i64();
      b.overdue = f.i64();
      b.in_progress = f.i64();
      b.paused = f.i64();
      b.unassigned = f.i64();
      b.unscheduled = f.i64();
      b.planned_seconds = f.i64();
      b.name = f.str();
      Snapshot& s = out.totals;
      s.open += b.open;
      s.overdue += b.overdue;
      s.in_progress += b.in_progress;
      s.paused += b.paused;
      s.unassigned += b.unassigned;
      s.unscheduled += b.unscheduled;
      out.teams.push_back(std::move(b));
    }
  }
  {
    // Only tasks closed since the day before (UTC) can have completed today.
    Statement st;
    const std::string start = st.param(arg(q.day_start));
    const std::string since_day = st.param(arg(to_unix(q.day_start) / 86400 - 1));
    std::string sql = "SELECT COUNT(*) FROM (SELECT ";
    sql.append(kCompletedRaw).append(" AS c, ").append(kReportedAt).append(" AS r");
    sql.append(" FROM tasks t JOIN stages s ON s.id = t.stage_id WHERE s.done AND NOT t.archived");
    sql.append(" AND (t.close_date IS NULL OR t.close_date >= ").append(since_day).append(")");
    sql.append(st.task_filter(q.filter)).append(") x WHERE (CASE WHEN c < r THEN r ELSE c END) >= ").append(start);
    Rows rows = ctx_.db().query(sql, st.params());
    if (rows.next()) out.totals.done_today = rows.i64(0);
  }
  {
    Statement st;
    const std::string lo = st.param(arg(q.week_from));
    const std::string hi = st.param(arg(q.week_to));
    const std::string n = st.param(arg(q.now));
    const std::string in_window = "t.schedule_start >= " + lo + " AND t.schedule_start < " + hi;
    std::string sql = "SELECT u.id, u.name, COALESCE(a.scheduled, 0), COALESCE(a.planned, 0), "
                      "COALESCE(a.in_progress, 0), COALESCE(a.paused, 0), COALESCE(a.n_open, 0), COALESCE(a.overdue, 0) "
                      "FROM users u LEFT JOIN (SELECT t.assignee_id AS assignee_id, " +
                      sum_if(in_window) + " AS scheduled, " + sum_if(in_window, kPlanned) + " AS planned, " +
                      sum_if("NOT s.done AND t.execution = 'in_progress'") + " AS in_progress, " +
                      sum_if("NOT s.done AND t.execution = 'paused'") + " AS paused, " + sum_if("NOT s.done") +
                      " AS n_open, " + sum_if(std::string(kOverdueNow) + n) +
                      " AS overdue FROM tasks t JOIN stages s ON s.id = t.stage_id"
                      " WHERE NOT t.archived AND t.assignee_id IS NOT NULL" +
                      st.task_filter(q.filter) +
                      " GROUP BY t.assignee_id) a ON a.assignee_id = u.id WHERE u.role = 'technician' AND u.active";
    if (q.filter.team) sql += " AND u.team_id = " + st.param(arg(*q.filter.team));
    sql += " ORDER BY u.name, u.id";
    Rows rows = ctx_.db().query(sql, st.params());
    while (rows.next()) {
      Fields f(rows);
      TechnicianLoad l;
      l.user = f.id<UserId>();
      l.name = f.str();
      l.scheduled = f.i64();
      l.planned_seconds = f.i64();
      l.in_progress = f.i64();
      l.paused = f.i64();
      l.open = f.i64();
      l.overdue = f.i64();
      out.technicians.push_back(std::move(l));
    }
  }
  return out;
}

// One statement, so that `base` is computed once. Every part yields the
// same columns: kind, type, slot, n1, n2, n3, id, name, code, machines —
// activity: n1 = count, n2 = seconds; reliability: n1 = failures,
// n2 = repairs, n3 = repair seconds; machine count: n1.
PeriodReport SqlReportRepository::period(const PeriodQuery& q) {
  if (q.slot.count() <= 0) invalid("The report slot must be positive.");
  if (q.top_machines < 1 || q.top_machines > 1000 || q.top_categories < 1 || q.top_categories > 1000)
    invalid("The report limits must be between 1 and 1000.");
  Statement st;
  std::string sql = base_cte(st, q.filter, q.from);
  const std::string from = st.param(arg(q.from));
  const std::string to = st.param(arg(q.to));
  const std::string slot = st.param(arg(std::int64_t(q.slot.count())));
  const std::string now = st.param(arg(q.now));
  const auto slot_of = [&](std::string_view x, bool baseline) {
    const std::string s = "(" + std::string(x) + " - " + from + ") / " + slot;
    if (!baseline) return s;
    return "CASE WHEN " + std::string(x) + " < " + from + " THEN -1 ELSE " + s + " END";
  };
  const auto part = [&](Activity kind, std::string_view x, bool baseline, std::string_view source,
                        const std::string& where, std::string_view seconds = "0") {
    std::string s = "SELECT " + std::to_string(int(kind)) + " AS kind, type, " + slot_of(x, baseline) +
                    " AS slot, COUNT(*) AS n1, CAST(SUM(" + std::string(seconds) +
                    ") AS BIGINT) AS n2, 0 AS n3, 0 AS id, '' AS name, '' AS code, 0 AS machines FROM " +
                    std::string(source) + " WHERE " + std::string(x) + " < " + to;
    if (!baseline) s += " AND " + std::string(x) + " >= " + from;
    if (!where.empty()) s += " AND " + where;
    return s + " GROUP BY 2, 3";
  };
  // When each task became overdue (before now); it stops being overdue when
  // completed.
  sql += ", ov AS (SELECT type, completed_at, CASE WHEN due_at > reported_at THEN due_at ELSE reported_at END AS ov_at "
         "FROM base WHERE due_at IS NOT NULL)";
  const std::string ov_kept = "ov_at <= " + now + " AND (completed_at IS NULL OR completed_at > ov_at)";
  // Failures (corrective requests) and repairs per machine.
  const std::string repair = "started_at IS NOT NULL AND completed_at >= started_at AND completed_at >= " + from +
                             " AND completed_at < " + to;
  sql += ", rel AS MATERIALIZED (SELECT equipment_id, " + sum_if("reported_at >= " + from + " AND reported_at < " + to) +
         " AS failures, " + sum_if(repair) + " AS repairs, " + sum_if(repair, "completed_at - started_at") +
         " AS repair_seconds FROM base WHERE type = 'corrective' AND equipment_id IS NOT NULL GROUP BY equipment_id)";
  sql += " " + part(Activity::reported, "reported_at", true, "base", "");
  sql += " UNION ALL " + part(Activity::completed, "completed_at", true, "base", "");
  sql += " UNION ALL " + part(Activity::overdue_from, "ov_at", true, "ov", ov_kept);
  sql += " UNION ALL " + part(Activity::overdue_to, "completed_at", true, "ov", ov_kept);
  sql += " UNION ALL " + part(Activity::pm_due, "due_at", false, "base", "type = 'preventive' AND due_at < " + now);
  sql += " UNION ALL " + part(Activity::pm_on_time, "due_at", false, "base",
                              "type = 'preventive' AND due_at < " + now + " AND completed_at <= due_at");
  sql += " UNION ALL " + part(Activity::repaired, "completed_at", false, "base",
                              "type = 'corrective' AND started_at IS NOT NULL AND completed_at >= started_at",
                              "completed_at - started_at");
  sql += " UNION ALL SELECT * FROM (SELECT " + std::to_string(kMachineRow) +
         ", '', 0, r.failures, r.repairs, r.repair_seconds, e.id, e.name, e.code, 1 FROM rel r "
         "JOIN equipment e ON e.id = r.equipment_id WHERE r.failures + r.repairs > 0 "
         "ORDER BY r.failures DESC, r.repairs DESC, e.name, e.id LIMIT " +
         st.param(arg(q.top_machines)) + ") m";
  std::string machines = "(SELECT COUNT(*) FROM equipment e2 WHERE e2.active AND "
                         "(e2.category_id = c.id OR (c.id IS NULL AND e2.category_id IS NULL))";
  if (q.filter.team) machines += " AND e2.team_id = " + st.param(arg(*q.filter.team));
  if (q.filter.equipment) machines += " AND e2.id = " + st.param(arg(*q.filter.equipment));
  machines += ")";
  sql += " UNION ALL SELECT * FROM (SELECT " + std::to_string(kCategoryRow) +
         ", '', 0, CAST(SUM(r.failures) AS BIGINT), CAST(SUM(r.repairs) AS BIGINT), "
         "CAST(SUM(r.repair_seconds) AS BIGINT), COALESCE(c.id, 0), COALESCE(c.name, ''), '', " + machines +
         " FROM rel r JOIN equipment e ON e.id = r.equipment_id LEFT JOIN categories c ON c.id = e.category_id "
         "GROUP BY c.id, c.name HAVING SUM(r.failures) + SUM(r.repairs) > 0 ORDER BY 4 DESC, 8, 7 LIMIT " +
         st.param(arg(q.top_categories)) + ") c";
  std::string count = "SELECT COUNT(*) FROM equipment e3 WHERE e3.active";
  if (q.filter.team) count += " AND e3.team_id = " + st.param(arg(*q.filter.team));
  if (q.filter.equipment) count += " AND e3.id = " + st.param(arg(*q.filter.equipment));
  sql += " UNION ALL SELECT " + std::to_string(kMachineCountRow) + ", '', 0, (" + count + "), 0, 0, 0, '', '', 0";

  PeriodReport out;
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) {
    Fields f(rows);
    const std::int64_t kind = f.i64();
    const std::string type = f.str();
    const std::int64_t slot_no = f.i64();
    const std::int64_t n1 = f.i64(), n2 = f.i64(), n3 = f.i64();
    if (kind == kMachineRow || kind == kCategoryRow) {
      Reliability r;
      r.id = f.i64();
      r.name = f.str();
      r.code = f.str();
      r.machines = f.i64();
      r.failures = n1;
      r.repairs = n2;
      r.repair_seconds = n3;
      (kind == kMachineRow ? out.machines : out.categories).push_back(std::move(r));
    } else if (kind == kMachineCountRow) {
      out.machine_count = n1;
    } else if (kind >= 0 && kind <= int(Activity::repaired)) {
      out.activity.push_back(ActivityCount{Activity(kind), read_type(type), slot_no, n1, n2});
    } else {
      throw Error(ErrorCode::internal, "The report query returned an unknown row kind.");
    }
  }
  return out;
}

void SqlReportRepository::export_tasks(const ExportQuery& q, const std::function<void(const TaskExportRow&)>& sink) {
  Statement st;
  std::string inner = std::string("SELECT ").append(kTaskColumns);
  inner += ", s.name AS stage_name, s.done AS stage_done, e.code AS equipment_code, e.name AS equipment_name, "
           "tm.name AS team_name, u.login AS assignee_login, u.name AS assignee_name, ";
  inner.append(kReportedAt).append(" AS reported_at, ").append(kCompletedRaw).append(" AS completed_raw, ");
  inner +=
      "(SELECT count(*) FROM steps st WHERE st.task_id = t.id) AS steps_total, "
      "(SELECT count(*) FROM steps st WHERE st.task_id = t.id AND st.done) AS steps_done"
      " FROM tasks t JOIN stages s ON s.id = t.stage_id LEFT JOIN equipment e ON e.id = t.equipment_id"
      " LEFT JOIN teams tm ON tm.id = t.team_id LEFT JOIN users u ON u.id = t.assignee_id WHERE NOT t.archived";
  inner += st.task_filter(q.filter);
  const std::string lo = st.param(arg(q.from));
  const std::string hi = st.param(arg(q.to));
  const std::string completed = "(CASE WHEN x.completed_raw < x.reported_at THEN x.reported_at ELSE x.completed_raw END)";
  const auto in_period = [&](const std::string& v) { return "(" + v + " >= " + lo + " AND " + v + " < " + hi + ")"; };
  const std::string sql = "SELECT x.*, " + completed + " FROM (" + inner + ") x WHERE " + in_period("x.reported_at") +
                          " OR " + in_period("x.schedule_start") + " OR " + in_period(completed) + " ORDER BY x.id";
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) {
    Fields f(rows);
    TaskExportRow r;
    r.task = read_task(f);
    r.stage_name = f.str();
    r.stage_done = f.flag();
    r.equipment_code = f.str();
    r.equipment_name = f.str();
    r.team_name = f.str();
    r.assignee_login = f.str();
    r.assignee_name = f.str();
    r.reported_at = f.time();
    f.opt_time();  // completed_raw
    r.steps_total = f.i32();
    r.steps_done = f.i32();
    r.completed_at = f.opt_time();
    sink(r);
  }
}

namespace {

constexpr std::string_view kWorkLogRowColumns =
    "SELECT w.id, w.task_id, w.user_id, w.kind, w.at, w.step, w.text, w.value, w.media_id, w.client_action_id, "
    "t.title, e.code, u.login, u.name, st.text, st.unit FROM work_log w JOIN tasks t ON t.id = w.task_id "
    "LEFT JOIN equipment e ON e.id = t.equipment_id LEFT JOIN users u ON u.id = w.user_id "
    "LEFT JOIN steps st ON st.task_id = w.task_id AND st.number = w.step";

WorkLogExportRow read_work_log_row(Rows& rows) {
  Fields f(rows);
  WorkLogExportRow r;
  r.entry.id = f.i64();
  r.entry.task_id = f.id<TaskId>();
  r.entry.user_id = f.opt_id<UserId>();
  const std::string kind = f.str();
  r.entry.kind = stored_enum(parse_work_log_kind(kind), "work log kind", kind);
  r.entry.at = f.time();
  r.entry.step = f.opt_i32();
  r.entry.text = f.str();
  r.entry.value = f.str();
  r.entry.media = f.opt_id<MediaId>();
  r.entry.client_action_id = f.str();
  r.task_title = f.str();
  r.equipment_code = f.str();
  r.user_login = f.str();
  r.user_name = f.str();
  r.step_text = f.str();
  r.step_unit = f.str();
  return r;
}

}  // namespace

void SqlReportRepository::export_work_log(const ExportQuery& q,
                                          const std::function<void(const WorkLogExportRow&)>& sink) {
  Statement st;
  const std::string lo = st.param(arg(q.from));
  const std::string hi = st.param(arg(q.to));
  const std::string sql = std::string(kWorkLogRowColumns) + " WHERE w.at >= " + lo + " AND w.at < " + hi +
                          st.task_filter(q.filter) + " ORDER BY w.at, w.id";
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) sink(read_work_log_row(rows));
}

std::vector<WorkLogExportRow> SqlReportRepository::recent_work_log(int limit, std::int64_t before_id) {
  if (limit < 1 || limit > 200) invalid("limit must be between 1 and 200.");
  Statement st;
  std::string sql(kWorkLogRowColumns);
  if (before_id > 0) sql += " WHERE w.id < " + st.param(arg(before_id));
  sql += " ORDER BY w.id DESC LIMIT " + st.param(arg(limit));
  std::vector<WorkLogExportRow> out;
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) out.push_back(read_work_log_row(rows));
  return out;
}

}  // namespace visor::storage::sql
