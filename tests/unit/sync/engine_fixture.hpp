#pragma once
// An engine over a fresh store, connected to the scripted CMMS of
// fake_cmms.hpp (built by the first cycle, then reachable as `fake_`).
#include "auth/secret_box.hpp"
#include "events/bus.hpp"
#include "fake_cmms.hpp"
#include "store_fixture.hpp"
#include "sync/connector_settings.hpp"
#include "sync/engine.hpp"

namespace visor::sync::testing {

class EngineFixture : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    bus_ = events::make_local_bus();
    std::array<unsigned char, auth::SecretBox::kKeyBytes> key{};
    box_.emplace(auth::SecretBox::from_key(key));
    driver_.store = store_.get();
    engine_ = make_engine("test");
    ConnectorUpdate u;
    u.url = "http://127.0.0.1:9";
    u.secret = Secret("k");
    store_->write([&](storage::Tx& tx) { save_connector(tx, u, *box_, driver_); });
    // The connector is built on the first cycle; script it after that.
    engine_->run_once(false);
    fake_ = driver_.last;
    ASSERT_NE(fake_, nullptr);
  }

  void TearDown() override {
    engine_.reset();  // before the store it releases its lease in
    StoreTest::TearDown();
  }

  /// Backoff without jitter, 2 s doubling to 60 s.
  std::unique_ptr<Engine> make_engine(const std::string& instance) {
    EngineOptions o;
    o.unit_random = [] { return 0.0; };
    o.backoff = BackoffPolicy{std::chrono::milliseconds(2000), std::chrono::milliseconds(60000)};
    o.instance_id = instance;
    return std::make_unique<Engine>(*store_, *bus_, clock_, registry_, *box_, driver_, o);
  }

  metrics::Registry registry_;
  std::unique_ptr<events::EventBus> bus_;
  std::optional<auth::SecretBox> box_;
  FakeDriver driver_;
  std::unique_ptr<Engine> engine_;
  FakeConnector* fake_ = nullptr;
};

}  // namespace visor::sync::testing
