// Issue 14's use cases over an in-memory store: typed step results, the
// procedure snapshot, follow-ups, completion (required answers, sign-off,
// failure codes), approval, meters and their rules, the failure report, and
// the outbox messages the CMMS receives.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "fixture.hpp"
#include "domain/steps.hpp"
#include "services/completion.hpp"
#include "services/failure_codes.hpp"
#include "services/follow_ups.hpp"
#include "services/meters.hpp"
#include "services/procedures.hpp"
#include "services/tasks.hpp"

namespace visor::services::test {
namespace {
namespace json = boost::json;

class Procedures : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    deps_.emplace(deps());
    store_->write([&](storage::Tx& tx) {
      Category c;
      c.name = "Presses";
      tx.catalog().save_category(c);
      category_ = c.id;
      Equipment e;
      e.name = "Press 3";
      e.code = "M-PRESS3";
      e.category_id = c.id;
      e.updated_at = kNow;
      tx.equipment().insert(e);
      machine_ = e.id;
    });
  }

  TaskDetail task(const std::string& instructions, MaintenanceType type = MaintenanceType::preventive) {
    TaskChanges c;
    c.title = "Monthly inspection";
    c.type = type;
    c.equipment_id = std::optional<EquipmentId>(machine_);
    c.assignee_id = std::optional<UserId>(tech_id_);
    if (!instructions.empty()) c.instructions = Instructions{InstructionKind::text, instructions, {}};
    return create_task(*deps_, manager(), c);
  }

  TaskDetail step(TaskId id, int n, std::optional<std::string> value, std::optional<bool> done = true,
                  std::optional<std::string> note = std::nullopt, std::string action = {}) {
    StepResult r;
    r.value = std::move(value);
    r.done = done;
    r.note = std::move(note);
    ActionOptions o;
    o.client_action_id = std::move(action);
    return record_step(*deps_, technician(), id, n, r, o);
  }

  std::vector<storage::OutboxMessage> outbox() {
    return store_->read_value([&](storage::Tx& tx) { return tx.outbox().list(std::nullopt, 100); });
  }

  FailureCodeId code(const std::string& c) {
    for (const auto& fc : list_failure_codes(*deps_, technician(), false))
      if (fc.code == c) return fc.id;
    ADD_FAILURE() << "no code " << c;
    return FailureCodeId(0);
  }

  std::optional<Deps> deps_;
  CategoryId category_{0};
  EquipmentId machine_{0};
};

const char* kInspection =
    "<ol><li>Lock out the press.</li><li>[check] Hoses free of leaks</li>"
    "<li>[number 3.0–3.5 bar] Pump pressure at idle</li><li>[choice OK / worn / replaced] Drive belt</li>"
    "<li>[text optional] Serial of the new filter</li><li>[photo optional] Guard</li></ol>";

TEST_F(Procedures, EveryTypeIsAnsweredAndFlagged) {
  const TaskId id = task(kInspection).row.task.id;
  expect_error(ErrorCode::invalid_input, [&] { step(id, 2, "fail"); });  // FAIL without a comment
  expect_error(ErrorCode::invalid_input, [&] { step(id, 2, std::nullopt, true); });  // done without PASS/FLAG/FAIL
  auto d = step(id, 2, "FAIL", true, "leak at the flange");
  EXPECT_EQ(d.steps[1].value, "fail");
  EXPECT_EQ(step_flag(d.steps[1]), StepFlag::fail);
  expect_error(ErrorCode::invalid_input, [&] { step(id, 2, std::nullopt, std::nullopt, ""); });  // the comment stays
  expect_error(ErrorCode::invalid_input, [&] { step(id, 3, "high"); });
  d = step(id, 3, "3,8 bar");
  EXPECT_EQ(step_flag(d.steps[2]), StepFlag::out_of_range);
  d = step(id, 3, "3.2");
  EXPECT_EQ(step_flag(d.steps[2]), StepFlag::none);
  expect_error(ErrorCode::invalid_input, [&] { step(id, 4, "broken"); });
  d = step(id, 4, "WORN");
  EXPECT_EQ(d.steps[3].value, "worn");
  d = step(id, 5, std::nullopt, true);  // optional text: done without an answer
  EXPECT_TRUE(d.steps[4].done);
  expect_error(ErrorCode::invalid_input, [&] { step(id, 6, "a photo?"); });
}

TEST_F(Procedures, CompletionWaitsForRequiredAnswersAndTakesCodes) {
  const TaskId id = task("<ol><li>[check] Hoses</li><li>[photo] Guard</li></ol>", MaintenanceType::corrective).row.task.id;
  start_task(*deps_, technician(), id, {});
  step(id, 1, "pass");
  try {
    complete_task(*deps_, technician(), id, {}, Completion{});
    ADD_FAILURE() << "completed without the photo";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_NE(e.detail().find("Step 2 (Guard) needs an answer"), std::string::npos) << e.detail();
  }
  // The photo answers it (and marks it done).
  store_->write([&](storage::Tx& tx) {
    Media m;
    m.task_id = id;
    m.content_type = "image/jpeg";
    m.sha256 = std::string(64, 'a');
    m.created_at = kNow;
    tx.media().insert(m);
    WorkLogEntry e;
    e.task_id = id;
    e.kind = WorkLogKind::photo;
    e.step = 2;
    e.media = m.id;
    e.at = kNow;
    tx.tasks().append_log(e);
  });
  Completion c;
  c.codes.problem = code("ELP");
  c.codes.cause = code("ELP");  // a problem code where a cause goes
  expect_error(ErrorCode::invalid_input, [&] { complete_task(*deps_, technician(), id, {}, c); });
  c.codes.cause = code("2.4");
  c.codes.remedy = code("REPL");
  const TaskDetail done = complete_task(*deps_, technician(), id, {}, c);
  EXPECT_EQ(done.row.task.execution, Execution::completed);
  ASSERT_TRUE(done.procedure.problem);
  EXPECT_EQ(done.procedure.problem->code, "ELP");
  EXPECT_EQ(done.procedure.remedy->code, "REPL");
}

TEST_F(Procedures, SignOffAndSupervisorApproval) {
  const TaskId id = task("<p>[check] Guard fitted</p><p>[sign-off supervisor]</p>").row.task.id;
  step(id, 1, "pass");
  expect_error(ErrorCode::invalid_input, [&] { complete_task(*deps_, technician(), id, {}, Completion{}); });
  expect_error(ErrorCode::conflict, [&] { approve_task(*deps_, manager(), id, ""); });  // not completed yet
  Completion c;
  c.signature = "Tina Tech";
  TaskDetail d = complete_task(*deps_, technician(), id, {}, c);
  ASSERT_TRUE(d.procedure.signoff);
  EXPECT_EQ(d.procedure.signoff->signature, "Tina Tech");
  EXPECT_EQ(d.procedure.signoff->signed_by, tech_id_);
  EXPECT_EQ(d.procedure.followed->signoff, SignOff::supervisor);
  EXPECT_EQ(store_->read_value([&](storage::Tx& tx) { return tx.procedures().awaiting_approval(10); }).size(), 1u);
  expect_error(ErrorCode::forbidden, [&] { approve_task(*deps_, technician(), id, "ok"); });
  d = approve_task(*deps_, manager(), id, "Checked on site");
  EXPECT_EQ(d.procedure.signoff->approved_by, manager_id_);
  EXPECT_EQ(d.procedure.signoff->approval_comment, "Checked on site");
  expect_error(ErrorCode::conflict, [&] { approve_task(*deps_, manager(), id, ""); });
  EXPECT_TRUE(std::any_of(d.log.begin(), d.log.end(), [](const WorkLogEntry& e) { return e.kind == WorkLogKind::signed_off; }));
}

TEST_F(Procedures, TemplatesFollowedUntilTheTaskStarts) {
  const TaskId waiting = task("").row.task.id;
  const TaskId running = task("").row.task.id;
  ProcedureInput in;
  in.name = "Press inspection";
  in.category_id = category_;
  in.text = "[check] Guard fitted\n[number 3–3.5 bar] Pressure\n[sign-off]";
  const ProcedureView v = create_procedure(*deps_, manager(), in);
  EXPECT_EQ(v.procedure.version, 1);
  EXPECT_EQ(v.tasks_updated, 2);
  EXPECT_EQ(v.parsed.signoff, SignOff::technician);
  TaskDetail r = start_task(*deps_, technician(), running, {});
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].origin, StepOrigin::procedure);
  EXPECT_EQ(r.procedure.procedure_name, "Press inspection");
  // Answered before START: what was recorded is never lost to an edit.
  const TaskId answered = task("").row.task.id;
  step(answered, 1, "pass");

  in.text = "[check] Guard fitted\n[number 3–4 bar] Pressure\n[photo] Panel";
  const ProcedureView v2 = save_procedure(*deps_, manager(), v.procedure.id, in, 1);
  EXPECT_EQ(v2.procedure.version, 2);
  EXPECT_EQ(v2.versions.size(), 2u);
  const TaskDetail w = get_task(*deps_, manager(), waiting);
  ASSERT_EQ(w.steps.size(), 3u);  // follows version 2
  EXPECT_DOUBLE_EQ(*w.steps[1].max, 4.0);
  EXPECT_EQ(w.procedure.followed->version, 2);
  const TaskDetail s = get_task(*deps_, manager(), running);
  ASSERT_EQ(s.steps.size(), 2u);  // its snapshot
  EXPECT_DOUBLE_EQ(*s.steps[1].max, 3.5);
  EXPECT_EQ(s.procedure.followed->version, 1);
  EXPECT_EQ(s.procedure.followed->signoff, SignOff::technician);
  const TaskDetail a = get_task(*deps_, manager(), answered);
  ASSERT_EQ(a.steps.size(), 2u);
  EXPECT_EQ(a.steps[0].value, "pass");
  EXPECT_DOUBLE_EQ(*a.steps[1].max, 3.5);
  expect_error(ErrorCode::precondition_failed, [&] { save_procedure(*deps_, manager(), v.procedure.id, in, 1); });
  expect_error(ErrorCode::forbidden, [&] { create_procedure(*deps_, technician(), in); });
  in.equipment_id = machine_;
  expect_error(ErrorCode::invalid_input, [&] { create_procedure(*deps_, manager(), in); });  // both scopes
  in.equipment_id.reset();
  in.text = "just words\n";
  EXPECT_EQ(create_procedure(*deps_, manager(), in).parsed.steps.size(), 1u);
  in.text = "  ";
  expect_error(ErrorCode::invalid_input, [&] { create_procedure(*deps_, manager(), in); });
}

TEST_F(Procedures, FollowUpFromAFailIsAFloorReportNamingTheOrigin) {
  store_->write([](storage::Tx& tx) { tx.settings().put("cmms.url", "https://odoo.example"); });
  const TaskId id = task(kInspection).row.task.id;
  step(id, 2, "pass");
  FollowUpRequest r;
  expect_error(ErrorCode::conflict, [&] { raise_follow_up(*deps_, technician(), id, 2, r); });  // nothing wrong
  step(id, 2, "fail", true, "cracked hose");
  r.opts.client_action_id = "hud-follow-1";
  const TaskDetail origin = raise_follow_up(*deps_, technician(), id, 2, r);
  const auto f = follow_up_of_step(origin.procedure, 2);
  ASSERT_TRUE(f);
  EXPECT_EQ(raise_follow_up(*deps_, technician(), id, 2, r).procedure.follow_ups.size(), 1u);  // a replay
  r.opts.client_action_id = "hud-follow-2";
  expect_error(ErrorCode::conflict, [&] { raise_follow_up(*deps_, technician(), id, 2, r); });  // one per step

  const TaskDetail fu = get_task(*deps_, manager(), *f);
  const Task& t = fu.row.task;
  EXPECT_EQ(t.type, MaintenanceType::corrective);
  EXPECT_EQ(t.equipment_id, machine_);
  EXPECT_FALSE(t.assignee_id);              // for triage
  EXPECT_EQ(t.stage_id, stages_[0].id);     // where reports land
  EXPECT_EQ(t.reported_by, tech_id_);
  EXPECT_EQ(t.title, "Follow-up: Hoses free of leaks — FAIL");
  EXPECT_NE(t.description.find("Comment: cracked hose"), std::string::npos);
  ASSERT_TRUE(fu.procedure.follow_up_of);
  EXPECT_EQ(fu.procedure.follow_up_of->origin_id, id);
  EXPECT_EQ(fu.procedure.origin_title, "Monthly inspection");

  bool create_names_origin = false;
  for (const auto& m : outbox()) {
    const auto p = json::parse(m.payload).as_object();
    if (m.operation == "create" && p.at("task_id").as_int64() == f->value) {
      create_names_origin = p.at("origin_task_id").as_int64() == id.value && p.at("origin_step").as_int64() == 2;
    }
  }
  EXPECT_TRUE(create_names_origin);
}

TEST_F(Procedures, TheCompletionMessageCarriesTheTable) {
  store_->write([](storage::Tx& tx) { tx.settings().put("cmms.url", "https://odoo.example"); });
  const TaskId id = task(kInspection, MaintenanceType::corrective).row.task.id;
  step(id, 1, std::nullopt, true);
  step(id, 2, "flag", true, "slight sweat");
  step(id, 3, "3.9");
  step(id, 4, "replaced");
  Completion c;
  c.codes.problem = code("ELP");
  complete_task(*deps_, technician(), id, {}, c);
  json::object completion;
  int step_notes = 0;
  for (const auto& m : outbox()) {
    const auto p = json::parse(m.payload).as_object();
    if (m.operation != "note") continue;
    if (p.at("kind").as_string() == "completion") completion = p;
    if (p.at("kind").as_string() == "step") ++step_notes;
  }
  EXPECT_EQ(step_notes, 2);  // the comment, the value out of range; the rest waits for the table
  ASSERT_FALSE(completion.empty());
  const auto& steps = completion.at("steps").as_array();
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[1].at("kind").as_string(), "check");
  EXPECT_EQ(steps[1].at("flag").as_string(), "flag");
  EXPECT_EQ(steps[2].at("flag").as_string(), "out_of_range");
  EXPECT_EQ(steps[2].at("expected").as_string(), "3–3.5 bar");
  EXPECT_EQ(steps[3].at("value").as_string(), "replaced");
  const auto& codes = completion.at("codes").as_array();
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].at("code").as_string(), "ELP");
  EXPECT_EQ(codes[0].at("label").as_string(), "External leakage – process medium");
}

TEST_F(Procedures, MeterRulesCreatePreventiveWork) {
  const MeterView hours = create_meter(*deps_, manager(), machine_, "hours", "h");
  expect_error(ErrorCode::conflict, [&] { create_meter(*deps_, manager(), machine_, "hours", "h"); });
  expect_error(ErrorCode::forbidden, [&] { create_meter(*deps_, technician(), machine_, "cycles", ""); });
  ActionOptions o;
  record_reading(*deps_, technician(), hours.meter.id, 1234, o);
  MeterRule every;
  every.kind = MeterRuleKind::every;
  every.value = 500;
  every.title = "500 h service";
  const MeterRule added = add_meter_rule(*deps_, manager(), hours.meter.id, every);
  EXPECT_DOUBLE_EQ(*added.next_due, 1500);
  MeterRule hot;
  hot.kind = MeterRuleKind::above;
  hot.value = 2000;
  add_meter_rule(*deps_, manager(), hours.meter.id, hot);

  auto r = record_reading(*deps_, technician(), hours.meter.id, 1499, o);
  EXPECT_TRUE(r.created.empty());
  o.client_action_id = "hud-read-1";
  r = record_reading(*deps_, technician(), hours.meter.id, 1503, o);
  ASSERT_EQ(r.created.size(), 1u);
  const TaskDetail made = get_task(*deps_, manager(), r.created[0]);
  EXPECT_EQ(made.row.task.type, MaintenanceType::preventive);
  EXPECT_EQ(made.row.task.title, "500 h service");
  EXPECT_EQ(made.row.task.equipment_id, machine_);
  r = record_reading(*deps_, technician(), hours.meter.id, 1503, o);  // a replay
  EXPECT_TRUE(r.replay);
  EXPECT_TRUE(r.created.empty());
  o.client_action_id.clear();
  r = record_reading(*deps_, technician(), hours.meter.id, 2100, o);  // every: still open → none; above: one
  ASSERT_EQ(r.created.size(), 1u);
  EXPECT_EQ(get_task(*deps_, manager(), r.created[0]).row.task.title, "Meter service: hours ≥ 2000 h");
  EXPECT_TRUE(record_reading(*deps_, technician(), hours.meter.id, 2200, o).created.empty());  // the hot one is open
  const auto rules = list_meters(*deps_, technician(), machine_)[0].rules;
  EXPECT_DOUBLE_EQ(*rules[0].next_due, 2500);
  EXPECT_EQ(list_readings(*deps_, technician(), hours.meter.id, {}).size(), 5u);  // the replay is not stored twice
}

TEST_F(Procedures, AMeterStepRecordsAReading) {
  const TaskId id = task("<p>[meter hours h] Running hours</p>").row.task.id;
  step(id, 1, "812.5 h");
  const auto meters = list_meters(*deps_, technician(), machine_);
  ASSERT_EQ(meters.size(), 1u);
  EXPECT_EQ(meters[0].meter.name, "hours");
  EXPECT_EQ(meters[0].meter.unit, "h");
  EXPECT_DOUBLE_EQ(*meters[0].meter.last_value, 812.5);
  const auto readings = list_readings(*deps_, technician(), meters[0].meter.id, {});
  ASSERT_EQ(readings.size(), 1u);
  EXPECT_EQ(readings[0].task_id, id);
  EXPECT_EQ(readings[0].step, 1);
}

TEST_F(Procedures, FailureParetoAndMtbfByMode) {
  auto corrective = [&](const std::string& problem) {
    const TaskId id = task("", MaintenanceType::corrective).row.task.id;
    FailureCodes c;
    if (!problem.empty()) c.problem = code(problem);
    if (!problem.empty()) set_failure_codes(*deps_, technician(), id, c);
  };
  corrective("ELP");
  corrective("ELP");
  corrective("ELP");
  corrective("VIB");
  corrective("");
  storage::FailureQuery q;
  q.from = kNow - std::chrono::days(30);
  q.to = kNow + std::chrono::days(1);
  const FailureReport r = failure_report(*deps_, manager(), q);
  EXPECT_EQ(r.failures, 5);
  EXPECT_EQ(r.uncoded, 1);
  EXPECT_EQ(r.machines, 1);
  ASSERT_EQ(r.pareto.size(), 3u);
  EXPECT_EQ(r.pareto[0].problem->code, "ELP");
  EXPECT_DOUBLE_EQ(r.pareto[0].share, 0.6);
  EXPECT_DOUBLE_EQ(r.pareto[1].cumulative, 0.8);
  EXPECT_FALSE(r.pareto[2].problem);  // uncoded last
  EXPECT_NEAR(*r.pareto[0].mtbf_hours, 31 * 24.0 / 3, 1e-9);
  EXPECT_FALSE(r.pareto[2].mtbf_hours);
  ASSERT_EQ(r.by_machine.size(), 1u);
  EXPECT_EQ(r.by_machine[0].name, "Press 3");
  EXPECT_EQ(r.by_machine[0].top_problem->code, "ELP");
  ASSERT_EQ(r.by_category.size(), 1u);
  EXPECT_EQ(r.by_category[0].name, "Presses");
  q.to = q.from;
  expect_error(ErrorCode::invalid_input, [&] { failure_report(*deps_, manager(), q); });
}

}  // namespace
}  // namespace visor::services::test
