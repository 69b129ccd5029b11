// TaskRepository: list, count and get_row — the hottest queries. The WHERE
// clause is assembled from the filters that are set, so each combination is
// one statement the backend can plan (and cache) well; every value is a
// parameter. Keyset pagination: the cursor carries the sort key and id of
// the last row, the next page starts strictly after it.
#include <string>

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
  void where(std::string clause) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += clause;
  }
  const std::string& where_sql() const { return where_; }
  Params& params() { return params_; }

 private:
  std::string where_;
  Params params_;
};

void add_filters(Builder& b, const TaskQuery& q, Backend backend) {
  if (q.scoped) {
    if (q.scope_user && q.scope_team)
      b.where("(t.assignee_id = " + b.param(arg(*q.scope_user)) + " OR t.team_id = " + b.param(arg(*q.scope_team)) +
              ")");
    else if (q.scope_user)
      b.where("t.assignee_id = " + b.param(arg(*q.scope_user)));
    else if (q.scope_team)
      b.where("t.team_id = " + b.param(arg(*q.scope_team)));
    else
      b.where("1 = 0");  // scoped to nobody: sees nothing
  }
  if (q.assignee) b.where("t.assignee_id = " + b.param(arg(*q.assignee)));
  if (q.unassigned_only) b.where("t.assignee_id IS NULL");
  if (q.stage) b.where("t.stage_id = " + b.param(arg(*q.stage)));
  if (q.equipment) b.where("t.equipment_id = " + b.param(arg(*q.equipment)));
  if (q.team) b.where("t.team_id = " + b.param(arg(*q.team)));
  if (q.execution) b.where("t.execution = " + b.param(arg(to_string(*q.execution))));
  if (q.due_before) b.where("t.schedule_start < " + b.param(arg(*q.due_before)));
  if (q.scheduled_from) b.where("t.schedule_start >= " + b.param(arg(*q.scheduled_from)));
  if (q.scheduled_to) b.where("t.schedule_start < " + b.param(arg(*q.scheduled_to)));
  if (!q.text.empty()) {
    const std::string p = b.param(arg(search_pattern(backend, q.text)));
    b.where("(" + contains_clause(backend, "t.title", p) + " OR " + contains_clause(backend, "t.description", p) + ")");
  }
  if (!q.include_done) b.where("NOT s.done");
  if (!q.include_archived) b.where("NOT t.archived");
}

std::string_view order_by(TaskSort sort) {
  switch (sort) {
    case TaskSort::newest: return " ORDER BY t.id DESC";
    case TaskSort::schedule: return " ORDER BY COALESCE(t.schedule_start, 9223372036854775807), t.id";
    case TaskSort::priority:
      return " ORDER BY t.priority DESC, COALESCE(t.schedule_start, 9223372036854775807), t.id";
    case TaskSort::updated: return " ORDER BY t.updated_at DESC, t.id DESC";
  }
  invalid("Unknown task sort.");
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
  return read_task_row(rows);
}

TaskPage SqlTaskRepository::list(const TaskQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) invalid("limit must be between 1 and 500.");
  Builder b;
  add_filters(b, query, ctx_.backend());
  if (!query.cursor.empty()) add_after(b, decode_cursor(query.cursor, query.sort));
  std::string sql = std::string("SELECT ").append(kTaskColumns).append(", ").append(kTaskRowColumns);
  sql.append(kTaskRowFrom).append(b.where_sql()).append(order_by(query.sort));
  sql.append(" LIMIT ").append(b.param(arg(query.limit + 1)));

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
  add_filters(b, query, ctx_.backend());
  const std::string sql = "SELECT count(*) FROM tasks t JOIN stages s ON s.id = t.stage_id" + b.where_sql();
  Rows rows = ctx_.db().query(sql, b.params());
  return rows.next() ? rows.i64(0) : 0;
}

}  // namespace visor::storage::sql
