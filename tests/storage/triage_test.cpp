// TriageRepository: reports wait pending, oldest first in pages; a decision
// keeps who, when, why and where it went; a deleted task takes its record.
#include "fixture.hpp"

namespace visor::storage::test {
namespace {

class TriageStore : public StoreTest {
 protected:
  TaskId reported(std::int64_t when, const std::string& title = "Leak") {
    const Stage stage = stage_ ? *stage_ : *(stage_ = add_stage("New"));
    const Task t = add_task(new_task(stage.id, title));
    TriageRecord r;
    r.task_id = t.id;
    r.source = when % 2 ? TriageSource::qr_form : TriageSource::glasses;
    r.reported_at = at(when);
    r.device_name = when % 2 ? "" : "Navigator 1";
    store().write([&](Tx& tx) { tx.triage().insert(r); });
    return t.id;
  }
  std::vector<std::int64_t> page(TriageState state, std::optional<std::pair<std::int64_t, std::int64_t>> after, int limit) {
    TriageQuery q;
    q.state = state;
    q.limit = limit;
    if (after) {
      q.after_at = at(after->first);
      q.after_task = after->second;
    }
    std::vector<std::int64_t> ids;
    for (const auto& r : store().read_value([&](Tx& tx) { return tx.triage().list(q); })) ids.push_back(r.task_id.value);
    return ids;
  }
  std::optional<Stage> stage_;
};
VISOR_STORAGE_BACKENDS(TriageStore);

TEST_P(TriageStore, PendingReportsComeOldestFirstInPages) {
  const TaskId late = reported(30);
  const TaskId early = reported(10);
  const TaskId middle = reported(20);
  EXPECT_EQ(page(TriageState::pending, std::nullopt, 10), (std::vector<std::int64_t>{early.value, middle.value, late.value}));
  EXPECT_EQ(page(TriageState::pending, std::make_pair(10, early.value), 1), (std::vector<std::int64_t>{middle.value}));
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.triage().count(TriageState::pending); }), 3);
  const auto got = store().read_value([&](Tx& tx) { return tx.triage().get(early); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state, TriageState::pending);
  EXPECT_EQ(got->source, TriageSource::glasses);
  EXPECT_EQ(got->device_name, "Navigator 1");
  EXPECT_EQ(got->reported_at, at(10));
  EXPECT_FALSE(got->decided_at);
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.triage().get(TaskId{999999}); }));
}

TEST_P(TriageStore, DecisionsKeepWhoWhenWhyAndWhere) {
  const User planner = add_user("planner");
  const TaskId a = reported(10), b = reported(20), into = reported(5, "Original");
  store().write([&](Tx& tx) {
    TriageRecord r = *tx.triage().get(a);
    r.state = TriageState::rejected;
    r.decided_at = at(100);
    r.decided_by = planner.id;
    r.reason = "Cleaning — l'atelier";
    tx.triage().decide(r);
    TriageRecord m = *tx.triage().get(b);
    m.state = TriageState::merged;
    m.decided_at = at(200);
    m.decided_by = planner.id;
    m.merged_into = into;
    tx.triage().decide(m);
  });
  const auto r = *store().read_value([&](Tx& tx) { return tx.triage().get(a); });
  EXPECT_EQ(r.state, TriageState::rejected);
  EXPECT_EQ(r.decided_at, at(100));
  EXPECT_EQ(r.decided_by, planner.id);
  EXPECT_EQ(r.reason, "Cleaning — l'atelier");
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.triage().get(b); })->merged_into, into);
  EXPECT_EQ(page(TriageState::pending, std::nullopt, 10), (std::vector<std::int64_t>{into.value}));
  // Decided ones: newest first.
  EXPECT_EQ(page(TriageState::rejected, std::nullopt, 10), (std::vector<std::int64_t>{a.value}));
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.triage().count(TriageState::merged); }), 1);

  // Deleting the task deletes its record; the one merged into it forgets it.
  store().write([&](Tx& tx) { tx.tasks().remove(into); });
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.triage().get(into); }));
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.triage().get(b); })->merged_into);
}

TEST_P(TriageStore, LimitsAreChecked) {
  TriageQuery q;
  q.limit = 0;
  EXPECT_THROW(store().read([&](Tx& tx) { tx.triage().list(q); }), Error);
  q.limit = 201;
  EXPECT_THROW(store().read([&](Tx& tx) { tx.triage().list(q); }), Error);
}

}  // namespace
}  // namespace visor::storage::test
