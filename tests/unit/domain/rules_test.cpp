#include "domain/rules.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

using namespace visor;
using namespace std::chrono;

namespace {

StageSet demo_stages() {
  // Deliberately out of order and with names that must not matter.
  return StageSet({Stage{StageId{4}, OdooId{4}, "Scrap", 4, true, true},
                   Stage{StageId{1}, OdooId{1}, "Nouvelle demande", 1, false, false},
                   Stage{StageId{3}, OdooId{3}, "Repaired", 3, true, true},
                   Stage{StageId{2}, OdooId{2}, "En cours", 2, false, false}});
}

const Actor kTech{UserId{10}, Role::technician, TeamId{1}};
const Actor kOtherTech{UserId{11}, Role::technician, TeamId{2}};
const Actor kManager{UserId{20}, Role::manager, std::nullopt};

Task task_for(std::optional<UserId> assignee, std::optional<TeamId> team) {
  Task t;
  t.id = TaskId{1};
  t.title = "Fix pump";
  t.stage_id = StageId{1};
  t.assignee_id = assignee;
  t.team_id = team;
  return t;
}

ErrorCode code_of(auto&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "expected an Error";
  return ErrorCode::internal;
}

const TimePoint kNow = sys_days{year{2026} / 11 / 25} + hours{9};

}  // namespace

TEST(StageSet, OrderedBySequenceAndRecognisedByDoneFlag) {
  const auto s = demo_stages();
  EXPECT_EQ(s.first(), StageId{1});
  EXPECT_EQ(s.next_open_after(StageId{1}), StageId{2});
  EXPECT_EQ(s.next_open_after(StageId{2}), std::nullopt);
  EXPECT_EQ(s.first_done(), StageId{3});
  EXPECT_TRUE(s.is_done(StageId{4}));
}

TEST(Visibility, TechnicianSeesOwnAndTeamTasksOnly) {
  EXPECT_TRUE(can_view(kTech, task_for(kTech.user, TeamId{9})));
  EXPECT_TRUE(can_view(kTech, task_for(UserId{99}, TeamId{1})));
  EXPECT_FALSE(can_view(kTech, task_for(UserId{99}, TeamId{2})));
  EXPECT_FALSE(can_view(kTech, task_for(std::nullopt, std::nullopt)));
  EXPECT_TRUE(can_view(kManager, task_for(UserId{99}, TeamId{2})));
}

TEST(Execution, OnlyAssigneeOrPlannerOrTeamMemberOnUnassigned) {
  EXPECT_TRUE(can_execute(kTech, task_for(kTech.user, std::nullopt)));
  EXPECT_FALSE(can_execute(kTech, task_for(UserId{99}, TeamId{1})));  // team-mate's task
  EXPECT_TRUE(can_execute(kTech, task_for(std::nullopt, TeamId{1})));
  EXPECT_FALSE(can_execute(kOtherTech, task_for(std::nullopt, TeamId{1})));
  EXPECT_TRUE(can_execute(kManager, task_for(UserId{99}, TeamId{2})));
}

TEST(Execution, StartMovesFirstStageToNextOpenAndClaimsUnassigned) {
  Task t = task_for(std::nullopt, TeamId{1});
  const auto tr = plan_start(t, kTech, demo_stages());
  EXPECT_EQ(tr.execution, Execution::in_progress);
  EXPECT_EQ(tr.stage, StageId{2});
  EXPECT_EQ(tr.assignee, kTech.user);
  apply(t, tr);
  EXPECT_EQ(t.stage_id, StageId{2});
  EXPECT_EQ(code_of([&] { plan_start(t, kTech, demo_stages()); }), ErrorCode::conflict);
}

TEST(Execution, OthersCannotStart) {
  const Task t = task_for(UserId{99}, TeamId{1});
  EXPECT_EQ(code_of([&] { plan_start(t, kTech, demo_stages()); }), ErrorCode::forbidden);
}

TEST(Execution, PauseResumeComplete) {
  Task t = task_for(kTech.user, TeamId{1});
  apply(t, plan_start(t, kTech, demo_stages()));
  EXPECT_EQ(code_of([&] { plan_resume(t, kTech); }), ErrorCode::conflict);
  apply(t, plan_pause(t, kTech));
  EXPECT_EQ(t.execution, Execution::paused);
  apply(t, plan_resume(t, kTech));
  const auto done = plan_complete(t, kTech, demo_stages(), kNow);
  EXPECT_EQ(done.stage, StageId{3});
  ASSERT_TRUE(done.close_date);
  EXPECT_EQ(format_date(*done.close_date), "2026-11-25");
  apply(t, done);
  EXPECT_EQ(code_of([&] { plan_pause(t, kTech); }), ErrorCode::conflict);
  EXPECT_EQ(code_of([&] { plan_complete(t, kTech, demo_stages(), kNow); }), ErrorCode::conflict);
}

TEST(Execution, CompleteWithoutDoneStageIsAClearConflict) {
  const Task t = task_for(kTech.user, TeamId{1});
  StageSet open_only({Stage{StageId{1}, std::nullopt, "A", 1, false, false}});
  EXPECT_EQ(code_of([&] { plan_complete(t, kTech, open_only, kNow); }), ErrorCode::conflict);
}

TEST(Execution, ArchivedTaskCannotBeWorked) {
  Task t = task_for(kTech.user, TeamId{1});
  t.archived = true;
  EXPECT_EQ(code_of([&] { plan_start(t, kTech, demo_stages()); }), ErrorCode::conflict);
}

TEST(Validation, RejectsBrokenTasks) {
  Task t = task_for(std::nullopt, std::nullopt);
  EXPECT_NO_THROW(validate(t));
  t.title = "  ";
  EXPECT_EQ(code_of([&] { validate(t); }), ErrorCode::invalid_input);
  t.title = "ok";
  t.priority = 4;
  EXPECT_EQ(code_of([&] { validate(t); }), ErrorCode::invalid_input);
  t.priority = 2;
  t.schedule_start = kNow;
  t.schedule_end = kNow - hours{1};
  EXPECT_EQ(code_of([&] { validate(t); }), ErrorCode::invalid_input);
  t.schedule_end = kNow + hours{1};
  t.recurrence.enabled = true;
  EXPECT_EQ(code_of([&] { validate(t); }), ErrorCode::invalid_input);  // corrective cannot recur
  t.type = MaintenanceType::preventive;
  t.recurrence.interval = 0;
  EXPECT_EQ(code_of([&] { validate(t); }), ErrorCode::invalid_input);
  t.recurrence.interval = 3;
  EXPECT_NO_THROW(validate(t));
}

TEST(TimeOnTool, SumsWorkingIntervalsOnly) {
  auto at = [](int minutes) { return kNow + minutes * 60s; };
  std::vector<WorkLogEntry> log;
  auto add = [&](WorkLogKind k, int m) {
    WorkLogEntry e;
    e.kind = k;
    e.at = at(m);
    log.push_back(e);
  };
  add(WorkLogKind::resumed, 30);   // out of order on purpose
  add(WorkLogKind::started, 0);
  add(WorkLogKind::paused, 10);
  add(WorkLogKind::note, 12);
  add(WorkLogKind::completed, 45);
  EXPECT_EQ(time_on_tool(log, at(100)), 25min);
  log.pop_back();
  EXPECT_EQ(time_on_tool(log, at(40)), 20min);  // still running
}

TEST(Overdue, ByScheduleEndThenStart) {
  Task t = task_for(std::nullopt, std::nullopt);
  EXPECT_FALSE(is_overdue(t, false, kNow));
  t.schedule_start = kNow - hours{2};
  EXPECT_TRUE(is_overdue(t, false, kNow));
  t.schedule_end = kNow + hours{1};
  EXPECT_FALSE(is_overdue(t, false, kNow));
  t.schedule_end = kNow - hours{1};
  EXPECT_FALSE(is_overdue(t, true, kNow));
}
