#pragma once
// A CMMS for the engine's units: a connector whose deliveries, pulls and
// reconciles follow a script, and a driver that builds it. The engine knows
// no more of a CMMS than this.
#include <deque>
#include <functional>
#include <map>

#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/errors.hpp"

namespace visor::sync::testing {

using Outcome = std::function<Delivery(const storage::OutboxMessage&, bool uncertain)>;

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
  /// What reconcile answers per model (default: nothing gone); may throw.
  std::map<std::string, std::function<Reconciliation()>> reconciles;
  storage::Store* store = nullptr;
  int pulls = 0;

  std::string describe() const override { return "Fake CMMS 1.0"; }
  void connect() override {}
  void disconnect() override {}
  Probe probe() override { return Probe{"Fake CMMS 1.0", {{"fake.model", 3}}, {}}; }
  std::vector<std::string> models() const override { return {"fake.machine", "fake.model"}; }
  ModelPull pull(const std::string& model) override {
    ++pulls;
    if (on_pull) on_pull();
    return ModelPull{model};
  }
  Reconciliation reconcile(const std::string& model) override {
    if (auto it = reconciles.find(model); it != reconciles.end()) return it->second();
    Reconciliation r;
    r.pull.model = model;
    return r;
  }
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

/// Builds FakeConnectors and remembers the last one; settings need an
/// http(s) URL, a secret, and protocol "auto" or "fast".
class FakeDriver final : public ConnectorDriver {
 public:
  storage::Store* store = nullptr;
  mutable FakeConnector* last = nullptr;

  std::string name() const override { return "Fake"; }
  std::vector<std::string> protocols() const override { return {"auto", "fast"}; }
  std::vector<std::string> problems(const ConnectionSettings& s, bool has_secret) const override {
    std::vector<std::string> out;
    if (s.url.rfind("http", 0) != 0) out.emplace_back("The URL must start with http:// or https://.");
    if (!has_secret) out.emplace_back("The API key is missing.");
    if (s.protocol != "auto" && s.protocol != "fast") out.emplace_back("protocol must be auto or fast.");
    return out;
  }
  std::unique_ptr<Connector> make(const ConnectionSettings&) const override {
    auto c = std::make_unique<FakeConnector>();
    c->store = store;
    last = c.get();
    return c;
  }
};

inline Outcome fail_with(CmmsError::Kind kind, bool retryable, std::string admin = {}) {
  return [=](const storage::OutboxMessage&, bool) -> Delivery {
    throw CmmsError(kind, retryable, "scripted " + std::string(to_string(kind)), admin);
  };
}

}  // namespace visor::sync::testing
