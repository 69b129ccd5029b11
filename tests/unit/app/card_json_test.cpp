// The task card as the API writes it (api::card_json): every member, with
// its value, through a real JSON parser.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/json_write.hpp"
#include "services/task_detail.hpp"
#include "util/time.hpp"

using namespace visor;
namespace json = boost::json;

namespace {

services::TaskDetail sample() {
  services::TaskDetail d;
  Task& t = d.row.task;
  t.id = TaskId{42};
  t.odoo_id = OdooId{7};
  t.title = "Pump \"P-7\" seal";
  t.priority = 3;
  t.execution = Execution::in_progress;
  t.stage_id = StageId{2};
  t.equipment_id = EquipmentId{5};
  t.assignee_id = UserId{9};
  t.schedule_start = *parse_iso8601("2026-12-03T08:00:00Z");
  t.description = "Leaks\nat night";
  t.instructions = {InstructionKind::text, "<p>Lock out.</p><ol><li>Drain</li></ol>", ""};
  t.version = 4;
  t.created_at = *parse_iso8601("2026-12-01T10:00:00Z");
  t.updated_at = *parse_iso8601("2026-12-03T08:05:00Z");
  d.row.stage_name = "In progress";
  d.row.equipment_name = "Pump P-7";
  d.row.equipment_location = "Hall 2";
  d.row.equipment_code = "EQ-5";
  d.row.assignee_name = "Alice";
  d.row.steps_total = 2;
  d.row.steps_done = 1;
  Step drain;
  drain.number = 1;
  drain.text = "Drain";
  drain.done = true;
  drain.note = "slow";
  drain.done_at = *parse_iso8601("2026-12-03T08:10:00Z");
  drain.done_by = UserId{9};
  Step measure;
  measure.number = 2;
  measure.text = "Measure pressure (bar)";
  measure.kind = StepKind::number;
  measure.wants_value = true;
  measure.unit = "bar";
  d.steps = {drain, measure};
  WorkLogEntry started;
  started.id = 11;
  started.kind = WorkLogKind::started;
  started.at = *parse_iso8601("2026-12-03T08:05:00Z");
  started.user_id = UserId{9};
  started.client_action_id = "hud-1";
  WorkLogEntry done = started;
  done.id = 12;
  done.kind = WorkLogKind::step_done;
  done.step = 1;
  done.client_action_id.clear();
  d.log = {started, done};
  d.summary = "Lock out.";
  d.safety = {"Safety: gloves"};
  d.time_on_tool = std::chrono::seconds(300);
  return d;
}

}  // namespace

TEST(CardJson, WritesEveryMemberWithItsValue) {
  const json::value card = json::parse(api::card_json(sample(), *parse_iso8601("2026-12-03T09:00:00Z")));
  EXPECT_EQ(card.at("id").as_int64(), 42);
  EXPECT_EQ(card.at("odoo_id").as_int64(), 7);
  EXPECT_EQ(card.at("title").as_string(), "Pump \"P-7\" seal");
  EXPECT_EQ(card.at("execution").as_string(), "in_progress");
  EXPECT_EQ(card.at("stage").at("name").as_string(), "In progress");
  EXPECT_EQ(card.at("equipment").at("code").as_string(), "EQ-5");
  EXPECT_EQ(card.at("assignee").at("name").as_string(), "Alice");
  EXPECT_TRUE(card.at("team_id").is_null());
  EXPECT_EQ(card.at("schedule_start").as_string(), "2026-12-03T08:00:00Z");
  EXPECT_TRUE(card.at("schedule_end").is_null());
  EXPECT_EQ(card.at("steps").at("total").as_int64(), 2);
  EXPECT_EQ(card.at("steps").at("done").as_int64(), 1);
  EXPECT_EQ(card.at("description").as_string(), "Leaks\nat night");
  EXPECT_EQ(card.at("instructions").at("kind").as_string(), "text");
  EXPECT_EQ(card.at("instructions").at("summary").as_string(), "Lock out.");
  EXPECT_EQ(card.at("safety").as_array().size(), 1u);
  EXPECT_EQ(card.at("recurrence").at("unit").as_string(), "week");
  EXPECT_TRUE(card.at("recurrence").at("until").is_null());

  const json::array& steps = card.at("step_list").as_array();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].at("done_at").as_string(), "2026-12-03T08:10:00Z");
  EXPECT_EQ(steps[0].at("done_by").as_int64(), 9);
  EXPECT_EQ(steps[0].at("note").as_string(), "slow");
  EXPECT_TRUE(steps[1].at("wants_value").as_bool());
  EXPECT_EQ(steps[1].at("unit").as_string(), "bar");
  EXPECT_TRUE(steps[1].at("done_by").is_null());

  const json::array& log = card.at("work_log").as_array();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("kind").as_string(), "started");
  EXPECT_EQ(log[0].at("client_action_id").as_string(), "hud-1");
  EXPECT_TRUE(log[0].at("step").is_null());
  EXPECT_EQ(log[1].at("step").as_int64(), 1);
  EXPECT_FALSE(log[1].as_object().contains("client_action_id"));
  EXPECT_TRUE(log[1].at("media_id").is_null());

  EXPECT_EQ(card.at("time_on_tool_seconds").as_int64(), 300);
  EXPECT_TRUE(card.at("reported_by").is_null());
  EXPECT_EQ(card.at("created_at").as_string(), "2026-12-01T10:00:00Z");
}
