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

// The per-task facts every period report reads: a materialised CTE `base`
// (id, type, equipment_id, reported_at, due_at, started_at, completed_at).
// started_at is only looked up for completed corrective work (repairs).
std::string base_cte(Statement& st, const ReportFilter& filter, std::string_view extra_where = "") {
  std::string sql = "WITH b0 AS MATERIALIZED (SELECT t.id, t.type, t.equipment_id, ";
  sql.append(kReportedAt).append(" AS reported_at, ").append(kDueAt).append(" AS due_at, ");
  sql.append(kCompletedRaw).append(" AS completed_raw, ");
  sql.append("CASE WHEN s.done AND t.type = 'corrective' THEN ").append(kStartedAt).append(" END AS started_at");
  sql.append(" FROM tasks t JOIN stages s ON s.id = t.stage_id WHERE NOT t.archived");
  sql.append(st.task_filter(filter)).append(extra_where).append("), ");
  sql.append(
      "base AS MATERIALIZED (SELECT id, type, equipment_id, reported_at, due_at, started_at, "
      "CASE WHEN completed_raw < reported_at THEN reported_at ELSE completed_raw END AS completed_at FROM b0)");
  return sql;
}

MaintenanceType read_type(const std::string& text) {
  return stored_enum(parse_maintenance_type(text), "maintenance type", text);
}

}  // namespace

Snapshot SqlReportRepository::snapshot(const ReportFilter& filter, TimePoint now, TimePoint day_start) {
  Snapshot out;
  {
    Statement st;
    const std::string n = st.param(arg(now));
    const std::string sql =
        "SELECT " + sum_if("NOT s.done") + ", " + sum_if(std::string(kOverdueNow) + n) + ", " +
        sum_if("NOT s.done AND t.execution = 'in_progress'") + ", " + sum_if("NOT s.done AND t.execution = 'paused'") +
        ", " + sum_if("NOT s.done AND t.assignee_id IS NULL") + ", " +
        sum_if("NOT s.done AND t.schedule_start IS NULL") +
        " FROM tasks t JOIN stages s ON s.id = t.stage_id WHERE NOT t.archived" + st.task_filter(filter);
    Rows rows = ctx_.db().query(sql, st.params());
    if (rows.next()) {
      Fields f(rows);
      out.open = f.i64();
      out.overdue = f.i64();
      out.in_progress = f.i64();
      out.paused = f.i64();
      out.unassigned = f.i64();
      out.unscheduled = f.i64();
    }
  }
  {
    // Only tasks closed since yesterday (UTC) can have completed today.
    Statement st;
    const std::string start = st.param(arg(day_start));
    const std::string since_day = st.param(arg(to_unix(day_start) / 86400 - 1));
    std::string sql = "SELECT COUNT(*) FROM (SELECT ";
    sql.append(kCompletedRaw).append(" AS c, ").append(kReportedAt).append(" AS r");
    sql.append(" FROM tasks t JOIN stages s ON s.id = t.stage_id WHERE s.done AND NOT t.archived");
    sql.append(" AND (t.close_date IS NULL OR t.close_date >= ").append(since_day).append(")");
    sql.append(st.task_filter(filter)).append(") x WHERE (CASE WHEN c < r THEN r ELSE c END) >= ").append(start);
    Rows rows = ctx_.db().query(sql, st.params());
    if (rows.next()) out.done_today = rows.i64(0);
  }
  return out;
}

std::vector<TeamBacklog> SqlReportRepository::backlog_by_team(const ReportFilter& filter, TimePoint now) {
  Statement st;
  const std::string n = st.param(arg(now));
  const std::string sql = "SELECT t.team_id, tm.name, COUNT(*), " + sum_if(std::string(kOverdueNow) + n) + ", " +
                          sum_if("t.assignee_id IS NULL") + ", " + sum_if("t.schedule_start IS NULL") +
                          ", CAST(SUM(" + std::string(kPlanned) +
                          ") AS BIGINT) FROM tasks t JOIN stages s ON s.id = t.stage_id"
                          " LEFT JOIN teams tm ON tm.id = t.team_id WHERE NOT t.archived AND NOT s.done" +
                          st.task_filter(filter) + " GROUP BY t.team_id, tm.name ORDER BY 7 DESC, 1";
  std::vector<TeamBacklog> out;
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) {
    Fields f(rows);
    TeamBacklog b;
    b.team = f.opt_id<TeamId>();
    b.name = f.str();
    b.open = f.i64();
    b.overdue = f.i64();
    b.unassigned = f.i64();
    b.unscheduled = f.i64();
    b.planned_seconds = f.i64();
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<TechnicianLoad> SqlReportRepository::workload(const ReportFilter& filter, TimePoint from, TimePoint to,
                                                          TimePoint now) {
  Statement st;
  const std::string lo = st.param(arg(from));
  const std::string hi = st.param(arg(to));
  const std::string n = st.param(arg(now));
  const std::string in_window = "t.schedule_start >= " + lo + " AND t.schedule_start < " + hi;
  std::string sql = "SELECT u.id, u.name, " + sum_if(in_window) + ", " + sum_if(in_window, kPlanned) + ", " +
                    sum_if("NOT s.done AND t.execution = 'in_progress'") + ", " +
                    sum_if("NOT s.done AND t.execution = 'paused'") + ", " + sum_if("NOT s.done") + ", " +
                    sum_if(std::string(kOverdueNow) + n) +
                    " FROM users u LEFT JOIN tasks t ON t.assignee_id = u.id AND NOT t.archived" +
                    st.task_filter(filter) +
                    " LEFT JOIN stages s ON s.id = t.stage_id WHERE u.role = 'technician' AND u.active";
  if (filter.team) sql += " AND u.team_id = " + st.param(arg(*filter.team));
  sql += " GROUP BY u.id, u.name ORDER BY u.name, u.id";
  std::vector<TechnicianLoad> out;
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
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<ActivityCount> SqlReportRepository::activity(const ActivityQuery& q) {
  if (q.slot.count() <= 0) invalid("The report slot must be positive.");
  Statement st;
  const std::string sql_base = base_cte(st, q.filter);
  const std::string from = st.param(arg(q.from));
  const std::string to = st.param(arg(q.to));
  const std::string slot = st.param(arg(std::int64_t(q.slot.count())));
  const std::string now = st.param(arg(q.now));
  const auto slot_of = [&](std::string_view x, bool baseline) {
    const std::string s = "(" + std::string(x) + " - " + from + ") / " + slot;
    if (!baseline) return s;
    return "CASE WHEN " + std::string(x) + " < " + from + " THEN -1 ELSE " + s + " END";
  };
  const auto part = [&](int kind, std::string_view x, bool baseline, std::string_view source,
                        const std::string& where, std::string_view seconds = "0") {
    std::string s = "SELECT " + std::to_string(kind) + " AS kind, type, " + slot_of(x, baseline) +
                    " AS slot, COUNT(*), CAST(SUM(" + std::string(seconds) + ") AS BIGINT) FROM " +
                    std::string(source) + " WHERE " + std::string(x) + " < " + to;
    if (!baseline) s += " AND " + std::string(x) + " >= " + from;
    if (!where.empty()) s += " AND " + where;
    return s + " GROUP BY 2, 3";
  };
  // Tasks that became overdue before now, and when; they stop being overdue
  // when completed.
  const std::string ov =
      ", ov AS (SELECT type, completed_at, CASE WHEN due_at > reported_at THEN due_at ELSE reported_at END AS ov_at "
      "FROM base WHERE due_at IS NOT NULL)";
  const std::string ov_kept = "ov_at < " + now + " AND (completed_at IS NULL OR completed_at > ov_at)";
  std::string sql = sql_base + ov + " ";
  sql += part(int(Activity::reported), "reported_at", true, "base", "");
  sql += " UNION ALL " + part(int(Activity::completed), "completed_at", true, "base", "");
  sql += " UNION ALL " + part(int(Activity::overdue_from), "ov_at", true, "ov", ov_kept);
  sql += " UNION ALL " + part(int(Activity::overdue_to), "completed_at", true, "ov", ov_kept);
  sql += " UNION ALL " + part(int(Activity::pm_due), "due_at", false, "base",
                              "type = 'preventive' AND due_at < " + now);
  sql += " UNION ALL " + part(int(Activity::pm_on_time), "due_at", false, "base",
                              "type = 'preventive' AND due_at < " + now + " AND completed_at <= due_at");
  sql += " UNION ALL " + part(int(Activity::repaired), "completed_at", false, "base",
                              "type = 'corrective' AND started_at IS NOT NULL AND completed_at >= started_at",
                              "completed_at - started_at");

  std::vector<ActivityCount> out;
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) {
    Fields f(rows);
    ActivityCount c;
    const std::int64_t kind = f.i64();
    if (kind < 0 || kind > int(Activity::repaired)) invalid("Unknown activity kind from the report query.");
    c.kind = Activity(kind);
    c.type = read_type(f.str());
    c.slot = f.i64();
    c.count = f.i64();
    c.seconds = f.i64();
    out.push_back(c);
  }
  return out;
}

std::vector<Reliability> SqlReportRepository::reliability(const ReportFilter& filter, TimePoint from, TimePoint to,
                                                          ReliabilityBy by, int limit) {
  if (limit < 1 || limit > 1000) invalid("limit must be between 1 and 1000.");
  Statement st;
  std::string sql = base_cte(st, filter, " AND t.type = 'corrective' AND t.equipment_id IS NOT NULL");
  const std::string lo = st.param(arg(from));
  const std::string hi = st.param(arg(to));
  const std::string failure = "b.reported_at >= " + lo + " AND b.reported_at < " + hi;
  const std::string repair =
      "b.started_at IS NOT NULL AND b.completed_at >= b.started_at AND b.completed_at >= " + lo +
      " AND b.completed_at < " + hi;
  const std::string aggregates =
      sum_if(failure) + ", " + sum_if(repair) + ", " + sum_if(repair, "b.completed_at - b.started_at");
  const std::string having =
      " HAVING SUM(CASE WHEN " + failure + " THEN 1 ELSE 0 END) + SUM(CASE WHEN " + repair + " THEN 1 ELSE 0 END) > 0";
  if (by == ReliabilityBy::equipment) {
    sql += " SELECT e.id, e.name, e.code, 1, " + aggregates +
           " FROM base b JOIN equipment e ON e.id = b.equipment_id GROUP BY e.id, e.name, e.code" + having;
  } else {
    std::string machines = "(SELECT COUNT(*) FROM equipment e2 WHERE e2.active AND "
                           "(e2.category_id = c.id OR (c.id IS NULL AND e2.category_id IS NULL))";
    if (filter.team) machines += " AND e2.team_id = " + st.param(arg(*filter.team));
    if (filter.equipment) machines += " AND e2.id = " + st.param(arg(*filter.equipment));
    machines += ")";
    sql += " SELECT COALESCE(c.id, 0), COALESCE(c.name, ''), '', " + machines + ", " + aggregates +
           " FROM base b JOIN equipment e ON e.id = b.equipment_id LEFT JOIN categories c ON c.id = e.category_id"
           " GROUP BY c.id, c.name" + having;
  }
  sql += " ORDER BY 5 DESC, 2, 1 LIMIT " + st.param(arg(limit));
  std::vector<Reliability> out;
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) {
    Fields f(rows);
    Reliability r;
    r.id = f.i64();
    r.name = f.str();
    r.code = f.str();
    r.machines = f.i64();
    r.failures = f.i64();
    r.repairs = f.i64();
    r.repair_seconds = f.i64();
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t SqlReportRepository::machines(const ReportFilter& filter) {
  Statement st;
  std::string sql = "SELECT COUNT(*) FROM equipment e WHERE e.active";
  if (filter.team) sql += " AND e.team_id = " + st.param(arg(*filter.team));
  if (filter.equipment) sql += " AND e.id = " + st.param(arg(*filter.equipment));
  Rows rows = ctx_.db().query(sql, st.params());
  return rows.next() ? rows.i64(0) : 0;
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

void SqlReportRepository::export_work_log(const ExportQuery& q,
                                          const std::function<void(const WorkLogExportRow&)>& sink) {
  Statement st;
  const std::string lo = st.param(arg(q.from));
  const std::string hi = st.param(arg(q.to));
  const std::string sql =
      "SELECT w.id, w.task_id, w.user_id, w.kind, w.at, w.step, w.text, w.value, w.media_id, w.client_action_id, "
      "t.title, e.code, u.login, u.name, st.text FROM work_log w JOIN tasks t ON t.id = w.task_id "
      "LEFT JOIN equipment e ON e.id = t.equipment_id LEFT JOIN users u ON u.id = w.user_id "
      "LEFT JOIN steps st ON st.task_id = w.task_id AND st.number = w.step WHERE w.at >= " +
      lo + " AND w.at < " + hi + st.task_filter(q.filter) + " ORDER BY w.at, w.id";
  Rows rows = ctx_.db().query(sql, st.params());
  while (rows.next()) {
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
    sink(r);
  }
}

}  // namespace visor::storage::sql
