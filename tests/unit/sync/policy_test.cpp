// The conflict policy, the merge of CMMS changes into local tasks, outbox
// field payloads and the backoff.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "sync/backoff.hpp"
#include "sync/task_merge.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace {
namespace json = boost::json;

StageSet demo_stages() {
  return StageSet({Stage{StageId(1), OdooId(1), "New", 1, false, false},
                   Stage{StageId(2), OdooId(2), "In Progress", 2, false, false},
                   Stage{StageId(3), OdooId(3), "Repaired", 3, true, true}});
}

Task task() {
  Task t;
  t.id = TaskId(7);
  t.title = "Check pump";
  t.stage_id = StageId(1);
  t.priority = 1;
  t.assignee_id = UserId(4);
  t.schedule_start = parse_iso8601("2026-11-25T08:00:00Z");
  t.schedule_end = parse_iso8601("2026-11-25T09:00:00Z");
  return t;
}

TEST(Policy, DecideThreeWays) {
  const json::value base = 1, ours = 2, other = 3;
  EXPECT_EQ(decide(TaskField::priority, base, ours, ours), FieldAction::already);
  EXPECT_EQ(decide(TaskField::priority, base, ours, base), FieldAction::send);
  EXPECT_EQ(decide(TaskField::priority, base, ours, other), FieldAction::cmms_wins);
  EXPECT_EQ(decide(TaskField::schedule_start, base, ours, other), FieldAction::cmms_wins);
  EXPECT_EQ(decide(TaskField::assignee, base, ours, other), FieldAction::cmms_wins);
  // The stage is execution data: Visor's value goes through.
  EXPECT_EQ(decide(TaskField::stage, base, ours, other), FieldAction::local_kept);
  EXPECT_EQ(resolution_text(FieldAction::cmms_wins), "cmms_wins");
  EXPECT_EQ(resolution_text(FieldAction::local_kept), "local_kept");
}

TEST(Policy, EveryFieldButTheStageIsPlanning) {
  for (TaskField f : all_task_fields()) EXPECT_EQ(is_planning(f), f != TaskField::stage) << payload_key(f);
}

TEST(Merge, CopiesRemoteExceptOwnedFields) {
  Task local = task();
  Task remote = local;
  remote.title = "Check pump 3";
  remote.priority = 3;
  remote.schedule_start = parse_iso8601("2026-11-26T08:00:00Z");
  remote.close_date = parse_date("2026-11-26");
  const auto changed = merge_remote(local, remote, {TaskField::priority}, demo_stages());
  EXPECT_EQ(changed, (std::vector<TaskField>{TaskField::title, TaskField::schedule_start}));
  EXPECT_EQ(local.title, "Check pump 3");
  EXPECT_EQ(local.priority, 1);  // owned by a pending local change
  EXPECT_EQ(local.close_date, parse_date("2026-11-26"));
}

TEST(Merge, StageMovesTheFloorState) {
  Task local = task();
  local.execution = Execution::in_progress;
  Task remote = local;
  remote.stage_id = StageId(2);
  merge_remote(local, remote, {}, demo_stages());
  EXPECT_EQ(local.execution, Execution::in_progress);  // open → open: the floor state stays
  remote.stage_id = StageId(3);
  merge_remote(local, remote, {}, demo_stages());
  EXPECT_EQ(local.execution, Execution::completed);
  remote.stage_id = StageId(1);
  merge_remote(local, remote, {}, demo_stages());
  EXPECT_EQ(local.execution, Execution::not_started);
  EXPECT_EQ(initial_execution(remote, demo_stages()), Execution::not_started);
  remote.stage_id = StageId(3);
  EXPECT_EQ(initial_execution(remote, demo_stages()), Execution::completed);
}

// Odoo's "In Progress" (an open stage after the first) reads as work under way.
TEST(Merge, ALaterOpenStageIsWorkInProgress) {
  Task remote = task();
  remote.stage_id = StageId(2);
  EXPECT_EQ(initial_execution(remote, demo_stages()), Execution::in_progress);
  Task local = task();
  merge_remote(local, remote, {}, demo_stages());
  EXPECT_EQ(local.execution, Execution::in_progress);  // New Request → In Progress
  Task paused = task();
  paused.stage_id = StageId(3);
  paused.execution = Execution::completed;
  merge_remote(paused, remote, {}, demo_stages());
  EXPECT_EQ(paused.execution, Execution::in_progress);  // reopened into In Progress
  EXPECT_EQ(execution_in(StageId(2), Execution::paused, demo_stages()), Execution::paused);
  EXPECT_EQ(execution_in(StageId(1), Execution::in_progress, demo_stages()), Execution::not_started);
}

TEST(TaskFields, PayloadRoundTrip) {
  Task t = task();
  t.instructions = Instructions{InstructionKind::text, "<p>Do it</p>", ""};
  t.recurrence = Recurrence{true, 3, RepeatUnit::month, RepeatType::until, parse_date("2027-01-01")};
  t.type = MaintenanceType::preventive;
  t.archived = true;
  t.equipment_id = EquipmentId(9);
  t.team_id = TeamId(2);
  Task copy;
  for (TaskField f : all_task_fields()) {
    set_from_payload(copy, f, payload_value(t, f));
    EXPECT_EQ(payload_value(copy, f), payload_value(t, f)) << payload_key(f);
    EXPECT_EQ(parse_payload_key(payload_key(f)), f);
  }
  EXPECT_EQ(payload_value(t, TaskField::schedule_start), json::value("2026-11-25T08:00:00Z"));
  EXPECT_EQ(payload_value(Task{}, TaskField::assignee), json::value(nullptr));
  EXPECT_THROW(set_from_payload(copy, TaskField::priority, json::value(9)), std::invalid_argument);
  EXPECT_THROW(set_from_payload(copy, TaskField::stage, json::value(nullptr)), std::invalid_argument);
  EXPECT_THROW(set_from_payload(copy, TaskField::type, json::value("x")), std::invalid_argument);
  EXPECT_FALSE(parse_payload_key("nope"));
}

TEST(Backoff, GrowsWithJitterUpToTheCap) {
  const BackoffPolicy p{std::chrono::milliseconds(1000), std::chrono::milliseconds(60000)};
  auto low = [] { return 0.0; };
  auto high = [] { return 0.999999; };
  EXPECT_EQ(backoff_delay(p, 1, low).count(), 500);
  EXPECT_NEAR(double(backoff_delay(p, 1, high).count()), 1000, 1);
  EXPECT_EQ(backoff_delay(p, 2, low).count(), 1000);
  EXPECT_EQ(backoff_delay(p, 4, low).count(), 4000);
  EXPECT_EQ(backoff_delay(p, 7, low).count(), 30000);
  EXPECT_EQ(backoff_delay(p, 8, low).count(), 30000);   // capped at 60 s → [30, 60]
  EXPECT_EQ(backoff_delay(p, 200, low).count(), 30000);  // no overflow
  EXPECT_NEAR(double(backoff_delay(p, 200, high).count()), 60000, 1);
  for (int i = 0; i < 100; ++i) {
    const auto d = backoff_delay(p, 3, random_unit).count();
    EXPECT_GE(d, 2000);
    EXPECT_LE(d, 4000);
  }
}

}  // namespace
}  // namespace visor::sync
