// AuditRepository, OutboxRepository, SyncStateRepository, settings, media.
#include "fixture.hpp"

namespace visor::storage::test {
namespace {

class Records : public StoreTest {
 protected:
  std::int64_t enqueue(const std::string& key, std::int64_t when = 0, const std::string& op = "write") {
    OutboxMessage m;
    m.record_key = key;
    m.model = "maintenance.request";
    m.operation = op;
    m.payload = R"({"values":{"name":"l'huile"}})";
    m.idempotency_key = "idem-" + key + "-" + std::to_string(when);
    m.created_at = at(when);
    m.next_attempt_at = at(when);
    return store().write_value([&](Tx& tx) { return tx.outbox().enqueue(m); });
  }
  std::vector<std::int64_t> due(std::int64_t now, int limit = 100) {
    std::vector<std::int64_t> ids;
    for (const OutboxMessage& m : store().read_value([&](Tx& tx) { return tx.outbox().due(at(now), limit); }))
      ids.push_back(m.id);
    return ids;
  }
};
VISOR_STORAGE_BACKENDS(Records);

using Ids = std::vector<std::int64_t>;

TEST_P(Records, AuditIsListedNewestFirstWithFilters) {
  const User u = add_user("auditor");
  const auto append = [&](std::string action, std::int64_t when, std::optional<UserId> actor, std::string target) {
    AuditEntry e;
    e.at = at(when);
    e.actor = actor;
    e.actor_label = actor ? "auditor" : "system";
    e.action = std::move(action);
    e.target_type = "task";
    e.target_id = std::move(target);
    e.detail = R"({"field":"title"})";
    e.remote_addr = "10.1.1.1";
    store().write([&](Tx& tx) { tx.audit().append(e); });
    return e.id;
  };
  const std::int64_t a = append("task.create", 10, u.id, "1");
  const std::int64_t b = append("task.update", 20, std::nullopt, "1");
  const std::int64_t c = append("tasks.export", 30, u.id, "2");
  const std::int64_t d = append("user.disable", 40, u.id, "3");
  const auto ids = [&](AuditQuery q) {
    Ids out;
    for (const AuditEntry& e : store().read_value([&](Tx& tx) { return tx.audit().list(q); })) out.push_back(e.id);
    return out;
  };
  EXPECT_EQ(ids({}), (Ids{d, c, b, a}));
  AuditQuery q;
  q.action = "task.";
  EXPECT_EQ(ids(q), (Ids{b, a})) << "a prefix ending in '.'";
  q.action = "task.update";
  EXPECT_EQ(ids(q), Ids{b});
  q.action = "task";
  EXPECT_EQ(ids(q), Ids{}) << "exact otherwise";
  q = {};
  q.actor = u.id;
  EXPECT_EQ(ids(q), (Ids{d, c, a}));
  q = {};
  q.target_type = "task";
  q.target_id = "1";
  EXPECT_EQ(ids(q), (Ids{b, a}));
  q = {};
  q.since = at(20);
  q.until = at(40);
  EXPECT_EQ(ids(q), (Ids{c, b}));
  q = {};
  q.limit = 2;
  EXPECT_EQ(ids(q), (Ids{d, c}));
  q.before_id = c;
  EXPECT_EQ(ids(q), (Ids{b, a}));
  const AuditEntry e = store().read_value([](Tx& tx) { return tx.audit().list({}); }).back();
  EXPECT_EQ(e.at, at(10));
  EXPECT_EQ(e.actor, u.id);
  EXPECT_EQ(e.actor_label, "auditor");
  EXPECT_EQ(e.detail, R"({"field":"title"})");
  EXPECT_EQ(e.remote_addr, "10.1.1.1");
}

TEST_P(Records, OutboxDeliversInOrderPerRecord) {
  const std::int64_t a1 = enqueue("task:1", 0, "create");
  const std::int64_t b1 = enqueue("task:2", 1);
  const std::int64_t a2 = enqueue("task:1", 2);
  const std::int64_t c1 = enqueue("task:3", 50);  // not yet due at 10
  EXPECT_EQ(due(10), (Ids{a1, b1})) << "only the oldest pending message of each record";
  EXPECT_EQ(due(10, 1), Ids{a1});
  store().write([&](Tx& tx) { tx.outbox().mark_delivered(a1, at(11)); });
  EXPECT_EQ(due(10), (Ids{b1, a2}));
  EXPECT_EQ(due(60), (Ids{b1, a2, c1}));

  // A retried message keeps its record's later messages waiting.
  store().write([&](Tx& tx) { tx.outbox().mark_retry(a2, 1, at(100), "timeout"); });
  const std::int64_t a3 = enqueue("task:1", 3);
  EXPECT_EQ(due(60), (Ids{b1, c1}));
  EXPECT_EQ(due(100), (Ids{b1, a2, c1}));
  (void)a3;

  const OutboxMessage m = store().read_value([&](Tx& tx) { return tx.outbox().list(OutboxStatus::pending, 10); })[1];
  EXPECT_EQ(m.id, a2);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, at(100));
  EXPECT_EQ(m.last_error, "timeout");
  EXPECT_EQ(m.record_key, "task:1");
  EXPECT_EQ(m.model, "maintenance.request");
  EXPECT_EQ(m.payload, R"({"values":{"name":"l'huile"}})");
  EXPECT_EQ(m.idempotency_key, "idem-task:1-2");
  EXPECT_EQ(m.created_at, at(2));
  EXPECT_EQ(m.status, OutboxStatus::pending);
  const OutboxMessage delivered = store().read_value([&](Tx& tx) { return tx.outbox().list(OutboxStatus::delivered, 10); }).at(0);
  EXPECT_EQ(delivered.id, a1);
  EXPECT_EQ(delivered.delivered_at, at(11));
}

TEST_P(Records, AParkedMessageHoldsBackItsRecordOnly) {
  const std::int64_t a1 = enqueue("task:1", 0);
  const std::int64_t a2 = enqueue("task:1", 1);
  const std::int64_t b1 = enqueue("task:2", 2);
  store().write([&](Tx& tx) { tx.outbox().mark_failed(a1, "422: field does not exist"); });
  EXPECT_EQ(due(10), Ids{b1}) << "a2 waits behind the parked a1";
  const OutboxStats stats = store().read_value([](Tx& tx) { return tx.outbox().stats(); });
  EXPECT_EQ(stats.pending, 2);
  EXPECT_EQ(stats.failed, 1);
  EXPECT_EQ(stats.oldest_pending, at(1));
  const auto failed = store().read_value([](Tx& tx) { return tx.outbox().list(OutboxStatus::failed, 10); });
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].last_error, "422: field does not exist");

  expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.outbox().requeue(a2, at(5)); }); });
  store().write([&](Tx& tx) { tx.outbox().requeue(a1, at(5)); });
  EXPECT_EQ(due(4), Ids{b1});
  EXPECT_EQ(due(5), (Ids{a1, b1}));
  EXPECT_EQ(store().read_value([](Tx& tx) { return tx.outbox().list(std::nullopt, 2); }).size(), 2u);

  const std::int64_t ghost = b1 + 100;
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.outbox().mark_delivered(ghost, at()); }); });
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.outbox().mark_failed(ghost, "x"); }); });
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.outbox().mark_retry(ghost, 1, at(), ""); }); });
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.outbox().requeue(ghost, at()); }); });
  const OutboxStats empty_after = store().read_value([](Tx& tx) { return tx.outbox().stats(); });
  EXPECT_EQ(empty_after.failed, 0);
}

TEST_P(Records, OutboxStatsOfAnEmptyQueue) {
  const OutboxStats s = store().read_value([](Tx& tx) { return tx.outbox().stats(); });
  EXPECT_EQ(s.pending, 0);
  EXPECT_EQ(s.failed, 0);
  EXPECT_FALSE(s.oldest_pending);
  EXPECT_TRUE(due(1000).empty());
}

TEST_P(Records, SyncWatermarksPullsAndConflicts) {
  store().read([](Tx& tx) {
    const Watermark w = tx.sync().watermark("maintenance.request");
    EXPECT_EQ(w.model, "maintenance.request");
    EXPECT_FALSE(w.write_date);
    EXPECT_TRUE(w.ids_at_mark.empty());
  });
  store().write([](Tx& tx) {
    tx.sync().save_watermark({"maintenance.request", at(100), {7, 9, 12}});
    tx.sync().record_pull("maintenance.request", at(101), false, "timeout");
    tx.sync().record_pull("maintenance.stage", at(101), true, "");
  });
  store().write([](Tx& tx) {
    tx.sync().save_watermark({"maintenance.request", at(200), {3}});
    tx.sync().record_pull("maintenance.request", at(201), true, "");
    tx.sync().record_pull("maintenance.request", at(202), false, "HTTP 502");
  });
  const Stage linked = add_stage("Linked");
  store().write([&](Tx& tx) {
    Stage s = linked;
    s.odoo_id = OdooId(1);
    tx.catalog().save_stage(s);
  });
  store().read([](Tx& tx) {
    const Watermark w = tx.sync().watermark("maintenance.request");
    EXPECT_EQ(w.write_date, at(200));
    EXPECT_EQ(w.ids_at_mark, (std::vector<std::int64_t>{3}));
    const std::vector<PullStatus> pulls = tx.sync().pulls();
    ASSERT_EQ(pulls.size(), 2u);
    EXPECT_EQ(pulls[0].model, "maintenance.request");
    EXPECT_EQ(pulls[0].last_success, at(201));
    EXPECT_EQ(pulls[0].last_attempt, at(202));
    EXPECT_EQ(pulls[0].last_error, "HTTP 502");
    EXPECT_EQ(pulls[0].records, 0);
    EXPECT_EQ(pulls[1].model, "maintenance.stage");
    EXPECT_EQ(pulls[1].last_error, "");
    EXPECT_EQ(pulls[1].records, 1);
  });

  const User reviewer = add_user("rev");
  Conflict c1{0, std::nullopt, "schedule_date", "2026-11-25", "2026-11-26", "cmms_wins", at(1)};
  Conflict c2{0, std::nullopt, "title", "a", "b", "local_kept", at(2)};
  store().write([&](Tx& tx) {
    tx.sync().add_conflict(c1);
    tx.sync().add_conflict(c2);
  });
  store().write([&](Tx& tx) { tx.sync().review_conflict(c1.id, reviewer.id, at(9)); });
  store().read([&](Tx& tx) {
    const auto all = tx.sync().conflicts(false, 10);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, c2.id);  // newest first
    EXPECT_EQ(all[1].reviewed_by, reviewer.id);
    EXPECT_EQ(all[1].reviewed_at, at(9));
    EXPECT_EQ(all[1].local_value, "2026-11-25");
    EXPECT_EQ(all[1].resolution, "cmms_wins");
    const auto open = tx.sync().conflicts(true, 10);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].id, c2.id);
  });
  expect_error(ErrorCode::not_found,
               [&] { store().write([&](Tx& tx) { tx.sync().review_conflict(c2.id + 10, reviewer.id, at()); }); });
}

TEST_P(Records, FormerCmmsLinksAreRememberedPerModel) {
  store().write([](Tx& tx) {
    tx.sync().remember_unlinked("maintenance.equipment", 8, 31, at(1));
    tx.sync().remember_unlinked("maintenance.request", 8, 77, at(1));
    tx.sync().remember_unlinked("maintenance.request", 8, 78, at(2));  // the newer link wins
  });
  store().read([](Tx& tx) {
    EXPECT_EQ(tx.sync().unlinked("maintenance.equipment", 8), 31);
    EXPECT_EQ(tx.sync().unlinked("maintenance.request", 8), 78);
    EXPECT_FALSE(tx.sync().unlinked("maintenance.request", 9));
  });
  store().write([](Tx& tx) { tx.sync().forget_unlinked("maintenance.request", 8); });
  store().read([](Tx& tx) {
    EXPECT_FALSE(tx.sync().unlinked("maintenance.request", 8));
    EXPECT_EQ(tx.sync().unlinked("maintenance.equipment", 8), 31);
  });
}

TEST_P(Records, SettingsAndMedia) {
  store().write([](Tx& tx) {
    tx.settings().put("cmms.enabled", "1");
    tx.settings().put("cmms.url", "https://odoo.example.com");
    tx.settings().put("cmms.enabled", "0");
    tx.settings().remove("cmms.url");
    tx.settings().remove("never.set");
  });
  store().read([](Tx& tx) {
    EXPECT_EQ(tx.settings().get("cmms.enabled"), "0");
    EXPECT_FALSE(tx.settings().get("cmms.url"));
  });

  const Stage stage = add_stage("New");
  const User u = add_user("photographer");
  const Task t = add_task(new_task(stage.id));
  Media m;
  m.task_id = t.id;
  m.content_type = "image/webp";
  m.size = 123456;
  m.sha256 = std::string(64, 'a');
  m.uploaded_by = u.id;
  m.created_at = at(7);
  Media m2 = m;
  store().write([&](Tx& tx) {
    tx.media().insert(m);
    tx.media().insert(m2);
  });
  store().read([&](Tx& tx) {
    const Media got = *tx.media().get(m.id);
    EXPECT_EQ(got.task_id, t.id);
    EXPECT_EQ(got.content_type, "image/webp");
    EXPECT_EQ(got.size, 123456);
    EXPECT_EQ(got.sha256, m.sha256);
    EXPECT_EQ(got.uploaded_by, u.id);
    EXPECT_EQ(got.created_at, at(7));
    EXPECT_EQ(tx.media().for_task(t.id).size(), 2u);
    EXPECT_FALSE(tx.media().get(MediaId(m2.id.value + 1)));
  });
}

}  // namespace
}  // namespace visor::storage::test
