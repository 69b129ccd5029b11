// Triage of reported faults: the inbox and its count, the three decisions
// with their checks, and what each decision tells the CMMS through the
// outbox (the task's own update — stage or archive — and a triage note).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "fixture.hpp"
#include "services/tasks.hpp"
#include "services/triage.hpp"

namespace visor::services::test {
namespace {
namespace json = boost::json;

class Triage : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    store_->write([&](storage::Tx& tx) {
      Equipment e;
      e.name = "Press 1";
      e.code = "M-1";
      e.updated_at = kNow;
      tx.equipment().insert(e);
      machine_ = e.id;
    });
  }

  TaskId report_public(const std::string& title) {
    auto d = deps();
    return report_problem_public(d, "10.0.0.9", ProblemReport{"M-1", title, "Puddle, 20 cm.", 2, "Jo"});
  }

  /// Connects a CMMS (its URL is set): changes are recorded for it from now on.
  void connect_cmms() {
    store_->write([&](storage::Tx& tx) { tx.settings().put("cmms.url", "https://odoo.example"); });
  }

  /// The outbox messages of task `id`, oldest first.
  std::vector<storage::OutboxMessage> outbox(TaskId id) {
    std::vector<storage::OutboxMessage> out;
    store_->read([&](storage::Tx& tx) {
      for (auto& m : tx.outbox().list(storage::OutboxStatus::pending, 100))
        if (m.record_key == "task:" + std::to_string(id.value)) out.push_back(m);
    });
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
  }

  TriageRecord record(TaskId id) {
    return *store_->read_value([&](storage::Tx& tx) { return tx.triage().get(id); });
  }

  EquipmentId machine_{0};
};

TEST_F(Triage, ReportsWaitInTheInboxOldestFirstWithTheirSource) {
  auto d = deps();
  const TaskId first = report_public("Puddle");
  clock_.advance(std::chrono::minutes(1));
  const TaskDetail second = report_problem(d, technician(), ProblemReport{"M-1", "Noise", "", 1, ""});
  const TriagePage page = list_triage(d, manager(), TriageState::pending, "", 50);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.pending, 2);
  EXPECT_EQ(page.items[0].record.task_id, first);
  EXPECT_EQ(page.items[0].record.source, TriageSource::qr_form);
  EXPECT_EQ(page.items[0].description, "Puddle, 20 cm.");
  EXPECT_EQ(page.items[1].record.task_id, second.row.task.id);
  EXPECT_EQ(page.items[1].record.source, TriageSource::app);
  EXPECT_EQ(page.items[1].reporter_name, "tina");
  EXPECT_EQ(pending_reports(d, manager()), 2);
  // One a page: the cursor leads to the next.
  const TriagePage one = list_triage(d, manager(), TriageState::pending, "", 1);
  ASSERT_EQ(one.items.size(), 1u);
  const TriagePage next = list_triage(d, manager(), TriageState::pending, one.next_cursor, 1);
  ASSERT_EQ(next.items.size(), 1u);
  EXPECT_EQ(next.items[0].record.task_id, second.row.task.id);
  EXPECT_TRUE(next.next_cursor.empty());
  expect_error(ErrorCode::invalid_input, [&] { list_triage(d, manager(), TriageState::pending, "x.y", 1); });
  expect_error(ErrorCode::forbidden, [&] { list_triage(d, technician(), TriageState::pending, "", 5); });
  expect_error(ErrorCode::forbidden, [&] { pending_reports(d, technician()); });
}

TEST_F(Triage, ApprovingPlansTheTaskOnceAndTellsTheCmms) {
  auto d = deps();
  const TaskId id = report_public("Puddle");
  connect_cmms();
  Approval a;
  a.assignee_id = std::optional<UserId>(tech_id_);
  a.priority = 3;
  a.stage_id = stages_[1].id;
  a.schedule_start = std::optional<TimePoint>(kNow + std::chrono::hours(20));
  const TaskDetail t = approve_report(d, manager(), id, a);
  EXPECT_EQ(t.row.task.assignee_id, tech_id_);
  EXPECT_EQ(t.row.task.priority, 3);
  EXPECT_EQ(t.row.task.stage_id, stages_[1].id);
  EXPECT_EQ(t.row.task.schedule_end, kNow + std::chrono::hours(21));  // an hour by default
  const TriageRecord r = record(id);
  EXPECT_EQ(r.state, TriageState::approved);
  EXPECT_EQ(r.decided_by, manager_id_);
  EXPECT_EQ(r.decided_at, kNow);
  EXPECT_EQ(pending_reports(d, manager()), 0);

  const auto messages = outbox(id);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].operation, "update");
  const json::object values = json::parse(messages[0].payload).at("values").as_object();
  EXPECT_EQ(values.at("stage_id").as_int64(), stages_[1].id.value);
  EXPECT_EQ(values.at("assignee_id").as_int64(), tech_id_.value);
  EXPECT_EQ(messages[1].operation, "note");
  const json::object note = json::parse(messages[1].payload).as_object();
  EXPECT_EQ(note.at("kind").as_string(), "triage");
  EXPECT_EQ(note.at("decision").as_string(), "approved");
  EXPECT_EQ(note.at("assignee").as_string(), "tina");
  EXPECT_EQ(note.at("stage").as_string(), "Doing");
  EXPECT_EQ(note.at("author_id").as_int64(), manager_id_.value);

  // Decided once: a second decision is a conflict naming who decided.
  try {
    reject_report(d, manager(), id, "late");
    ADD_FAILURE() << "a decided report was decided again";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_NE(e.detail().find("already approved by boss"), std::string::npos) << e.detail();
  }
  expect_error(ErrorCode::forbidden, [&] { approve_report(d, technician(), report_public("Other"), a); });
  TaskChanges plain;
  plain.title = "Planned work";
  const TaskDetail planned = create_task(d, manager(), plain);
  expect_error(ErrorCode::not_found, [&] { approve_report(d, manager(), planned.row.task.id, a); });
}

TEST_F(Triage, RejectingArchivesTheTaskWithItsReason) {
  auto d = deps();
  const TaskId id = report_public("Puddle");
  connect_cmms();
  expect_error(ErrorCode::invalid_input, [&] { reject_report(d, manager(), id, "  "); });
  expect_error(ErrorCode::invalid_input, [&] { reject_report(d, manager(), id, std::string(501, 'x')); });
  const TaskDetail t = reject_report(d, manager(), id, "Cleaning, not maintenance.");
  EXPECT_TRUE(t.row.task.archived);
  EXPECT_EQ(record(id).state, TriageState::rejected);
  EXPECT_EQ(record(id).reason, "Cleaning, not maintenance.");
  const auto messages = outbox(id);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(json::parse(messages[0].payload).at("values").at("archived").as_bool());
  const json::object note = json::parse(messages[1].payload).as_object();
  EXPECT_EQ(note.at("decision").as_string(), "rejected");
  EXPECT_EQ(note.at("reason").as_string(), "Cleaning, not maintenance.");
}

TEST_F(Triage, MergingJoinsTheReportToAnOpenTask) {
  auto d = deps();
  TaskChanges c;
  c.title = "Hydraulic leak";
  c.equipment_id = std::optional<EquipmentId>(machine_);
  const TaskId target = create_task(d, manager(), c).row.task.id;
  c.title = "Old leak";
  const TaskId closed = create_task(d, manager(), c).row.task.id;
  TaskChanges done;
  done.stage_id = stages_[2].id;
  update_task(d, manager(), closed, done, std::nullopt);
  const TaskId id = report_public("Puddle");
  const TaskId other = report_public("Another puddle");
  connect_cmms();

  expect_error(ErrorCode::invalid_input, [&] { merge_report(d, manager(), id, id); });
  expect_error(ErrorCode::invalid_input, [&] { merge_report(d, manager(), id, TaskId{9999}); });
  expect_error(ErrorCode::conflict, [&] { merge_report(d, manager(), id, closed); });
  expect_error(ErrorCode::conflict, [&] { merge_report(d, manager(), id, other); });  // itself waiting for triage

  const TaskDetail merged = merge_report(d, manager(), id, target);
  EXPECT_EQ(merged.row.task.id, target);
  ASSERT_FALSE(merged.log.empty());
  EXPECT_EQ(merged.log.back().kind, WorkLogKind::note);
  EXPECT_EQ(merged.log.back().text, "Duplicate report merged: Puddle — Puddle, 20 cm. (Jo)");
  EXPECT_TRUE(get_task(d, manager(), id).row.task.archived);
  EXPECT_EQ(record(id).state, TriageState::merged);
  EXPECT_EQ(record(id).merged_into, target);

  const auto dup = outbox(id);
  ASSERT_EQ(dup.size(), 2u);
  EXPECT_TRUE(json::parse(dup[0].payload).at("values").at("archived").as_bool());
  const json::object note = json::parse(dup[1].payload).as_object();
  EXPECT_EQ(note.at("decision").as_string(), "merged");
  EXPECT_EQ(note.at("into_task_id").as_int64(), target.value);
  const auto joined = outbox(target);
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(json::parse(joined[0].payload).at("text").as_string(), "Duplicate report merged: Puddle — Puddle, 20 cm. (Jo)");
}

}  // namespace
}  // namespace visor::services::test
