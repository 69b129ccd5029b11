// The engine's outbox bookkeeping against a scripted connector: order per
// record, backoff, parking, intent records, alerts, waiting, recovery.
#include <boost/json/parse.hpp>

#include <deque>
#include <functional>

#include "events/bus.hpp"
#include "store_fixture.hpp"
#include "sync/connector_settings.hpp"
#include "sync/engine.hpp"

namespace visor::sync {
namespace {

using Outcome = std::function<Delivery(const storage::OutboxMessage&, bool uncertain)>;

// A connector whose deliveries and pulls follow a script.
class FakeConnector final : public Connector {
 public:
  struct Call {
    std::int64_t id;
    std::string record_key;
    bool uncertain;
    int attempts_in_store;
  };
  std::vector<Call> calls;
  std::deque<Outcome> script;  // one per delivery; empty → delivered
  std::function<void()> on_pull;
  storage::Store* store = nullptr;
  int pulls = 0;

  std::string describe() const override { return "Fake CMMS"; }
  void connect() override {}
  void disconnect() override {}
  void probe() override {}
  std::vector<std::string> models() const override { return {"fake.model"}; }
  ModelPull pull(const std::string& model) override {
    ++pulls;
    if (on_pull) on_pull();
    return ModelPull{model};
  }
  ModelPull reconcile(const std::string& model) override { return ModelPull{model}; }
  bool needs_intent(const storage::OutboxMessage& m) const override { return m.operation == "create"; }
  Delivery deliver(const storage::OutboxMessage& m, bool uncertain) override {
    int attempts = -1;
    if (store) {
      store->read([&](storage::Tx& tx) {
        for (const auto& x : tx.outbox().list(std::nullopt, 1000))
          if (x.id == m.id) attempts = x.attempts;
      });
    }
    calls.push_back({m.id, m.record_key, uncertain, attempts});
    if (script.empty()) return Delivery{};
    Outcome next = std::move(script.front());
    script.pop_front();
    return next(m, uncertain);
  }
};

Outcome fail_with(CmmsError::Kind kind, bool retryable, std::string admin = {}) {
  return [=](const storage::OutboxMessage&, bool) -> Delivery {
    throw CmmsError(kind, retryable, "scripted " + std::string(to_string(kind)), admin);
  };
}

class EngineTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    bus_ = events::make_local_bus();
    EngineOptions o;
    o.unit_random = [] { return 0.0; };
    o.backoff = BackoffPolicy{std::chrono::milliseconds(2000), std::chrono::milliseconds(60000)};
    engine_ = std::make_unique<Engine>(*store_, *bus_, clock_, registry_, auth::SecretBox::open_or_create(auth::default_key_file(dir_)), o,
                                       [this](const odoo::ConnectionOptions&) {
                                         auto c = std::make_unique<FakeConnector>();
                                         c->store = store_.get();
                                         fake_ = c.get();
                                         return c;
                                       });
    ConnectorUpdate u;
    u.url = "http://127.0.0.1:9";
    u.secret = Secret("k");
    store_->write([&](storage::Tx& tx) { save_connector(tx, u, engine_->secret_box()); });
    // The connector is built on the first cycle; script it before that.
    engine_->run_once(false);
    ASSERT_NE(fake_, nullptr);
  }

  void TearDown() override {
    engine_.reset();  // before the store it releases its lease in
    StoreTest::TearDown();
  }

  std::int64_t enqueue(const std::string& key, const std::string& op = "write") {
    storage::OutboxMessage m;
    m.record_key = key;
    m.model = "maintenance.request";
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

  metrics::Registry registry_;
  std::unique_ptr<events::EventBus> bus_;
  std::unique_ptr<Engine> engine_;
  FakeConnector* fake_ = nullptr;
  int seq_ = 0;
};

TEST_F(EngineTest, DeliversEverythingInOrderPerRecord) {
  const auto a1 = enqueue("task:1", "create");
  const auto b1 = enqueue("task:2");
  const auto a2 = enqueue("task:1");
  const auto a3 = enqueue("task:1", "message_post");
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

TEST_F(EngineTest, LeaseKeepsASecondInstanceOut) {
  Engine other(*store_, *bus_, clock_, registry_, auth::SecretBox::open_or_create(auth::default_key_file(dir_)), EngineOptions{.instance_id = "other"},
               [](const odoo::ConnectionOptions&) { return std::make_unique<FakeConnector>(); });
  const CycleReport r = other.run_once(false);
  EXPECT_FALSE(r.lease);
  EXPECT_TRUE(engine_->run_once(false).lease);
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
