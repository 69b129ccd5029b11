// Issue 14 storage on every backend: typed steps, procedures and their
// versions, the procedure of a task, sign-offs, follow-ups.
#include "fixture.hpp"

namespace visor::storage::test {
namespace {

class Procedures : public StoreTest {
 protected:
  Category add_category(const std::string& name) {
    Category c;
    c.name = name;
    store().write([&](Tx& tx) { tx.catalog().save_category(c); });
    return c;
  }
  Equipment in_category(Equipment e, CategoryId c) {
    store().write([&](Tx& tx) {
      auto stored = *tx.equipment().get(e.id);
      stored.category_id = c;
      tx.equipment().update(stored, stored.version);
      e = stored;
    });
    return e;
  }
  Procedure add_procedure(const std::string& name, std::optional<CategoryId> category,
                          std::optional<EquipmentId> equipment, std::string text) {
    Procedure p;
    p.name = name;
    p.category_id = category;
    p.equipment_id = equipment;
    p.text = std::move(text);
    p.updated_at = at(10);
    store().write([&](Tx& tx) { tx.procedures().insert(p); });
    return p;
  }
};
VISOR_STORAGE_BACKENDS(Procedures);

TEST_P(Procedures, TypedStepsRoundTripEveryField) {
  const Stage stage = add_stage("New");
  const Task task = add_task(new_task(stage.id));
  Step check;
  check.number = 1;
  check.text = "Hoses free of leaks";
  check.kind = StepKind::check;
  check.required = true;
  check.value = "fail";
  check.note = "leak at the flange";
  check.origin = StepOrigin::procedure;
  Step number;
  number.number = 2;
  number.text = "Pump pressure";
  number.kind = StepKind::number;
  number.unit = "bar";
  number.min = 3.0;
  number.max = 3.55;
  number.meter = "pressure";
  Step choice;
  choice.number = 3;
  choice.text = "Drive belt";
  choice.kind = StepKind::choice;
  choice.options = {"OK", "usé", "replaced"};
  Step negative;
  negative.number = 4;
  negative.text = "Freezer";
  negative.kind = StepKind::number;
  negative.max = -18.25;
  store().write([&](Tx& tx) { tx.tasks().replace_steps(task.id, {check, number, choice, negative}); });
  const auto steps = store().read_value([&](Tx& tx) { return tx.tasks().steps(task.id); });
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].kind, StepKind::check);
  EXPECT_TRUE(steps[0].required);
  EXPECT_EQ(steps[0].origin, StepOrigin::procedure);
  EXPECT_EQ(steps[0].value, "fail");
  EXPECT_EQ(steps[1].kind, StepKind::number);
  EXPECT_TRUE(steps[1].wants_value);
  EXPECT_DOUBLE_EQ(*steps[1].min, 3.0);
  EXPECT_DOUBLE_EQ(*steps[1].max, 3.55);
  EXPECT_EQ(steps[1].meter, "pressure");
  EXPECT_EQ(steps[1].origin, StepOrigin::instructions);
  EXPECT_EQ(steps[2].options, (std::vector<std::string>{"OK", "usé", "replaced"}));
  EXPECT_FALSE(steps[2].min);
  EXPECT_DOUBLE_EQ(*steps[3].max, -18.25);
  EXPECT_FALSE(steps[3].min);
}

TEST_P(Procedures, VersionsAndOptimisticSaves) {
  const Category pumps = add_category("Pumps");
  Procedure p = add_procedure("Pump inspection", pumps.id, std::nullopt, "[check] Seal dry");
  EXPECT_EQ(p.version, 1);
  p.text = "[check] Seal dry\n[number 3–3.5 bar] Pressure";
  p.name = "Pump inspection v2";
  p.type = MaintenanceType::preventive;
  p.updated_at = at(20);
  store().write([&](Tx& tx) { tx.procedures().save(p, 1); });
  EXPECT_EQ(p.version, 2);
  Procedure stale = p;
  stale.text = "lost";
  expect_error(ErrorCode::precondition_failed, [&] { store().write([&](Tx& tx) { tx.procedures().save(stale, 1); }); });
  const auto got = store().read_value([&](Tx& tx) { return tx.procedures().get(p.id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->name, "Pump inspection v2");
  EXPECT_EQ(got->type, MaintenanceType::preventive);
  EXPECT_EQ(got->text, "[check] Seal dry\n[number 3–3.5 bar] Pressure");
  EXPECT_EQ(got->category_id, pumps.id);
  const auto versions = store().read_value([&](Tx& tx) { return tx.procedures().versions(p.id); });
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 2);
  EXPECT_EQ(versions[1].text, "[check] Seal dry");
  EXPECT_EQ(versions[1].created_at, at(10));
  Procedure missing = p;
  missing.id = ProcedureId(9999);
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.procedures().save(missing, 2); }); });
}

TEST_P(Procedures, CandidatesAndTheTasksTheyReach) {
  const Stage open = add_stage("New", false, 1);
  const Stage done = add_stage("Done", true, 2);
  const Category pumps = add_category("Pumps");
  const Category fans = add_category("Fans");
  const Equipment p1 = in_category(add_equipment("P-1"), pumps.id);
  const Equipment p2 = in_category(add_equipment("P-2"), pumps.id);
  const Equipment f1 = in_category(add_equipment("F-1", "Fan"), fans.id);
  const Procedure by_cat = add_procedure("Pumps", pumps.id, std::nullopt, "[check] a");
  const Procedure by_machine = add_procedure("P-1 only", std::nullopt, p1.id, "[check] b");
  Procedure retired = add_procedure("Old", pumps.id, std::nullopt, "[check] c");
  retired.active = false;
  store().write([&](Tx& tx) { tx.procedures().save(retired, 1); });

  auto ids = [](const std::vector<Procedure>& ps) {
    std::vector<std::int64_t> out;
    for (const auto& p : ps) out.push_back(p.id.value);
    return out;
  };
  EXPECT_EQ(ids(store().read_value([&](Tx& tx) { return tx.procedures().candidates(p1.id, pumps.id); })),
            (std::vector<std::int64_t>{by_cat.id.value, by_machine.id.value}));
  EXPECT_EQ(ids(store().read_value([&](Tx& tx) { return tx.procedures().candidates(p2.id, pumps.id); })),
            (std::vector<std::int64_t>{by_cat.id.value}));
  EXPECT_TRUE(store().read_value([&](Tx& tx) { return tx.procedures().candidates(f1.id, fans.id); }).empty());
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.procedures().list(false); }).size(), 2u);
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.procedures().list(true); }).size(), 3u);

  Task waiting = new_task(open.id, "waiting");
  waiting.equipment_id = p2.id;
  waiting = add_task(waiting);
  Task started = waiting;
  started.execution = Execution::in_progress;
  started = add_task(started);
  Task closed = waiting;
  closed.stage_id = done.id;
  closed = add_task(closed);
  Task other = waiting;
  other.equipment_id = f1.id;
  other = add_task(other);
  const auto reached = store().read_value([&](Tx& tx) { return tx.procedures().tasks_not_started(std::nullopt, pumps.id); });
  ASSERT_EQ(reached.size(), 1u);
  EXPECT_EQ(reached[0], waiting.id);
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.procedures().tasks_not_started(f1.id, std::nullopt); }).size(), 1u);
}

TEST_P(Procedures, TaskProcedureSignOffAndApproval) {
  const Stage stage = add_stage("New");
  const User boss = add_user("boss");
  const Procedure proc = add_procedure("Press", std::nullopt, add_equipment("PR-1").id, "[check] a\n[sign-off supervisor]");
  Task t = new_task(stage.id);
  t.execution = Execution::completed;
  t = add_task(t);
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.procedures().of_task(t.id); }));
  store().write([&](Tx& tx) { tx.procedures().set_of_task(t.id, {proc.id, 1, SignOff::supervisor}); });
  auto tp = store().read_value([&](Tx& tx) { return tx.procedures().of_task(t.id); });
  ASSERT_TRUE(tp);
  EXPECT_EQ(tp->procedure_id, proc.id);
  EXPECT_EQ(tp->signoff, SignOff::supervisor);
  store().write([&](Tx& tx) { tx.procedures().set_of_task(t.id, {std::nullopt, 0, SignOff::technician}); });
  tp = store().read_value([&](Tx& tx) { return tx.procedures().of_task(t.id); });
  EXPECT_FALSE(tp->procedure_id);

  store().write([&](Tx& tx) { tx.procedures().set_of_task(t.id, {proc.id, 1, SignOff::supervisor}); });
  TaskSignOff s;
  s.signature = "Alice Martin";
  s.signed_by = boss.id;
  s.signed_at = at(100);
  store().write([&](Tx& tx) { tx.procedures().save_signoff(t.id, s); });
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.procedures().awaiting_approval(10); }),
            std::vector<TaskId>{t.id});
  s.approved_by = boss.id;
  s.approved_at = at(200);
  s.approval_comment = "Good work";
  store().write([&](Tx& tx) { tx.procedures().save_signoff(t.id, s); });
  const auto got = store().read_value([&](Tx& tx) { return tx.procedures().signoff(t.id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->signature, "Alice Martin");
  EXPECT_EQ(got->approved_at, at(200));
  EXPECT_EQ(got->approval_comment, "Good work");
  EXPECT_TRUE(store().read_value([&](Tx& tx) { return tx.procedures().awaiting_approval(10); }).empty());
  store().write([&](Tx& tx) { tx.procedures().clear_of_task(t.id); });
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.procedures().of_task(t.id); }));
}

TEST_P(Procedures, FollowUpsOnePerStep) {
  const Stage stage = add_stage("New");
  const Task origin = add_task(new_task(stage.id, "Inspection"));
  const Task first = add_task(new_task(stage.id, "Fix the hose"));
  const Task second = add_task(new_task(stage.id, "Fix the belt"));
  store().write([&](Tx& tx) {
    tx.follow_ups().insert({first.id, origin.id, 2, at(5)});
    tx.follow_ups().insert({second.id, origin.id, 4, at(6)});
  });
  expect_error(ErrorCode::conflict, [&] {
    store().write([&](Tx& tx) { tx.follow_ups().insert({second.id, origin.id, 2, at(7)}); });
  });
  const auto of_step = store().read_value([&](Tx& tx) { return tx.follow_ups().of_step(origin.id, 4); });
  ASSERT_TRUE(of_step);
  EXPECT_EQ(of_step->task_id, second.id);
  const auto all = store().read_value([&](Tx& tx) { return tx.follow_ups().of_origin(origin.id); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].origin_step, 2);
  const auto back = store().read_value([&](Tx& tx) { return tx.follow_ups().get(first.id); });
  ASSERT_TRUE(back);
  EXPECT_EQ(back->origin_id, origin.id);
  EXPECT_EQ(back->created_at, at(5));
  // Deleting the origin keeps the follow-up task, without its link.
  store().write([&](Tx& tx) { tx.tasks().remove(origin.id); });
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.follow_ups().get(first.id); }));
  EXPECT_TRUE(store().read_value([&](Tx& tx) { return tx.tasks().get(first.id); }));
}

}  // namespace
}  // namespace visor::storage::test
