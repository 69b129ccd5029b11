// Typed steps: answers, flags, what completion needs, the snapshot of a
// procedure, which procedure applies, follow-up words; meters and their
// rules; failure codes.
#include <gtest/gtest.h>

#include "domain/failure_codes.hpp"
#include "domain/meters.hpp"
#include "domain/steps.hpp"
#include "util/error.hpp"

using namespace visor;

namespace {

Step typed(StepKind kind, std::string text = "Pump pressure") {
  Step s;
  s.number = 2;
  s.text = std::move(text);
  s.kind = kind;
  s.required = true;
  return s;
}

template <class F>
std::string error_of(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    return e.detail();
  }
  ADD_FAILURE() << "no error";
  return "";
}

}  // namespace

TEST(Steps, CheckAnswersAndTheirComment) {
  const Step s = typed(StepKind::check);
  EXPECT_EQ(normalise_answer(s, " PASS ", std::nullopt), "pass");
  EXPECT_NE(error_of([&] { normalise_answer(s, "fail", std::nullopt); }).find("needs a comment"), std::string::npos);
  EXPECT_NE(error_of([&] { normalise_answer(s, "flag", std::string("  ")); }).find("FLAG needs a comment"), std::string::npos);
  EXPECT_EQ(normalise_answer(s, "Fail", std::string("leaking at the flange")), "fail");
  Step commented = s;
  commented.note = "worn";
  EXPECT_EQ(normalise_answer(commented, "flag", std::nullopt), "flag");
  EXPECT_NE(error_of([&] { normalise_answer(s, "ok", std::nullopt); }).find("pass, flag or fail"), std::string::npos);
  EXPECT_EQ(normalise_answer(s, "", std::nullopt), "");  // clears
}

TEST(Steps, NumberChoiceTextPhotoAnswers) {
  Step n = typed(StepKind::number);
  n.unit = "bar";
  EXPECT_EQ(normalise_answer(n, "3,2 bar", std::nullopt), "3,2 bar");
  EXPECT_NE(error_of([&] { normalise_answer(n, "high", std::nullopt); }).find("asks for a number (e.g. 3.2 bar)"),
            std::string::npos);
  Step c = typed(StepKind::choice);
  c.options = {"OK", "worn", "replaced"};
  EXPECT_EQ(normalise_answer(c, "WORN", std::nullopt), "worn");
  EXPECT_NE(error_of([&] { normalise_answer(c, "broken", std::nullopt); }).find("choice of: OK, worn, replaced"),
            std::string::npos);
  const Step t = typed(StepKind::text);
  EXPECT_EQ(normalise_answer(t, "SN 4411-B", std::nullopt), "SN 4411-B");
  EXPECT_NO_THROW(normalise_answer(t, std::string(1000, 'x'), std::nullopt));
  error_of([&] { normalise_answer(t, std::string(1001, 'x'), std::nullopt); });
  EXPECT_NE(error_of([&] { normalise_answer(typed(StepKind::photo), "x", std::nullopt); }).find("answered by a photo"),
            std::string::npos);
  error_of([&] { normalise_answer(typed(StepKind::instruction), std::string(101, 'x'), std::nullopt); });
}

TEST(Steps, FlagsAndFollowUpProposals) {
  Step c = typed(StepKind::check);
  EXPECT_EQ(step_flag(c), StepFlag::none);
  c.value = "pass";
  EXPECT_EQ(step_flag(c), StepFlag::none);
  c.value = "flag";
  EXPECT_EQ(step_flag(c), StepFlag::flag);
  EXPECT_FALSE(proposes_follow_up(c));
  c.value = "fail";
  EXPECT_EQ(step_flag(c), StepFlag::fail);
  EXPECT_TRUE(proposes_follow_up(c));
  Step n = typed(StepKind::number);
  n.min = 3.0;
  n.max = 3.5;
  n.value = "3.5";
  EXPECT_EQ(step_flag(n), StepFlag::none);
  n.value = "3,6 bar";
  EXPECT_EQ(step_flag(n), StepFlag::out_of_range);
  EXPECT_TRUE(proposes_follow_up(n));
  n.min.reset();
  n.value = "-100";
  EXPECT_EQ(step_flag(n), StepFlag::none);  // an open bound never excludes
}

TEST(Steps, AnsweredAndMissing) {
  std::vector<Step> steps{typed(StepKind::instruction), typed(StepKind::check), typed(StepKind::photo),
                          typed(StepKind::text)};
  for (int i = 0; i < 4; ++i) steps[std::size_t(i)].number = i + 1;
  steps[3].required = false;
  auto missing = missing_answers(steps, [](int) { return 0; });
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0]->number, 2);
  EXPECT_EQ(missing[1]->number, 3);
  steps[1].value = "pass";
  missing = missing_answers(steps, [](int n) { return n == 3 ? 1 : 0; });
  EXPECT_TRUE(missing.empty());
}

TEST(Steps, AssembleKeepsTheSnapshotOnceStarted) {
  StepSpec check{"Hoses", StepKind::check};
  check.required = true;
  StepSpec number{"Pressure", StepKind::number, true, "bar", 3.0, 3.5};
  const std::vector<StepSpec> instructions{{"Lock out the press"}};
  auto steps = assemble_steps({}, instructions, std::vector<StepSpec>{check, number}, false);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].origin, StepOrigin::instructions);
  EXPECT_EQ(steps[1].origin, StepOrigin::procedure);
  EXPECT_EQ(steps[2].number, 3);
  EXPECT_DOUBLE_EQ(*steps[2].max, 3.5);
  steps[1].value = "pass";
  steps[1].done = true;

  // The template changes: a task not started takes it, keeping results of unchanged steps.
  StepSpec changed = number;
  changed.max = 4.0;
  auto again = assemble_steps(steps, instructions, std::vector<StepSpec>{check, changed}, false);
  EXPECT_DOUBLE_EQ(*again[2].max, 4.0);
  EXPECT_EQ(again[1].value, "pass");

  // Started: the procedure's steps stay as they were, even without a template now.
  auto started = assemble_steps(steps, {{"Lock out the press"}, {"Wear gloves"}}, std::nullopt, true);
  ASSERT_EQ(started.size(), 4u);
  EXPECT_EQ(started[1].text, "Wear gloves");
  EXPECT_EQ(started[2].text, "Hoses");
  EXPECT_EQ(started[2].number, 3);
  EXPECT_EQ(started[2].value, "pass");
  EXPECT_DOUBLE_EQ(*started[3].max, 3.5);
  // Not started and no template any more: its steps go.
  EXPECT_EQ(assemble_steps(steps, instructions, std::nullopt, false).size(), 1u);
}

TEST(Steps, ChooseProcedure) {
  Task task;
  task.equipment_id = EquipmentId(7);
  task.type = MaintenanceType::preventive;
  auto proc = [](int id, std::optional<CategoryId> cat, std::optional<EquipmentId> eq,
                 std::optional<MaintenanceType> type) {
    Procedure p;
    p.id = ProcedureId(id);
    p.category_id = cat;
    p.equipment_id = eq;
    p.type = type;
    p.version = 1;
    return p;
  };
  std::vector<Procedure> all{proc(1, CategoryId(3), std::nullopt, std::nullopt),
                             proc(2, CategoryId(3), std::nullopt, MaintenanceType::preventive),
                             proc(3, CategoryId(4), std::nullopt, std::nullopt)};
  EXPECT_EQ(choose_procedure(all, task, CategoryId(3))->id, ProcedureId(2));
  all.push_back(proc(4, std::nullopt, EquipmentId(7), std::nullopt));
  EXPECT_EQ(choose_procedure(all, task, CategoryId(3))->id, ProcedureId(4));
  all[3].active = false;
  EXPECT_EQ(choose_procedure(all, task, CategoryId(3))->id, ProcedureId(2));
  task.type = MaintenanceType::corrective;
  EXPECT_EQ(choose_procedure(all, task, CategoryId(3))->id, ProcedureId(1));
  EXPECT_EQ(choose_procedure(all, task, std::nullopt), nullptr);
  task.equipment_id.reset();
  EXPECT_EQ(choose_procedure(all, task, CategoryId(3)), nullptr);
}

TEST(Steps, FollowUpWordsCarryValueRangeAndComment) {
  Task origin;
  origin.id = TaskId(12);
  origin.title = "Monthly <press> inspection";
  Step n = typed(StepKind::number);
  n.unit = "bar";
  n.min = 3.0;
  n.max = 3.5;
  n.value = "4.2";
  n.note = "gauge shaking";
  auto text = follow_up_text(origin, n, "en");
  EXPECT_EQ(text.title, "Follow-up: Pump pressure \xE2\x80\x94 out of range");
  EXPECT_NE(text.description.find("Monthly &lt;press&gt; inspection"), std::string::npos);
  EXPECT_NE(text.description.find("Value: 4.2 bar (expected 3\xE2\x80\x93" "3.5 bar)"), std::string::npos);
  EXPECT_NE(text.description.find("Comment: gauge shaking"), std::string::npos);
  Step c = typed(StepKind::check, "Hoses");
  c.value = "fail";
  text = follow_up_text(origin, c, "fr");
  EXPECT_EQ(text.title, "Suite : Hoses \xE2\x80\x94 FAIL");
  EXPECT_NE(text.description.find("R\xC3\xA9sultat : FAIL"), std::string::npos);
  Step long_step = typed(StepKind::check, std::string(300, 'x'));
  EXPECT_LE(follow_up_text(origin, long_step, "en").title.size(), 200u);
}

TEST(Meters, ThresholdRulesFireOncePerOpenTask) {
  MeterRule above;
  above.kind = MeterRuleKind::above;
  above.value = 80;
  EXPECT_FALSE(evaluate(above, 79.9, false).create_task);
  EXPECT_TRUE(evaluate(above, 80, false).create_task);
  EXPECT_FALSE(evaluate(above, 95, true).create_task);
  MeterRule below = above;
  below.kind = MeterRuleKind::below;
  below.value = 2;
  EXPECT_TRUE(evaluate(below, 1.5, false).create_task);
  EXPECT_FALSE(evaluate(below, 2.5, false).create_task);
  above.active = false;
  EXPECT_FALSE(evaluate(above, 100, false).create_task);
}

TEST(Meters, EveryNUnits) {
  EXPECT_DOUBLE_EQ(first_due(500, std::nullopt), 500);
  EXPECT_DOUBLE_EQ(first_due(500, 1234), 1500);
  MeterRule every;
  every.kind = MeterRuleKind::every;
  every.value = 500;
  every.next_due = 1500;
  auto out = evaluate(every, 1499, false);
  EXPECT_FALSE(out.create_task);
  EXPECT_FALSE(out.next_due);
  out = evaluate(every, 1512, false);
  EXPECT_TRUE(out.create_task);
  EXPECT_DOUBLE_EQ(*out.next_due, 2000);
  out = evaluate(every, 2730, true);  // the last one still open: no pile-up, but it moves on
  EXPECT_FALSE(out.create_task);
  EXPECT_DOUBLE_EQ(*out.next_due, 3000);
}

TEST(Meters, Validation) {
  Meter m;
  m.name = "oil_temp";
  m.unit = "°C";
  EXPECT_NO_THROW(validate(m));
  m.name = "oil temp";
  error_of([&] { validate(m); });
  m.name = "";
  error_of([&] { validate(m); });
  MeterRule r;
  r.kind = MeterRuleKind::every;
  r.value = 0;
  EXPECT_NE(error_of([&] { validate(r); }).find("above 0"), std::string::npos);
  r.value = 250;
  EXPECT_NO_THROW(validate(r));
  r.priority = 5;
  error_of([&] { validate(r); });
  Meter hours;
  hours.name = "hours";
  hours.unit = "h";
  r.priority = 2;
  EXPECT_EQ(rule_task_title(r, hours, "en"), "Meter service: hours every 250 h");
  EXPECT_EQ(rule_task_title(r, hours, "fr"), "Entretien au compteur hours tous les 250 h");
  EXPECT_NE(rule_task_description(r, hours, 251, "en").find("reading 251 h"), std::string::npos);
}

TEST(FailureCodes, Validation) {
  FailureCode c{FailureCodeId(1), FailureCodeKind::problem, "ELP", "External leakage", "Fuite externe"};
  EXPECT_NO_THROW(validate(c));
  EXPECT_EQ(label(c, "fr"), "Fuite externe");
  EXPECT_EQ(label(c, "en"), "External leakage");
  c.code = "elp";
  error_of([&] { validate(c); });
  c.code = "ELP";
  c.label_fr = "";
  error_of([&] { validate(c); });
}
