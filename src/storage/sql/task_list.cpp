// TaskRepository: list, count and get_row — the hottest queries. The WHERE
// clause is assembled from the filters that are set, so each combination is
// one statement the backend can plan (and cache) well; every value is a
// parameter. Keyset pagination: the cursor carries the sort key and id of
// the last row, the next page starts strictly after it.
#include <string>
#include <vector>

#include "storage/sql/task_columns.hpp"
#include "storage/sql/task_cursor.hpp"
#include "storage/sql/text.hpp"

namespace visor::storage::sql {
namespace {

constexpr int kMaxLimit = 500;
// Sort key of TaskSort::schedule (unscheduled last); matches tasks_schedule_key_idx.
constexpr std::string_view kScheduleKey = "COALESCE(t.schedule_start, 9223372036854775807)";

class Builder {
 public:
  /// Adds a parameter; returns its placeholder.
  std::string param(Param p) {
    params_.push_back(std::move(p));
    return "$" + std::to_string(params_.size());
  }
  void where(std::string clause) { clauses_.push_back(std::move(clause)); }
  /// " WHERE …" of every clause, plus `extra` when given.
  std::string where_sql(std::string_view extra = {}) const {
    std::string out;
    if (!extra.empty()) out.append(" WHERE ").append(extra);
    for (const std::string& c : clauses_) out.append(out.empty() ? " WHERE " : " AND ").append(c);
    return out;
  }
  Params& params() { return params_; }

 private:
  std::vector<std::string> clauses_;
  Params params_;
};

/// The technician scope as alternatives (assignee, team). list() runs one
/// index-ordered query per alternative and merges them, which stays fast
/// when a team holds thousands of tasks; count() ORs them.
std::vector<std::string> scope_arms(Builder& b, const TaskQuery& q) {
  if (!q.scoped) return {};
  std::vector<std::string> arms;
  if (q.scope_user) arms.push_back("t.assignee_id = " + b.param(arg(*q.scope_user)));
  if (q.scope_team) arms.push_back("t.team_id = " + b.param(arg(*q.scope_team)));
  if (arms.empty()) arms.push_back("1 = 0");  // scoped to nobody: sees nothing
  return arms;
}

void add_filters(Builder& b, const TaskQuery& q, Backend backend) {
  if (q.assignee) b.where("t.assignee_id = " + b.param(arg(*q.assignee)));
  if (q.unassigned_only) b.where("t.assignee_id IS NULL");
  if (q.stage) b.where("t.stage_id = " + b.param(arg(*q.stage)));
  if (q.equipment) b.where("t.equipment_id = " + b.param(arg(*q.equipment)));
  if (q.team) b.where("t.team_id = " + b.param(arg(*q.team)));
  if (q.execution) b.where("t.execution = " + b.param(arg(to_string(*q.execution))));
  if (q.due_before) b.where("t.schedule_start < " + b.param(arg(*q.due_before)));
  if (q.scheduled_from) b.where("t.schedule_start >= " + b.param(arg(*q.scheduled_from)));
  if (q.scheduled_to) b.where("t.schedule_start < " + b.param(arg(*q.scheduled_to)));
  if (q.late_at)
    b.where("NOT s.done AND t.execution <> 'completed' AND COALESCE(t.schedule_end, t.schedule_start) < " +
            b.param(arg(*q.late_at)));
  if (!q.text.empty()) {
    const std::string p = b.param(arg(search_pattern(backend, q.text)));
    b.where("(" + contains_clause(backend, "t.title", p, q.text) + " OR " +
            contains_clause(backend, "t.description", p, q.text) + ")");
  }
  if (!q.include_done) b.where("NOT s.done");
  if (!q.include_archived) b.where("NOT t.archived");
}

/// How one sort orders rows: over `tasks t`, and (for the merged scope arms)
/// over the key columns the arms select.
struct SortSql {
  std::string_view order_by;  // over tasks t
  std::string_view keys;      // extra columns an arm selects, with aliases
  std::string_view merged_order_by;  // over the aliases
};

SortSql sort_sql(TaskSort sort) {
  switch (sort) {
    case TaskSort::newest: return {" ORDER BY t.id DESC", "", " ORDER BY id DESC"};
    case TaskSort::schedule:
      return {" ORDER BY COALESCE(t.schedule_start, 9223372036854775807), t.id",
              ", COALESCE(t.schedule_start, 9223372036854775807) AS sk", " ORDER BY sk, id"};
    case TaskSort::priority:
      return {" ORDER BY t.priority DESC, COALESCE(t.schedule_start, 9223372036854775807), t.id",
              ", t.priority AS pr, COALESCE(t.schedule_start, 9223372036854775807) AS sk",
              " ORDER BY pr DESC, sk, id"};
    case TaskSort::updated:
      return {" ORDER BY t.updated_at DESC, t.id DESC", ", t.updated_at AS ua", " ORDER BY ua DESC, id DESC"};
  }
  invalid("Unknown task sort.");
}

/// SQL selecting the ids of one page, in order.
std::string page_ids_sql(Builder& b, const std::vector<std::string>& arms, TaskSort sort, int limit) {
  const SortSql s = sort_sql(sort);
  const std::string n = b.param(arg(limit));
  constexpr std::string_view from = " FROM tasks t JOIN stages s ON s.id = t.stage_id";
  if (arms.size() < 2) {
    return std::string("SELECT t.id")
        .append(from)
        .append(b.where_sql(arms.empty() ? std::string_view() : std::string_view(arms[0])))
        .append(s.order_by)
        .append(" LIMIT ")
        .append(n);
  }
  std::string sql = "SELECT id FROM (";
  for (std::size_t i = 0; i < arms.size(); ++i) {
    if (i > 0) sql.append(" UNION ");
    sql.append("SELECT * FROM (SELECT t.id")
        .append(s.keys)
        .append(from)
        .append(b.where_sql(arms[i]))
        .append(s.order_by)
        .append(" LIMIT ")
        .append(n)
        .append(") arm")
        .append(std::to_string(i));
  }
  return sql.append(") merged").append(s.merged_order_by).append(" LIMIT ").append(n);
}

void add_after(Builder& b, const TaskCursor& c) {
  const std::string key = std::string(kScheduleKey);
  switch (c.sort) {
    case TaskSort::newest:
      b.where("t.id < " + b.param(arg(c.id)));
      return;
    case TaskSort::schedule:
      b.where("(" + key + ", t.id) > (" + b.param(arg(c.key1)) + ", " + b.param(arg(c.id)) + ")");
      return;
    case TaskSort::priority: {
      const std::string p = b.param(arg(c.key1));
      b.where("(t.priority < " + p + " OR (t.priority = " + p + " AND (" + key + ", t.id) > (" +
              b.param(arg(c.key2)) + ", " + b.param(arg(c.id)) + ")))");
      return;
    }
    case TaskSort::updated:
      b.where("(t.updated_at, t.id) < (" + b.param(arg(c.key1)) + ", " + b.param(arg(c.id)) + ")");
      return;
  }
}

TaskCursor cursor_after(const Task& t, TaskSort sort) {
  const std::int64_t schedule = t.schedule_start ? to_unix(*t.schedule_start) : kUnscheduled;
  switch (sort) {
    case TaskSort::newest: return {sort, 0, 0, t.id.value};
    case TaskSort::schedule: return {sort, schedule, 0, t.id.value};
    case TaskSort::priority: return {sort, t.priority, schedule, t.id.value};
    case TaskSort::updated: return {sort, to_unix(t.updated_at), 0, t.id.value};
  }
  return {sort, 0, 0, t.id.value};
}

/// kTaskColumns for list pages, derived once: the long texts (description,
/// instruction text and link), which no list shows, are read as empty
/// strings — they were most of the bytes a page decoded.
const std::string& task_list_columns() {
  static const std::string columns = [] {
    std::string c(kTaskColumns);
    for (const std::string_view long_text : {"t.description", "t.instructions_text", "t.instructions_url"})
      c.replace(c.find(long_text), long_text.size(), "''");
    return c;
  }();
  return columns;
}

}  // namespace

TaskRow read_task_row(const Rows& rows) {
  Fields f(rows);
  TaskRow row;
  row.task = read_task(f);
  row.equipment_name = f.str();
  row.equipment_location = f.str();
  row.equipment_code = f.str();
  row.assignee_name = f.str();
  row.stage_name = f.str();
  row.stage_done = f.flag();
  row.steps_total = f.i32();
  row.steps_done = f.i32();
  return row;
}

std::optional<TaskRow> SqlTaskRepository::get_row(TaskId id) {
  static const std::string sql = std::string("SELECT ")
                                     .append(kTaskColumns)
                                     .append(", ")
                                     .append(kTaskRowColumns)
                                     .append(kTaskRowFrom)
                                     .append(" WHERE t.id = $1");
  Rows rows = ctx_.db().query(sql, {arg(id)});
  if (!rows.next()) return std::nullopt;
  TaskRow row = read_task_row(rows);
  ctx_.remember(row.task);
  return row;
}

TaskPage SqlTaskRepository::list(const TaskQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) invalid("limit must be between 1 and 500.");
  Builder b;
  const std::vector<std::string> arms = scope_arms(b, query);
  add_filters(b, query, ctx_.backend());
  if (!query.cursor.empty()) add_after(b, decode_cursor(query.cursor, query.sort));
  // First the page's ids (a narrow sort over tasks and stages only), then the
  // joined names and step counts for those rows alone.
  std::string sql = std::string("SELECT ").append(task_list_columns()).append(", ").append(kTaskRowColumns);
  sql.append(" FROM (")
      .append(page_ids_sql(b, arms, query.sort, query.limit + 1))
      .append(") page JOIN tasks t ON t.id = page.id JOIN stages s ON s.id = t.stage_id")
      .append(" LEFT JOIN equipment e ON e.id = t.equipment_id LEFT JOIN users u ON u.id = t.assignee_id")
      .append(sort_sql(query.sort).order_by);

  TaskPage page;
  Rows rows = ctx_.db().query(sql, b.params());
  while (rows.next()) page.rows.push_back(read_task_row(rows));
  if (static_cast<int>(page.rows.size()) > query.limit) {
    page.rows.pop_back();
    page.next_cursor = encode_cursor(cursor_after(page.rows.back().task, query.sort));
  }
  return page;
}

std::int64_t SqlTaskRepository::count(const TaskQuery& query) {
  Builder b;
  const std::vector<std::string> arms = scope_arms(b, query);
  add_filters(b, query, ctx_.backend());
  std::string scope;
  for (const std::string& arm : arms) scope.append(scope.empty() ? "(" : " OR ").append(arm);
  if (!scope.empty()) scope.append(")");
  const std::string sql = "SELECT count(*) FROM tasks t JOIN stages s ON s.id = t.stage_id" + b.where_sql(scope);
  Rows rows = ctx_.db().query(sql, b.params());
  return rows.next() ? rows.i64(0) : 0;
}

}  // namespace visor::storage::sql
