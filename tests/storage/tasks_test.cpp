// TaskRepository: single tasks, optimistic concurrency, steps, work log.
#include "fixture.hpp"

namespace visor::storage::test {
namespace {

class Tasks : public StoreTest {};
VISOR_STORAGE_BACKENDS(Tasks);

void expect_same_task(const Task& a, const Task& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.odoo_id, b.odoo_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.equipment_id, b.equipment_id);
  EXPECT_EQ(a.assignee_id, b.assignee_id);
  EXPECT_EQ(a.team_id, b.team_id);
  EXPECT_EQ(a.stage_id, b.stage_id);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.request_date, b.request_date);
  EXPECT_EQ(a.schedule_start, b.schedule_start);
  EXPECT_EQ(a.schedule_end, b.schedule_end);
  EXPECT_EQ(a.close_date, b.close_date);
  EXPECT_EQ(a.instructions.kind, b.instructions.kind);
  EXPECT_EQ(a.instructions.text, b.instructions.text);
  EXPECT_EQ(a.instructions.url, b.instructions.url);
  EXPECT_EQ(a.recurrence.enabled, b.recurrence.enabled);
  EXPECT_EQ(a.recurrence.interval, b.recurrence.interval);
  EXPECT_EQ(a.recurrence.unit, b.recurrence.unit);
  EXPECT_EQ(a.recurrence.type, b.recurrence.type);
  EXPECT_EQ(a.recurrence.until, b.recurrence.until);
  EXPECT_EQ(a.archived, b.archived);
  EXPECT_EQ(a.execution, b.execution);
  EXPECT_EQ(a.reported_by, b.reported_by);
  EXPECT_EQ(a.reporter_contact, b.reporter_contact);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

Task full_task(const Stage& stage, const User& user, const Team& team, const Equipment& eq) {
  Task t;
  t.odoo_id = OdooId(4242);
  t.title = "Vérifier la pompe — \"P-7\" l'huile 50%_ok";
  t.description = "<p>Ölstand prüfen; 圧力 3.2 bar</p>";
  t.equipment_id = eq.id;
  t.assignee_id = user.id;
  t.team_id = team.id;
  t.stage_id = stage.id;
  t.priority = 3;
  t.type = MaintenanceType::preventive;
  t.request_date = from_days(20400);
  t.schedule_start = at(3600);
  t.schedule_end = at(7200);
  t.close_date = from_days(20410);
  t.instructions = {InstructionKind::google_slide, "<ol><li>a</li></ol>", "https://docs.google.com/x"};
  t.recurrence = {true, 2, RepeatUnit::month, RepeatType::until, from_days(21000)};
  t.archived = true;
  t.execution = Execution::paused;
  t.reported_by = user.id;
  t.reporter_contact = "+33 6 12 34 56 78";
  t.created_at = at(1);
  t.updated_at = at(2);
  return t;
}

TEST_P(Tasks, InsertAndGetRoundTripEveryField) {
  const Stage stage = add_stage("New");
  const Team team = add_team("Mechanics");
  const User user = add_user("alice", team.id);
  const Equipment eq = add_equipment("EQ-1");
  Task t = full_task(stage, user, team, eq);
  t.id = TaskId(999);  // ignored
  t.version = 7;       // reset to 1
  store().write([&](Tx& tx) { EXPECT_EQ(tx.tasks().insert(t), t.id); });
  EXPECT_NE(t.id, TaskId(999));
  EXPECT_EQ(t.version, 1);
  store().read([&](Tx& tx) {
    const std::optional<Task> got = tx.tasks().get(t.id);
    ASSERT_TRUE(got);
    expect_same_task(*got, t);
    const std::optional<Task> by_odoo = tx.tasks().get_by_odoo(OdooId(4242));
    ASSERT_TRUE(by_odoo);
    EXPECT_EQ(by_odoo->id, t.id);
    EXPECT_FALSE(tx.tasks().get(TaskId(t.id.value + 1)));
    EXPECT_FALSE(tx.tasks().get_by_odoo(OdooId(1)));
  });
}

TEST_P(Tasks, EmptyOptionalsStayEmpty) {
  const Stage stage = add_stage("New");
  const Task t = add_task(new_task(stage.id));
  const Task got = *store().read_value([&](Tx& tx) { return tx.tasks().get(t.id); });
  expect_same_task(got, t);
  EXPECT_FALSE(got.odoo_id);
  EXPECT_FALSE(got.schedule_start);
  EXPECT_FALSE(got.request_date);
  EXPECT_FALSE(got.recurrence.until);
}

TEST_P(Tasks, UpdateChecksTheVersion) {
  const Stage stage = add_stage("New");
  const Stage done = add_stage("Done", true);
  Task t = add_task(new_task(stage.id));
  Task edit = t;
  edit.title = "Renamed";
  edit.stage_id = done.id;
  edit.schedule_start = at(99);
  store().write([&](Tx& tx) { tx.tasks().update(edit, 1); });
  EXPECT_EQ(edit.version, 2);

  Task stale = t;  // still at version 1
  stale.title = "Lost update";
  const Error e = expect_error(ErrorCode::precondition_failed,
                               [&] { store().write([&](Tx& tx) { tx.tasks().update(stale, 1); }); });
  EXPECT_NE(e.detail().find("changed by someone else"), std::string::npos);

  Task missing = t;
  missing.id = TaskId(t.id.value + 100);
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.tasks().update(missing, 1); }); });

  const Task got = *store().read_value([&](Tx& tx) { return tx.tasks().get(t.id); });
  expect_same_task(got, edit);
}

TEST_P(Tasks, RemoveDeletesStepsLogAndMedia) {
  const Stage stage = add_stage("New");
  const Task t = add_task(new_task(stage.id));
  const Task other = add_task(new_task(stage.id, "Other"));
  store().write([&](Tx& tx) {
    for (const Task* task : {&t, &other}) {
      tx.tasks().replace_steps(task->id, {Step{1, "a"}});
      WorkLogEntry e;
      e.task_id = task->id;
      e.at = at();
      tx.tasks().append_log(e);
      Media m;
      m.task_id = task->id;
      m.content_type = "image/jpeg";
      m.created_at = at();
      tx.media().insert(m);
    }
    Conflict c;
    c.task_id = t.id;
    c.field = "title";
    c.at = at();
    tx.sync().add_conflict(c);
  });
  store().write([&](Tx& tx) { tx.tasks().remove(t.id); });
  store().read([&](Tx& tx) {
    EXPECT_FALSE(tx.tasks().get(t.id));
    EXPECT_TRUE(tx.tasks().steps(t.id).empty());
    EXPECT_TRUE(tx.tasks().work_log(t.id).empty());
    EXPECT_TRUE(tx.media().for_task(t.id).empty());
    EXPECT_EQ(tx.tasks().steps(other.id).size(), 1u);
    EXPECT_EQ(tx.tasks().work_log(other.id).size(), 1u);
    EXPECT_EQ(tx.media().for_task(other.id).size(), 1u);
    const auto conflicts = tx.sync().conflicts(false, 10);
    ASSERT_EQ(conflicts.size(), 1u);
    EXPECT_FALSE(conflicts[0].task_id);  // kept for review, detached
  });
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.tasks().remove(t.id); }); });
}

TEST_P(Tasks, InsertWithAMissingReferenceIsRefused) {
  const Stage stage = add_stage("New");
  Task t = new_task(StageId(stage.id.value + 50));
  const Error e = expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.tasks().insert(t); }); });
  EXPECT_NE(e.detail().find("does not exist"), std::string::npos);
  EXPECT_FALSE(e.internal().empty());
}

TEST_P(Tasks, StepsAreReplacedAndSavedOneByOne) {
  const Stage stage = add_stage("New");
  const User user = add_user("bob");
  const Task t = add_task(new_task(stage.id));
  std::vector<Step> steps(3);
  for (int i = 0; i < 3; ++i) {
    steps[i].number = i + 1;
    steps[i].text = "Step " + std::to_string(i + 1);
  }
  steps[1].wants_value = true;
  steps[1].unit = "bar";
  store().write([&](Tx& tx) { tx.tasks().replace_steps(t.id, {steps[2], steps[0], steps[1]}); });

  Step result = steps[1];
  result.text = "ignored: only results are saved";
  result.done = true;
  result.note = "needle flickers";
  result.value = "3.2 bar";
  result.done_at = at(60);
  result.done_by = user.id;
  store().write([&](Tx& tx) { tx.tasks().save_step(t.id, result); });

  const std::vector<Step> got = store().read_value([&](Tx& tx) { return tx.tasks().steps(t.id); });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].number, 1);
  EXPECT_EQ(got[2].number, 3);
  EXPECT_EQ(got[1].text, "Step 2");
  EXPECT_TRUE(got[1].wants_value);
  EXPECT_EQ(got[1].unit, "bar");
  EXPECT_TRUE(got[1].done);
  EXPECT_EQ(got[1].note, "needle flickers");
  EXPECT_EQ(got[1].value, "3.2 bar");
  EXPECT_EQ(got[1].done_at, at(60));
  EXPECT_EQ(got[1].done_by, user.id);
  EXPECT_FALSE(got[0].done);
  EXPECT_FALSE(got[0].done_at);

  store().write([&](Tx& tx) { tx.tasks().replace_steps(t.id, {steps[0]}); });
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.tasks().steps(t.id); }).size(), 1u);

  Step missing;
  missing.number = 9;
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.tasks().save_step(t.id, missing); }); });
  expect_error(ErrorCode::not_found,
               [&] { store().write([&](Tx& tx) { tx.tasks().replace_steps(TaskId(t.id.value + 9), steps); }); });
  const Error dup = expect_error(ErrorCode::conflict, [&] {
    store().write([&](Tx& tx) { tx.tasks().replace_steps(t.id, {steps[0], steps[0]}); });
  });
  EXPECT_NE(dup.detail().find("Step numbers"), std::string::npos) << dup.detail();
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.tasks().steps(t.id); }).size(), 1u) << "rolled back";
}

TEST_P(Tasks, WorkLogAppendIsIdempotentPerClientAction) {
  const Stage stage = add_stage("New");
  const User user = add_user("carol");
  const Task t = add_task(new_task(stage.id));
  const Task other = add_task(new_task(stage.id));
  const auto entry = [&](TaskId task, WorkLogKind kind, std::int64_t when, std::string action) {
    WorkLogEntry e;
    e.task_id = task;
    e.user_id = user.id;
    e.kind = kind;
    e.at = at(when);
    e.client_action_id = std::move(action);
    return e;
  };
  WorkLogEntry started = entry(t.id, WorkLogKind::started, 10, "act-1");
  WorkLogEntry measured = entry(t.id, WorkLogKind::measurement, 5, "act-2");  // recorded offline, earlier
  measured.step = 2;
  measured.value = "3.2 bar";
  WorkLogEntry note1 = entry(t.id, WorkLogKind::note, 20, "");
  note1.text = "no client id: never deduplicated";
  WorkLogEntry note2 = note1;
  store().write([&](Tx& tx) {
    EXPECT_TRUE(tx.tasks().append_log(started));
    EXPECT_TRUE(tx.tasks().append_log(measured));
    EXPECT_TRUE(tx.tasks().append_log(note1));
    EXPECT_TRUE(tx.tasks().append_log(note2));
  });
  EXPECT_GT(started.id, 0);
  WorkLogEntry replay = entry(t.id, WorkLogKind::started, 99, "act-1");
  WorkLogEntry same_action_other_task = entry(other.id, WorkLogKind::started, 10, "act-1");
  store().write([&](Tx& tx) {
    EXPECT_FALSE(tx.tasks().append_log(replay));
    EXPECT_EQ(replay.id, 0);
    EXPECT_TRUE(tx.tasks().append_log(same_action_other_task));
  });
  const auto log = store().read_value([&](Tx& tx) { return tx.tasks().work_log(t.id); });
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].id, measured.id);  // ordered by when it happened
  EXPECT_EQ(log[0].kind, WorkLogKind::measurement);
  EXPECT_EQ(log[0].step, 2);
  EXPECT_EQ(log[0].value, "3.2 bar");
  EXPECT_EQ(log[0].user_id, user.id);
  EXPECT_EQ(log[1].id, started.id);
  EXPECT_EQ(log[1].at, at(10));
  EXPECT_EQ(log[1].client_action_id, "act-1");
  EXPECT_FALSE(log[1].step);
  EXPECT_EQ(log[2].text, note1.text);
  EXPECT_LT(log[2].id, log[3].id);

  WorkLogEntry orphan = entry(TaskId(t.id.value + 50), WorkLogKind::note, 1, "x");
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.tasks().append_log(orphan); }); });
}

TEST_P(Tasks, UnknownEnumTextInTheDatabaseIsAnInternalError) {
  if (!shared()) GTEST_SKIP() << "needs raw access to the database";
  const Stage stage = add_stage("New");
  const Task t = add_task(new_task(stage.id));
  raw_exec("UPDATE tasks SET execution = 'exploded' WHERE id = " + std::to_string(t.id.value));
  const Error e = expect_error(ErrorCode::internal, [&] { store().read([&](Tx& tx) { tx.tasks().get(t.id); }); });
  EXPECT_NE(e.detail().find("exploded"), std::string::npos) << e.detail();
  expect_error(ErrorCode::internal, [&] { store().read([&](Tx& tx) { tx.tasks().list({}); }); });
}

}  // namespace
}  // namespace visor::storage::test
