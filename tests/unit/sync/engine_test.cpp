// The engine's outbox bookkeeping against a scripted connector: order per
// record, backoff, parking, intent records, alerts, waiting, recovery, the
// lease, and what it reports.
#include <boost/json/parse.hpp>

#include "engine_fixture.hpp"

namespace visor::sync {
namespace {

using testing::fail_with;
using testing::FakeConnector;

class EngineTest : public testing::EngineFixture {
 protected:
  std::int64_t enqueue(const std::string& key, const std::string& op = "update") {
    storage::OutboxMessage m;
    m.record_key = key;
    m.model = "task";
    m.operation = op;
    m.idempotency_key = "k" + std::to_string(++seq_);
    m.created_at = m.next_attempt_at = clock_.now();
    store_->write([&](storage::Tx& tx) { tx.outbox().enqueue(m); });
    return m.id;
  }

  storage::OutboxMessage message(std::int64_t id) {
    for (const auto& m : outbox())
      if (m.id == id) return m;
    throw std::runtime_error("no message");
  }

  std::vector<std::int64_t> delivered_ids() {
    std::vector<std::int64_t> out;
    for (const auto& c : fake_->calls) out.push_back(c.id);
    return out;
  }

  int seq_ = 0;
};

TEST_F(EngineTest, DeliversEverythingInOrderPerRecord) {
  const auto a1 = enqueue("task:1", "create");
  const auto b1 = enqueue("task:2");
  const auto a2 = enqueue("task:1");
  const auto a3 = enqueue("task:1", "note");
  const auto b2 = enqueue("task:2");
  const CycleReport r = engine_->run_once(false);
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front());
  EXPECT_EQ(r.delivered, 5);
  std::vector<std::int64_t> order_a, order_b;
  for (const auto& c : fake_->calls) (c.record_key == "task:1" ? order_a : order_b).push_back(c.id);
  EXPECT_EQ(order_a, (std::vector<std::int64_t>{a1, a2, a3}));
  EXPECT_EQ(order_b, (std::vector<std::int64_t>{b1, b2}));
  for (const auto& m : outbox()) EXPECT_EQ(m.status, storage::OutboxStatus::delivered);
  EXPECT_EQ(engine_->status().at("outbox").at("pending").as_int64(), 0);
}

TEST_F(EngineTest, RetryableFailureBacksOffAndKeepsOrder) {
  const auto a1 = enqueue("task:1");
  const auto a2 = enqueue("task:1");
  fake_->script.push_back(fail_with(CmmsError::Kind::server, true));
  CycleReport r = engine_->run_once(false);
  EXPECT_EQ(r.retried, 1);
  EXPECT_EQ(delivered_ids(), (std::vector<std::int64_t>{a1}));
  auto m = message(a1);
  EXPECT_EQ(m.status, storage::OutboxStatus::pending);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, clock_.now() + std::chrono::seconds(1));  // 2 s · 2^0, half jittered away
  EXPECT_NE(m.last_error.find("scripted server"), std::string::npos);
  // Not due yet: nothing is attempted, and a2 waits behind a1.
  fake_->calls.clear();
  engine_->run_once(false);
  EXPECT_TRUE(fake_->calls.empty());
  clock_.advance(std::chrono::seconds(1));
  r = engine_->run_once(false);
  EXPECT_EQ(delivered_ids(), (std::vector<std::int64_t>{a1, a2}));
  EXPECT_EQ(message(a2).status, storage::OutboxStatus::delivered);
}

TEST_F(EngineTest, RefusedMessageIsParkedAndHoldsBackItsRecordOnly) {
  const auto a1 = enqueue("task:1");
  const auto a2 = enqueue("task:1");
  const auto b1 = enqueue("task:2");
  fake_->script.push_back(fail_with(CmmsError::Kind::validation, false));
  auto sub = bus_->subscribe(Actor{UserId(1), Role::manager, std::nullopt}, 0, [] {});
  const CycleReport r = engine_->run_once(false);
  EXPECT_EQ(r.parked, 1);
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::failed);
  EXPECT_EQ(message(a2).status, storage::OutboxStatus::pending);
  EXPECT_EQ(message(b1).status, storage::OutboxStatus::delivered);
  bool event = false;
  for (const auto& e : sub->drain().events) event |= e.type == "sync.outbox_failed";
  EXPECT_TRUE(event);
  EXPECT_EQ(engine_->status().at("outbox").at("failed").as_int64(), 1);
  // An operator requeues it: it goes, then the one behind it.
  store_->write([&](storage::Tx& tx) { tx.outbox().requeue(a1, clock_.now()); });
  engine_->run_once(false);
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::delivered);
  EXPECT_EQ(message(a2).status, storage::OutboxStatus::delivered);
}

TEST_F(EngineTest, IntentIsRecordedBeforeANonIdempotentSend) {
  const auto c = enqueue("task:1", "create");
  // The first attempt's answer is lost (dropped connection after Odoo committed).
  fake_->script.push_back(fail_with(CmmsError::Kind::transport, true));
  engine_->run_once(false);
  ASSERT_EQ(fake_->calls.size(), 1u);
  EXPECT_FALSE(fake_->calls[0].uncertain);
  EXPECT_EQ(fake_->calls[0].attempts_in_store, 1);  // written before sending
  EXPECT_EQ(message(c).attempts, 1);
  // Odoo is back: the retry comes at once and knows it must check first.
  engine_->run_once(false);
  ASSERT_EQ(fake_->calls.size(), 2u);
  EXPECT_TRUE(fake_->calls[1].uncertain);
  EXPECT_EQ(message(c).status, storage::OutboxStatus::delivered);
}

TEST_F(EngineTest, ExpiredKeyRaisesAnAlertAndParksNothing) {
  const auto a1 = enqueue("task:1");
  auto sub = bus_->subscribe(Actor{UserId(1), Role::admin, std::nullopt}, 0, [] {});
  fake_->script.push_back(fail_with(CmmsError::Kind::auth, true, "Odoo API key invalid or expired"));
  const CycleReport r = engine_->run_once(false);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::pending);
  const auto status = engine_->status();
  EXPECT_EQ(status.at("state").as_string(), "alert");
  EXPECT_EQ(status.at("alert").at("message").as_string(), "Odoo API key invalid or expired");
  EXPECT_EQ(status.at("failures").at("auth").as_int64(), 1);
  std::string alert;
  for (const auto& e : sub->drain().events)
    if (e.type == "sync.alert") alert = e.data;
  EXPECT_NE(alert.find("Odoo API key invalid or expired"), std::string::npos);
  // Technicians do not see it.
  auto tech = bus_->subscribe(Actor{UserId(2), Role::technician, std::nullopt}, 0, [] {});
  (void)tech;
  // A new key: the next cycle clears the alert and delivers.
  clock_.advance(std::chrono::seconds(2));
  engine_->run_once(false);
  EXPECT_TRUE(engine_->status().at("alert").is_null());
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::delivered);
}

TEST_F(EngineTest, WaitingMessageIsNeitherParkedNorCounted) {
  const auto a1 = enqueue("task:1");
  fake_->script.push_back([](const storage::OutboxMessage&, bool) {
    return Delivery{Delivery::Outcome::wait, "the assignee's Odoo account", std::chrono::seconds(5)};
  });
  engine_->run_once(false);
  auto m = message(a1);
  EXPECT_EQ(m.status, storage::OutboxStatus::pending);
  EXPECT_EQ(m.attempts, 0);
  EXPECT_EQ(m.next_attempt_at, clock_.now() + std::chrono::seconds(5));
  clock_.advance(std::chrono::seconds(5));
  engine_->run_once(false);
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::delivered);
}

TEST_F(EngineTest, AfterAnOutageBackedOffMessagesComeBackAtOnce) {
  const auto a1 = enqueue("task:1");
  const auto b1 = enqueue("task:2");
  fake_->script.push_back(fail_with(CmmsError::Kind::transport, true));
  fake_->on_pull = [] { throw CmmsError(CmmsError::Kind::transport, true, "down"); };
  engine_->run_once(false);
  EXPECT_EQ(message(a1).attempts, 1);
  EXPECT_GT(message(a1).next_attempt_at, clock_.now());
  EXPECT_EQ(message(b1).status, storage::OutboxStatus::pending);  // the round stopped at the outage
  fake_->on_pull = nullptr;  // Odoo is back
  engine_->run_once(false);
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::delivered);
  EXPECT_EQ(message(b1).status, storage::OutboxStatus::delivered);
}

TEST_F(EngineTest, BrokenPayloadNeverLosesTheMessage) {
  const auto a1 = enqueue("task:1");
  fake_->script.push_back([](const storage::OutboxMessage&, bool) -> Delivery { throw std::runtime_error("bug"); });
  const CycleReport r = engine_->run_once(false);
  EXPECT_EQ(r.retried, 1);
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::pending);
}

TEST_F(EngineTest, LeaseKeepsASecondInstanceOutAndIsReleasedOnlyByItsHolder) {
  const auto lease = [&] {
    return store_->read_value([](storage::Tx& tx) { return tx.settings().get("sync.lease").value_or(""); });
  };
  const std::string held = lease();
  ASSERT_EQ(held.rfind("test ", 0), 0u);
  {
    auto other = make_engine("other");
    const CycleReport r = other->run_once(false);
    EXPECT_FALSE(r.lease);
    EXPECT_FALSE(r.ok());
    // The other instance reads the holder's state without taking anything.
    EXPECT_EQ(other->status().at("instance").as_string(), "test");
    EXPECT_TRUE(other->status().at("running").as_bool());
  }  // destroyed: it never held the lease, so it leaves it alone
  EXPECT_EQ(lease(), held);
  EXPECT_TRUE(engine_->run_once(false).lease);
  engine_->stop();
  EXPECT_EQ(lease(), "");
}

TEST_F(EngineTest, StatusIsNotOkWhileAMessageIsParked) {
  enqueue("task:1");
  fake_->script.push_back(fail_with(CmmsError::Kind::validation, false));
  engine_->run_once(false);
  EXPECT_EQ(engine_->status().at("state").as_string(), "failing");
  engine_->run_once(false);  // nothing fails any more, but the message stays parked
  EXPECT_EQ(engine_->status().at("state").as_string(), "attention");
  EXPECT_EQ(engine_->status().at("outbox").at("failed").as_int64(), 1);
}

TEST_F(EngineTest, TheLeaseHoldersStateIsReadFromTheStore) {
  // What another process (the CLI) reports: the engine's own state.
  const auto stored = sync_status(*store_, clock_, std::chrono::seconds(10));
  EXPECT_EQ(stored.at("state").as_string(), "ok");
  EXPECT_EQ(stored.at("server").as_string(), "Fake CMMS 1.0");
  EXPECT_FALSE(stored.at("last_success_at").is_null());
  EXPECT_TRUE(stored.at("running").as_bool());
  engine_->stop();
  EXPECT_EQ(sync_status(*store_, clock_, std::chrono::seconds(10)).at("state").as_string(), "stopped");
}

TEST_F(EngineTest, ThreadDeliversSoonAfterATaskEventAndStops) {
  const auto a1 = enqueue("task:1");
  engine_->start();
  EXPECT_TRUE(engine_->running());
  bus_->publish("task.changed", "{}", events::Audience{});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (message(a1).status != storage::OutboxStatus::delivered && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(message(a1).status, storage::OutboxStatus::delivered);
  engine_->stop();
  EXPECT_FALSE(engine_->running());
}

TEST_F(EngineTest, NotConfiguredDoesNothing) {
  store_->write([](storage::Tx& tx) { tx.settings().remove("cmms.url"); tx.settings().put("cmms.revision", "x"); });
  const CycleReport r = engine_->run_once(false);
  EXPECT_FALSE(r.configured);
  EXPECT_EQ(engine_->status().at("state").as_string(), "not_configured");
}

}  // namespace
}  // namespace visor::sync
