// TaskRepository: single tasks, steps, work log and the revision counter.
// The list query lives in task_list.cpp.
#include <algorithm>
#include <charconv>
#include <iterator>
#include <string>

#include "storage/sql/decimal.hpp"
#include "storage/sql/task_columns.hpp"

namespace visor::storage::sql {
namespace {

const std::string kGetTask = std::string("SELECT ").append(kTaskColumns).append(" FROM tasks t WHERE t.id = $1");
const std::string kGetTaskByOdoo =
    std::string("SELECT ").append(kTaskColumns).append(" FROM tasks t WHERE t.odoo_id = $1");

// $1..$27 in the order of task_params().
constexpr std::string_view kInsertTask =
    "INSERT INTO tasks (odoo_id, title, description, equipment_id, assignee_id, team_id, stage_id, priority, "
    "type, request_date, schedule_start, schedule_end, close_date, instructions_kind, instructions_text, "
    "instructions_url, recurrence_enabled, recurrence_interval, recurrence_unit, recurrence_type, "
    "recurrence_until, archived, execution, reported_by, reporter_contact, created_at, updated_at, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
    "$22, $23, $24, $25, $26, $27, 1) RETURNING id";
constexpr std::string_view kUpdateTask =
    "UPDATE tasks SET odoo_id = $1, title = $2, description = $3, equipment_id = $4, assignee_id = $5, "
    "team_id = $6, stage_id = $7, priority = $8, type = $9, request_date = $10, schedule_start = $11, "
    "schedule_end = $12, close_date = $13, instructions_kind = $14, instructions_text = $15, "
    "instructions_url = $16, recurrence_enabled = $17, recurrence_interval = $18, recurrence_unit = $19, "
    "recurrence_type = $20, recurrence_until = $21, archived = $22, execution = $23, reported_by = $24, "
    "reporter_contact = $25, created_at = $26, updated_at = $27, version = version + 1 "
    "WHERE id = $28 AND version = $29";
constexpr std::string_view kTaskExists = "SELECT 1 FROM tasks WHERE id = $1";
constexpr std::string_view kDeleteTask = "DELETE FROM tasks WHERE id = $1 RETURNING assignee_id, team_id";

constexpr std::string_view kSteps =
    "SELECT number, text, wants_value, unit, done, note, value, done_at, done_by, kind, required, min_micro, "
    "max_micro, options, meter, origin FROM steps WHERE task_id = $1 ORDER BY number";
constexpr std::string_view kDeleteSteps = "DELETE FROM steps WHERE task_id = $1";
constexpr std::string_view kInsertStep =
    "INSERT INTO steps (task_id, number, text, wants_value, unit, done, note, value, done_at, done_by, kind, "
    "required, min_micro, max_micro, options, meter, origin) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
constexpr std::string_view kSaveStep =
    "UPDATE steps SET done = $3, note = $4, value = $5, done_at = $6, done_by = $7 "
    "WHERE task_id = $1 AND number = $2";

// A choice's answers, one per line (an answer never holds a line break).
std::string join_options(const std::vector<std::string>& options) {
  std::string out;
  for (const auto& o : options) out += (out.empty() ? "" : "\n") + o;
  return out;
}

std::vector<std::string> split_options(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (!text.empty() && i <= text.size()) {
    const std::size_t nl = std::min(text.find('\n', i), text.size());
    out.push_back(text.substr(i, nl - i));
    i = nl + 1;
  }
  return out;
}

std::string_view origin_text(StepOrigin o) { return o == StepOrigin::procedure ? "procedure" : "instructions"; }

// What a step asks for, read after its result columns.
void read_step_type(const Rows& rows, int col, Step& s) {
  const std::string kind = rows.str(col);
  s.kind = stored_enum(parse_step_kind(kind), "step kind", kind);
  s.wants_value = s.kind == StepKind::number;
  s.required = rows.flag(col + 1);
  s.min = opt_micro(rows, col + 2);
  s.max = opt_micro(rows, col + 3);
  s.options = split_options(rows.str(col + 4));
  s.meter = rows.str(col + 5);
  const std::string origin = rows.str(col + 6);
  if (origin != "instructions" && origin != "procedure") stored_enum<StepOrigin>(std::nullopt, "step origin", origin);
  s.origin = origin == "procedure" ? StepOrigin::procedure : StepOrigin::instructions;
}

#define VISOR_WORK_LOG_COLUMNS "id, task_id, user_id, kind, at, step, text, value, media_id, client_action_id"
constexpr std::string_view kWorkLog =
    "SELECT " VISOR_WORK_LOG_COLUMNS " FROM work_log WHERE task_id = $1 ORDER BY at, id";
// Newest first; $4 rows at most (the page plus one, to know if more exist).
constexpr std::string_view kWorkLogNewest =
    "SELECT " VISOR_WORK_LOG_COLUMNS " FROM work_log WHERE task_id = $1 "
    "ORDER BY at DESC, id DESC LIMIT $2";
constexpr std::string_view kWorkLogBefore =
    "SELECT " VISOR_WORK_LOG_COLUMNS " FROM work_log WHERE task_id = $1 AND (at < $2 OR (at = $2 AND id < $3)) "
    "ORDER BY at DESC, id DESC LIMIT $4";
// Sessions and photos in one pass over work_log_kind_idx. No ORDER BY: it
// would make SQLite walk all of the task's entries by time instead (sorted
// in C++).
constexpr std::string_view kSummary =
    "SELECT kind, at, id, step, user_id FROM work_log WHERE task_id = $1 "
    "AND kind IN ('started', 'paused', 'resumed', 'completed', 'photo')";
constexpr std::string_view kLogByAction =
    "SELECT " VISOR_WORK_LOG_COLUMNS " FROM work_log WHERE task_id = $1 AND client_action_id = $2";
#undef VISOR_WORK_LOG_COLUMNS

constexpr std::string_view kAppendLog =
    "INSERT INTO work_log (task_id, user_id, kind, at, step, text, value, media_id, client_action_id) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
    "ON CONFLICT (task_id, client_action_id) WHERE client_action_id <> '' DO NOTHING RETURNING id";

constexpr std::string_view kRevision = "SELECT value FROM revision WHERE id = 1";

Params task_params(const Task& t) {
  Params p;
  p.reserve(29);
  p.push_back(arg(t.odoo_id));
  p.push_back(arg(t.title));
  p.push_back(arg(t.description));
  p.push_back(arg(t.equipment_id));
  p.push_back(arg(t.assignee_id));
  p.push_back(arg(t.team_id));
  p.push_back(arg(t.stage_id));
  p.push_back(arg(t.priority));
  p.push_back(arg(to_string(t.type)));
  p.push_back(arg(t.request_date));
  p.push_back(arg(t.schedule_start));
  p.push_back(arg(t.schedule_end));
  p.push_back(arg(t.close_date));
  p.push_back(arg(to_string(t.instructions.kind)));
  p.push_back(arg(t.instructions.text));
  p.push_back(arg(t.instructions.url));
  p.push_back(arg(t.recurrence.enabled));
  p.push_back(arg(t.recurrence.interval));
  p.push_back(arg(to_string(t.recurrence.unit)));
  p.push_back(arg(to_string(t.recurrence.type)));
  p.push_back(arg(t.recurrence.until));
  p.push_back(arg(t.archived));
  p.push_back(arg(to_string(t.execution)));
  p.push_back(arg(t.reported_by));
  p.push_back(arg(t.reporter_contact));
  p.push_back(arg(t.created_at));
  p.push_back(arg(t.updated_at));
  return p;
}

std::string task_label(TaskId id) { return "Task " + std::to_string(id.value) + " does not exist."; }

}  // namespace

Task read_task(Fields& f) {
  Task t;
  t.id = f.id<TaskId>();
  t.odoo_id = f.opt_id<OdooId>();
  t.title = f.str();
  t.description = f.str();
  t.equipment_id = f.opt_id<EquipmentId>();
  t.assignee_id = f.opt_id<UserId>();
  t.team_id = f.opt_id<TeamId>();
  t.stage_id = f.id<StageId>();
  t.priority = f.i32();
  std::string text = f.str();
  t.type = stored_enum(parse_maintenance_type(text), "maintenance type", text);
  t.request_date = f.opt_date();
  t.schedule_start = f.opt_time();
  t.schedule_end = f.opt_time();
  t.close_date = f.opt_date();
  text = f.str();
  t.instructions.kind = stored_enum(parse_instruction_kind(text), "instruction kind", text);
  t.instructions.text = f.str();
  t.instructions.url = f.str();
  t.recurrence.enabled = f.flag();
  t.recurrence.interval = f.i32();
  text = f.str();
  t.recurrence.unit = stored_enum(parse_repeat_unit(text), "repeat unit", text);
  text = f.str();
  t.recurrence.type = stored_enum(parse_repeat_type(text), "repeat type", text);
  t.recurrence.until = f.opt_date();
  t.archived = f.flag();
  text = f.str();
  t.execution = stored_enum(parse_execution(text), "execution state", text);
  t.reported_by = f.opt_id<UserId>();
  t.reporter_contact = f.str();
  t.version = f.i64();
  t.created_at = f.time();
  t.updated_at = f.time();
  return t;
}

std::optional<Task> SqlTaskRepository::get(TaskId id) {
  Rows rows = ctx_.db().query(kGetTask, {arg(id)});
  if (!rows.next()) return std::nullopt;
  Fields f(rows);
  Task t = read_task(f);
  ctx_.remember(t);
  return t;
}

std::optional<Task> SqlTaskRepository::get_by_odoo(OdooId id) {
  Rows rows = ctx_.db().query(kGetTaskByOdoo, {arg(id)});
  if (!rows.next()) return std::nullopt;
  Fields f(rows);
  Task t = read_task(f);
  ctx_.remember(t);
  return t;
}

TaskId SqlTaskRepository::insert(Task& task) {
  ctx_.require_writable();
  task.id = TaskId(returned_id(ctx_.db().query(kInsertTask, task_params(task))));
  task.version = 1;
  ctx_.task_row_changed(task.id, task.assignee_id, task.team_id);
  ctx_.remember(task);
  return task.id;
}

void SqlTaskRepository::update(Task& task, std::int64_t expected_version) {
  ctx_.require_writable();
  // The lists the task leaves must change as well as those it joins.
  const auto [assignee, team] = ctx_.placement(task.id);
  Params p = task_params(task);
  p.push_back(arg(task.id));
  p.push_back(arg(expected_version));
  if (ctx_.db().execute(kUpdateTask, p) == 0) {
    require_task(task.id);
    fail(ErrorCode::precondition_failed, "Task " + std::to_string(task.id.value) +
                                             " was changed by someone else (version " +
                                             std::to_string(expected_version) + " is stale).");
  }
  task.version = expected_version + 1;
  ctx_.task_row_changed(task.id, assignee, team);
  ctx_.task_row_changed(task.id, task.assignee_id, task.team_id);
  ctx_.remember(task);
}

void SqlTaskRepository::remove(TaskId id) {
  ctx_.require_writable();
  Rows rows = ctx_.db().query(kDeleteTask, {arg(id)});
  if (!rows.next()) not_found(task_label(id));
  ctx_.task_row_changed(id, rows.opt_id<UserId>(0), rows.opt_id<TeamId>(1));
  ctx_.forget(id);
}

void SqlTaskRepository::require_task(TaskId id) {
  if (!ctx_.db().scalar(kTaskExists, {arg(id)})) not_found(task_label(id));
}

std::vector<Step> SqlTaskRepository::steps(TaskId id) {
  std::vector<Step> out;
  Rows rows = ctx_.db().query(kSteps, {arg(id)});
  while (rows.next()) {
    Fields f(rows);
    Step s;
    s.number = f.i32();
    s.text = f.str();
    s.wants_value = f.flag();
    s.unit = f.str();
    s.done = f.flag();
    s.note = f.str();
    s.value = f.str();
    s.done_at = f.opt_time();
    s.done_by = f.opt_id<UserId>();
    read_step_type(rows, f.column(), s);
    out.push_back(std::move(s));
  }
  return out;
}

void SqlTaskRepository::replace_steps(TaskId id, const std::vector<Step>& steps) {
  ctx_.require_writable();
  require_task(id);
  ctx_.db().execute(kDeleteSteps, {arg(id)});
  for (const Step& s : steps) {
    // A step that wants a value and has no type is a number step (callers
    // that predate typed steps set only wants_value).
    const StepKind kind = s.wants_value && s.kind == StepKind::instruction ? StepKind::number : s.kind;
    ctx_.db().execute(kInsertStep, {arg(id), arg(s.number), arg(s.text), arg(kind == StepKind::number), arg(s.unit),
                                    arg(s.done), arg(s.note), arg(s.value), arg(s.done_at), arg(s.done_by),
                                    arg(to_string(kind)), arg(s.required), arg_micro(s.min), arg_micro(s.max),
                                    arg(join_options(s.options)), arg(s.meter), arg(origin_text(s.origin))});
  }
  ctx_.task_shown_changed(id);  // rows show step counts
}

void SqlTaskRepository::save_step(TaskId id, const Step& step) {
  ctx_.require_writable();
  const std::int64_t changed = ctx_.db().execute(
      kSaveStep, {arg(id), arg(step.number), arg(step.done), arg(step.note), arg(step.value), arg(step.done_at),
                  arg(step.done_by)});
  if (changed == 0)
    not_found("Step " + std::to_string(step.number) + " of task " + std::to_string(id.value) + " does not exist.");
  ctx_.task_shown_changed(id);  // rows show step counts
}

namespace {

WorkLogEntry read_entry(Rows& rows) {
  Fields f(rows);
  WorkLogEntry e;
  e.id = f.i64();
  e.task_id = f.id<TaskId>();
  e.user_id = f.opt_id<UserId>();
  const std::string kind = f.str();
  e.kind = stored_enum(parse_work_log_kind(kind), "work log kind", kind);
  e.at = f.time();
  e.step = f.opt_i32();
  e.text = f.str();
  e.value = f.str();
  e.media = f.opt_id<MediaId>();
  e.client_action_id = f.str();
  return e;
}

std::vector<WorkLogEntry> read_entries(Rows rows) {
  std::vector<WorkLogEntry> out;
  while (rows.next()) out.push_back(read_entry(rows));
  return out;
}

// "<at>.<id>" of the oldest entry on a page: where the next page starts.
std::string log_cursor(const WorkLogEntry& e) {
  return std::to_string(to_unix(e.at)) + "." + std::to_string(e.id);
}

std::pair<std::int64_t, std::int64_t> parse_log_cursor(std::string_view text) {
  const auto dot = text.find('.');
  std::int64_t at = 0, id = 0;
  const auto number = [](std::string_view part, std::int64_t& out) {
    const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return !part.empty() && ec == std::errc{} && p == part.data() + part.size() && out >= 0;
  };
  if (dot == std::string_view::npos || !number(text.substr(0, dot), at) || !number(text.substr(dot + 1), id))
    invalid("before is not a work-log cursor; use the one a card or a previous page gave.");
  return {at, id};
}

}  // namespace

std::vector<WorkLogEntry> SqlTaskRepository::work_log(TaskId id) {
  return read_entries(ctx_.db().query(kWorkLog, {arg(id)}));
}

WorkLogPage SqlTaskRepository::work_log_page(TaskId id, const WorkLogQuery& q) {
  const int limit = std::clamp(q.limit, 1, 500);
  std::vector<WorkLogEntry> newest;
  if (q.before.empty()) {
    newest = read_entries(ctx_.db().query(kWorkLogNewest, {arg(id), arg(limit + 1)}));
  } else {
    const auto [at, entry] = parse_log_cursor(q.before);
    newest = read_entries(ctx_.db().query(kWorkLogBefore, {arg(id), arg(at), arg(entry), arg(limit + 1)}));
  }
  WorkLogPage page;
  std::size_t text = 0;
  std::size_t kept = 0;
  for (; kept < newest.size() && kept < std::size_t(limit); ++kept) {
    text += newest[kept].text.size() + newest[kept].value.size();
    if (q.text_budget > 0 && kept > 0 && text > q.text_budget) break;
  }
  if (kept < newest.size()) page.before = log_cursor(newest[kept - 1]);
  newest.resize(kept);
  page.entries.assign(std::make_move_iterator(newest.rbegin()), std::make_move_iterator(newest.rend()));
  return page;
}

WorkLogSummary SqlTaskRepository::summary(TaskId id) {
  WorkLogSummary out;
  Rows rows = ctx_.db().query(kSummary, {arg(id)});
  while (rows.next()) {
    const std::string kind_text = rows.str(0);
    const WorkLogKind kind = stored_enum(parse_work_log_kind(kind_text), "work log kind", kind_text);
    if (kind == WorkLogKind::photo) {
      if (rows.is_null(3)) continue;
      const int step = rows.i32(3);
      auto it = std::find_if(out.photos.begin(), out.photos.end(), [&](const auto& p) { return p.first == step; });
      if (it == out.photos.end()) out.photos.emplace_back(step, 1);
      else ++it->second;
      continue;
    }
    WorkLogEntry e;
    e.task_id = id;
    e.kind = kind;
    e.at = rows.time(1);
    e.id = rows.i64(2);
    e.user_id = rows.opt_id<UserId>(4);
    out.sessions.push_back(std::move(e));
  }
  std::sort(out.sessions.begin(), out.sessions.end(),
            [](const WorkLogEntry& a, const WorkLogEntry& b) { return a.at != b.at ? a.at < b.at : a.id < b.id; });
  std::sort(out.photos.begin(), out.photos.end());
  return out;
}

std::optional<WorkLogEntry> SqlTaskRepository::log_entry_by_action(TaskId id, const std::string& client_action_id) {
  if (client_action_id.empty()) return std::nullopt;
  Rows rows = ctx_.db().query(kLogByAction, {arg(id), arg(client_action_id)});
  if (!rows.next()) return std::nullopt;
  return read_entry(rows);
}

bool SqlTaskRepository::append_log(WorkLogEntry& e) {
  ctx_.require_writable();
  require_task(e.task_id);
  Rows rows = ctx_.db().query(kAppendLog, {arg(e.task_id), arg(e.user_id), arg(to_string(e.kind)), arg(e.at),
                                           arg(e.step), arg(e.text), arg(e.value), arg(e.media),
                                           arg(e.client_action_id)});
  if (!rows.next()) return false;  // a replay of an action already recorded
  e.id = rows.i64(0);
  // The log shows only on the task's card; the reports read starts and completions.
  ctx_.touch(ChangeScope::of(e.task_id));
  if (e.kind == WorkLogKind::started || e.kind == WorkLogKind::completed) ctx_.touch(ChangeScope::reports());
  return true;
}

std::int64_t SqlTaskRepository::revision() {
  if (ctx_.writable()) ctx_.flush_changes();
  return ctx_.db().scalar(kRevision).value_or(0);
}

Stamps SqlTaskRepository::stamps(std::vector<ChangeScope> scopes) {
  Stamps out;
  out.values = ctx_.stamps(scopes);
  out.scopes = std::move(scopes);
  return out;
}

}  // namespace visor::storage::sql
