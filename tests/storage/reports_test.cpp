// ReportRepository: the dashboard's aggregates and the CSV exports, on a
// small plant whose every figure is worked out by hand below (each backend
// must give exactly these numbers).
#include <algorithm>

#include "fixture.hpp"
#include "storage/reports.hpp"

namespace visor::storage::test {
namespace {

using namespace std::chrono;

// Midnight UTC of a day, so that close dates line up with the times.
const TimePoint D0 = from_unix(20718LL * 86400);
TimePoint day(int d, int h = 0, int m = 0) { return D0 + days(d) + hours(h) + minutes(m); }
Date date_of(int d) { return floor<days>(day(d)); }

class Reports : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    open_ = add_stage("New", false, 1);
    doing_ = add_stage("Doing", false, 2);
    done_ = add_stage("Done", true, 3);
    team_a_ = add_team("Team A");
    team_b_ = add_team("Team B");
    tech1_ = add_user("tech1", team_a_.id);
    tech2_ = add_user("tech2", team_b_.id);
    store().write([&](Tx& tx) {
      User m;
      m.login = "boss";
      m.name = "Boss";
      m.role = Role::manager;
      m.created_at = at();
      tx.users().insert(m, "hash");
      Category c;
      c.name = "Pumps";
      tx.catalog().save_category(c);
      category_ = c.id;
    });
    e1_ = machine("E1", category_, team_a_.id);
    e2_ = machine("E2", category_, team_a_.id);
    e3_ = machine("E3", std::nullopt, std::nullopt);

    // T1 corrective, open, overdue since day 9 10:00.
    t1_ = task("T1", MaintenanceType::corrective, open_.id, e1_.id, team_a_.id, tech1_.id, day(6), day(9, 8), day(9, 10));
    // T2 preventive, open, unassigned and unscheduled.
    t2_ = task("T2", MaintenanceType::preventive, open_.id, e2_.id, team_a_.id, std::nullopt, day(7, 1), std::nullopt, std::nullopt);
    // T3 corrective, in progress since 09:05 today, due 11:00: overdue now.
    t3_ = task("T3", MaintenanceType::corrective, doing_.id, e1_.id, team_b_.id, tech2_.id, day(8), day(10, 9), day(10, 11),
               Execution::in_progress);
    log(t3_, WorkLogKind::started, day(10, 9, 5), tech2_.id);
    // T4 corrective repair done today: started 08:00, completed 09:30.
    t4_ = task("T4", MaintenanceType::corrective, done_.id, e1_.id, team_a_.id, tech1_.id, day(10, 7), day(10, 8), day(10, 9, 30),
               Execution::completed, date_of(10), day(10, 9, 30));
    store().write([&](Tx& tx) {
      Step s1;
      s1.number = 1;
      s1.text = "Measure the pressure (bar)";
      s1.kind = StepKind::number;
      s1.wants_value = true;
      s1.unit = "bar";
      s1.done = true;
      s1.value = "3.2";
      s1.done_at = day(10, 8, 30);
      s1.done_by = tech1_.id;
      Step s2;
      s2.number = 2;
      s2.text = "Close the valve";
      tx.tasks().replace_steps(t4_, {s1, s2});
    });
    log(t4_, WorkLogKind::started, day(10, 8), tech1_.id);
    log(t4_, WorkLogKind::step_done, day(10, 8, 30), tech1_.id, 1, "3.2");
    log(t4_, WorkLogKind::completed, day(10, 9, 30), tech1_.id);
    // T5 preventive closed in the CMMS yesterday (no work log), on time.
    t5_ = task("T5", MaintenanceType::preventive, done_.id, e2_.id, std::nullopt, tech1_.id, day(9, 10), day(9, 14), day(9, 16),
               Execution::completed, date_of(9), day(9, 15));
    // T6 preventive, open, due day 8 11:00: late, and a missed PM.
    t6_ = task("T6", MaintenanceType::preventive, open_.id, e3_.id, team_a_.id, std::nullopt, day(5), day(8, 10), day(8, 11));
    // T7 archived: counted nowhere.
    Task t7 = new_task(open_.id, "T7");
    t7.type = MaintenanceType::corrective;
    t7.equipment_id = e1_.id;
    t7.archived = true;
    t7.created_at = t7.updated_at = day(9);
    t7.schedule_start = day(9, 8);
    add_task(t7);
    // T8 corrective, paused, due tomorrow.
    t8_ = task("T8", MaintenanceType::corrective, doing_.id, e1_.id, team_b_.id, tech2_.id, day(10, 1), day(11, 8), day(11, 9),
               Execution::paused);
    // T9 corrective moved to done later than its close date: completed at noon of day 8.
    t9_ = task("T9", MaintenanceType::corrective, done_.id, std::nullopt, std::nullopt, std::nullopt, day(7, 12), std::nullopt,
               std::nullopt, Execution::completed, date_of(8), day(10, 10));
  }

  Equipment machine(const std::string& code, std::optional<CategoryId> category, std::optional<TeamId> team) {
    Equipment e;
    e.code = code;
    e.name = "Machine " + code;
    e.category_id = category;
    e.team_id = team;
    e.updated_at = at();
    store().write([&](Tx& tx) { tx.equipment().insert(e); });
    return e;
  }

  TaskId task(const std::string& title, MaintenanceType type, StageId stage, std::optional<EquipmentId> eq,
              std::optional<TeamId> team, std::optional<UserId> assignee, TimePoint created,
              std::optional<TimePoint> start, std::optional<TimePoint> end, Execution execution = Execution::not_started,
              std::optional<Date> close = std::nullopt, std::optional<TimePoint> updated = std::nullopt) {
    Task t = new_task(stage, title);
    t.type = type;
    t.equipment_id = eq;
    t.team_id = team;
    t.assignee_id = assignee;
    t.created_at = created;
    t.updated_at = updated.value_or(created);
    t.schedule_start = start;
    t.schedule_end = end;
    t.execution = execution;
    t.close_date = close;
    return add_task(t).id;
  }

  void log(TaskId id, WorkLogKind kind, TimePoint when, UserId user, std::optional<int> step = std::nullopt,
           std::string value = {}) {
    store().write([&](Tx& tx) {
      WorkLogEntry e;
      e.task_id = id;
      e.kind = kind;
      e.at = when;
      e.user_id = user;
      e.step = step;
      e.value = std::move(value);
      tx.tasks().append_log(e);
    });
  }

  NowReport now(ReportFilter filter = {}) {
    return store().read_value([&](Tx& tx) { return tx.reports().now({filter, day(10, 12), day(10), day(7), day(14)}); });
  }

  PeriodReport period(ReportFilter filter = {}, int top = 20) {
    return store().read_value(
        [&](Tx& tx) { return tx.reports().period({filter, day(7), day(11), day(10, 12), seconds(86400), top, 50}); });
  }

  static std::int64_t count(const PeriodReport& p, Activity kind, std::int64_t slot, MaintenanceType type) {
    std::int64_t n = 0;
    for (const auto& c : p.activity)
      if (c.kind == kind && c.slot == slot && c.type == type) n += c.count;
    return n;
  }

  Stage open_, doing_, done_;
  Team team_a_, team_b_;
  User tech1_, tech2_;
  CategoryId category_;
  Equipment e1_, e2_, e3_;
  TaskId t1_, t2_, t3_, t4_, t5_, t6_, t8_, t9_;
};
VISOR_STORAGE_BACKENDS(Reports);

TEST_P(Reports, NowCountsWorkAsItStands) {
  const NowReport r = now();
  EXPECT_EQ(r.totals.open, 5);         // T1 T2 T3 T6 T8
  EXPECT_EQ(r.totals.overdue, 3);      // T1 T3 T6
  EXPECT_EQ(r.totals.in_progress, 1);  // T3
  EXPECT_EQ(r.totals.paused, 1);       // T8
  EXPECT_EQ(r.totals.unassigned, 2);   // T2 T6
  EXPECT_EQ(r.totals.unscheduled, 1);  // T2
  EXPECT_EQ(r.totals.done_today, 1);   // T4 (T5 yesterday, T9 on day 8)

  ASSERT_EQ(r.teams.size(), 2u);
  EXPECT_EQ(r.teams[0].team, team_a_.id);  // the largest backlog first
  EXPECT_EQ(r.teams[0].name, "Team A");
  EXPECT_EQ(r.teams[0].open, 3);
  EXPECT_EQ(r.teams[0].overdue, 2);
  EXPECT_EQ(r.teams[0].unassigned, 2);
  EXPECT_EQ(r.teams[0].unscheduled, 1);
  EXPECT_EQ(r.teams[0].planned_seconds, 7200 + 3600 + 3600);  // unscheduled counts one hour
  EXPECT_EQ(r.teams[1].team, team_b_.id);
  EXPECT_EQ(r.teams[1].in_progress, 1);
  EXPECT_EQ(r.teams[1].paused, 1);
  EXPECT_EQ(r.teams[1].planned_seconds, 7200 + 3600);

  ASSERT_EQ(r.technicians.size(), 2u);  // technicians only, by name
  EXPECT_EQ(r.technicians[0].user, tech1_.id);
  EXPECT_EQ(r.technicians[0].scheduled, 3);  // T1 T4 T5 start this week, any stage
  EXPECT_EQ(r.technicians[0].planned_seconds, 7200 + 5400 + 7200);
  EXPECT_EQ(r.technicians[0].open, 1);
  EXPECT_EQ(r.technicians[0].overdue, 1);
  EXPECT_EQ(r.technicians[1].user, tech2_.id);
  EXPECT_EQ(r.technicians[1].scheduled, 2);
  EXPECT_EQ(r.technicians[1].in_progress, 1);
  EXPECT_EQ(r.technicians[1].paused, 1);
}

TEST_P(Reports, NowNarrowsToATeam) {
  const NowReport r = now({team_a_.id, std::nullopt});
  EXPECT_EQ(r.totals.open, 3);
  EXPECT_EQ(r.totals.overdue, 2);
  EXPECT_EQ(r.totals.done_today, 1);
  ASSERT_EQ(r.teams.size(), 1u);
  ASSERT_EQ(r.technicians.size(), 1u);
  EXPECT_EQ(r.technicians[0].user, tech1_.id);
  EXPECT_EQ(r.technicians[0].scheduled, 2);  // T5 has no team
}

TEST_P(Reports, PeriodCountsActivityPerSlotWithABaseline) {
  const PeriodReport p = period();
  using enum MaintenanceType;
  // Reported before the period: T1 and T6 (the baseline of open work).
  EXPECT_EQ(count(p, Activity::reported, -1, corrective) + count(p, Activity::reported, -1, preventive), 2);
  EXPECT_EQ(count(p, Activity::reported, 0, preventive), 1);  // T2
  EXPECT_EQ(count(p, Activity::reported, 0, corrective), 1);  // T9
  EXPECT_EQ(count(p, Activity::reported, 1, corrective), 1);  // T3
  EXPECT_EQ(count(p, Activity::reported, 2, preventive), 1);  // T5
  EXPECT_EQ(count(p, Activity::reported, 3, corrective), 2);  // T4 T8
  EXPECT_EQ(count(p, Activity::completed, 1, corrective), 1);  // T9 at noon of its close date
  EXPECT_EQ(count(p, Activity::completed, 2, preventive), 1);  // T5 at updated_at (same day as closed)
  EXPECT_EQ(count(p, Activity::completed, 3, corrective), 1);  // T4 at its completed entry
  EXPECT_EQ(count(p, Activity::overdue_from, 1, preventive), 1);  // T6
  EXPECT_EQ(count(p, Activity::overdue_from, 2, corrective), 1);  // T1
  EXPECT_EQ(count(p, Activity::overdue_from, 3, corrective), 1);  // T3
  EXPECT_EQ(count(p, Activity::pm_due, 1, preventive), 1);       // T6
  EXPECT_EQ(count(p, Activity::pm_on_time, 1, preventive), 0);
  EXPECT_EQ(count(p, Activity::pm_due, 2, preventive), 1);  // T5
  EXPECT_EQ(count(p, Activity::pm_on_time, 2, preventive), 1);
  const auto repaired = std::find_if(p.activity.begin(), p.activity.end(),
                                     [](const ActivityCount& c) { return c.kind == Activity::repaired; });
  ASSERT_NE(repaired, p.activity.end());
  EXPECT_EQ(repaired->slot, 3);
  EXPECT_EQ(repaired->count, 1);
  EXPECT_EQ(repaired->seconds, 5400);  // T4: 08:00 → 09:30
  for (const auto& c : p.activity) EXPECT_GT(c.count, 0) << "zero counts are left out";
}

TEST_P(Reports, PeriodReliabilityPerMachineAndCategory) {
  const PeriodReport p = period();
  EXPECT_EQ(p.machine_count, 3);
  ASSERT_EQ(p.machines.size(), 1u);  // only E1 had corrective work in the period
  EXPECT_EQ(p.machines[0].id, e1_.id.value);
  EXPECT_EQ(p.machines[0].code, "E1");
  EXPECT_EQ(p.machines[0].machines, 1);
  EXPECT_EQ(p.machines[0].failures, 3);  // T3 T4 T8 (T1 before the period, T7 archived)
  EXPECT_EQ(p.machines[0].repairs, 1);
  EXPECT_EQ(p.machines[0].repair_seconds, 5400);
  ASSERT_EQ(p.categories.size(), 1u);
  EXPECT_EQ(p.categories[0].id, category_.value);
  EXPECT_EQ(p.categories[0].name, "Pumps");
  EXPECT_EQ(p.categories[0].machines, 2);  // E1 E2
  EXPECT_EQ(p.categories[0].failures, 3);

  const PeriodReport only_e2 = period({std::nullopt, e2_.id});
  EXPECT_EQ(only_e2.machine_count, 1);
  EXPECT_TRUE(only_e2.machines.empty());
  EXPECT_EQ(count(only_e2, Activity::reported, 0, MaintenanceType::preventive), 1);  // T2
}

TEST_P(Reports, PeriodValidatesItsArguments) {
  expect_error(ErrorCode::invalid_input, [&] {
    store().read([&](Tx& tx) { tx.reports().period({{}, day(7), day(11), day(10), seconds(0), 20, 50}); });
  });
  expect_error(ErrorCode::invalid_input, [&] {
    store().read([&](Tx& tx) { tx.reports().period({{}, day(7), day(11), day(10), seconds(60), 0, 50}); });
  });
}

TEST_P(Reports, ExportTasksOfAPeriod) {
  std::vector<TaskExportRow> rows;
  store().read([&](Tx& tx) {
    tx.reports().export_tasks({{}, day(7), day(11)}, [&](const TaskExportRow& r) { rows.push_back(r); });
  });
  std::vector<std::string> titles;
  for (const auto& r : rows) titles.push_back(r.task.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"T1", "T2", "T3", "T4", "T5", "T6", "T8", "T9"}));  // by id, T7 archived
  const auto& t4 = rows[3];
  EXPECT_EQ(t4.stage_name, "Done");
  EXPECT_TRUE(t4.stage_done);
  EXPECT_EQ(t4.equipment_code, "E1");
  EXPECT_EQ(t4.equipment_name, "Machine E1");
  EXPECT_EQ(t4.team_name, "Team A");
  EXPECT_EQ(t4.assignee_login, "tech1");
  EXPECT_EQ(t4.assignee_name, "tech1 name");
  EXPECT_EQ(t4.reported_at, day(10, 7));
  EXPECT_EQ(t4.completed_at, day(10, 9, 30));
  EXPECT_EQ(t4.steps_total, 2);
  EXPECT_EQ(t4.steps_done, 1);
  EXPECT_EQ(rows[0].completed_at, std::nullopt);
  EXPECT_EQ(rows[7].completed_at, day(8, 12));

  rows.clear();
  store().read([&](Tx& tx) {
    tx.reports().export_tasks({{team_b_.id, std::nullopt}, day(7), day(11)}, [&](const TaskExportRow& r) { rows.push_back(r); });
  });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].task.title, "T3");
  EXPECT_EQ(rows[1].task.title, "T8");
}

TEST_P(Reports, ExportWorkLogOfAPeriod) {
  std::vector<WorkLogExportRow> rows;
  store().read([&](Tx& tx) {
    tx.reports().export_work_log({{}, day(10), day(11)}, [&](const WorkLogExportRow& r) { rows.push_back(r); });
  });
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].entry.kind, WorkLogKind::started);
  EXPECT_EQ(rows[0].task_title, "T4");
  EXPECT_EQ(rows[1].entry.kind, WorkLogKind::step_done);
  EXPECT_EQ(rows[1].step_text, "Measure the pressure (bar)");
  EXPECT_EQ(rows[1].entry.value, "3.2");
  EXPECT_EQ(rows[1].user_login, "tech1");
  EXPECT_EQ(rows[1].equipment_code, "E1");
  EXPECT_EQ(rows[2].task_title, "T3");
  EXPECT_EQ(rows[3].entry.kind, WorkLogKind::completed);
  EXPECT_EQ(rows[3].entry.at, day(10, 9, 30));
}

}  // namespace
}  // namespace visor::storage::test
