#pragma once
// Reporting: the aggregates behind the console's dashboard, the machine pages
// and the CSV exports. The database computes them (GROUP BY, one pass per
// question), so a plant with 100,000 tasks answers in milliseconds and the
// browser only draws.
//
// Definitions, identical on both backends:
//  - open: not archived, in a stage that is not done.
//  - overdue (now): open, not completed, and due (schedule_end, else
//    schedule_start) before now — the rule of domain::is_overdue.
//  - reported_at: created_at; or the request date when the task reached
//    Visor a day or more after it was requested (history imported from the
//    CMMS).
//  - completed_at (tasks in a done stage only): the last `completed` entry of
//    the work log; else, for tasks closed in the CMMS or moved to a done stage
//    by a planner, updated_at when it falls on the close date, otherwise noon
//    UTC of the close date. Never before reported_at.
//  - planned duration: schedule_end − schedule_start, else one hour (Odoo's
//    default duration).
//  - failure: a corrective task reported on a machine. repair: a corrective
//    task with a `started` entry that was completed; its repair time runs
//    from the first start to completion (pauses included).
//  - PM due: a preventive task whose due time lies in the period and has
//    passed; on time when completed_at <= due.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.hpp"

namespace visor::storage {

/// Narrows every report to one team and/or one machine.
struct ReportFilter {
  std::optional<TeamId> team;
  std::optional<EquipmentId> equipment;
};

/// Counts of work as it stands now.
struct Snapshot {
  std::int64_t open = 0;
  std::int64_t overdue = 0;
  std::int64_t in_progress = 0;
  std::int64_t paused = 0;
  std::int64_t unassigned = 0;
  std::int64_t unscheduled = 0;
  std::int64_t done_today = 0;  // completed_at >= day_start
};

/// Open work of one team (team unset: tasks of no team).
struct TeamBacklog {
  std::optional<TeamId> team;
  std::string name;
  std::int64_t open = 0;
  std::int64_t overdue = 0;
  std::int64_t in_progress = 0;
  std::int64_t paused = 0;
  std::int64_t unassigned = 0;
  std::int64_t unscheduled = 0;
  std::int64_t planned_seconds = 0;  // sum of planned durations
};

/// One active technician's load: tasks scheduled to start in the window
/// (any stage), and what they hold right now.
struct TechnicianLoad {
  UserId user;
  std::string name;
  std::int64_t scheduled = 0;        // tasks starting in the window
  std::int64_t planned_seconds = 0;  // their planned durations
  std::int64_t in_progress = 0;      // open tasks in progress now
  std::int64_t paused = 0;
  std::int64_t open = 0;     // open tasks assigned
  std::int64_t overdue = 0;  // of which overdue
};

struct NowQuery {
  ReportFilter filter;
  TimePoint now{};
  TimePoint day_start{};  // start of the plant's today ("done today")
  TimePoint week_from{};  // the workload window
  TimePoint week_to{};
};

/// Work as it stands: totals, per team (largest planned backlog first) and
/// per active technician (of the filter's team, if set), by name.
struct NowReport {
  Snapshot totals;
  std::vector<TeamBacklog> teams;
  std::vector<TechnicianLoad> technicians;
};

/// What happened, counted per time slot (see PeriodQuery).
enum class Activity {
  reported,      // x = reported_at
  completed,     // x = completed_at
  overdue_from,  // x = when a task became overdue (due, not before reported)
  overdue_to,    // x = completed_at of a task that had become overdue
  pm_due,        // x = due of a preventive task (due < now)
  pm_on_time,    // same, completed by its due time
  repaired,      // x = completed_at of a repair; seconds = repair time
};

struct ActivityCount {
  Activity kind = Activity::reported;
  MaintenanceType type = MaintenanceType::corrective;
  /// (x − from) / slot; −1 for everything before `from` (the baseline the
  /// running totals start from). Only reported/completed/overdue_* have −1.
  std::int64_t slot = 0;
  std::int64_t count = 0;
  std::int64_t seconds = 0;  // repaired only: summed repair time
};

/// Failures and repairs of one machine or one category in a period.
struct Reliability {
  std::int64_t id = 0;  // EquipmentId or CategoryId value (0: no category)
  std::string name;
  std::string code;           // machines only
  std::int64_t machines = 0;  // active machines it covers (1 for a machine)
  std::int64_t failures = 0;
  std::int64_t repairs = 0;
  std::int64_t repair_seconds = 0;
};

struct PeriodQuery {
  ReportFilter filter;
  TimePoint from{};
  TimePoint to{};  // exclusive
  TimePoint now{};
  std::chrono::seconds slot{3600};  // > 0
  int top_machines = 20;            // 1..1000
  int top_categories = 50;          // 1..1000
};

/// A period's activity per slot (zero counts left out), and its failures
/// and repairs per machine and per category (only those with at least one,
/// most failures first).
struct PeriodReport {
  std::vector<ActivityCount> activity;
  std::vector<Reliability> machines;
  std::vector<Reliability> categories;
  std::int64_t machine_count = 0;  // active machines covered: the MTBF denominator
};

/// Tasks and work-log entries of a period, for CSV exports.
struct ExportQuery {
  ReportFilter filter;
  TimePoint from{};
  TimePoint to{};
};

struct TaskExportRow {
  Task task;
  std::string stage_name;
  bool stage_done = false;
  std::string equipment_code;
  std::string equipment_name;
  std::string team_name;
  std::string assignee_login;
  std::string assignee_name;
  TimePoint reported_at{};
  std::optional<TimePoint> completed_at;
  int steps_total = 0;
  int steps_done = 0;
};

struct WorkLogExportRow {
  WorkLogEntry entry;
  std::string task_title;
  std::string equipment_code;
  std::string user_login;
  std::string user_name;
  std::string step_text;
  std::string step_unit;  // the unit the step asks its value in ("mm"), if any
};

class ReportRepository {
 public:
  virtual ~ReportRepository() = default;

  /// Three statements: totals and teams in one pass, done today, workload.
  virtual NowReport now(const NowQuery& query) = 0;
  /// One statement: the per-task facts are computed once for all parts.
  virtual PeriodReport period(const PeriodQuery& query) = 0;

  /// Non-archived tasks reported, scheduled to start or completed in
  /// [from, to), by id; `sink` sees each row as it is read.
  virtual void export_tasks(const ExportQuery& query, const std::function<void(const TaskExportRow&)>& sink) = 0;
  /// Work-log entries of [from, to), by time.
  virtual void export_work_log(const ExportQuery& query,
                               const std::function<void(const WorkLogExportRow&)>& sink) = 0;
  /// The latest work-log entries of every task, newest first (by id: the
  /// order they arrived in), before the entry `before_id` when it is > 0.
  /// `limit` 1..200.
  virtual std::vector<WorkLogExportRow> recent_work_log(int limit, std::int64_t before_id) = 0;
};

}  // namespace visor::storage
