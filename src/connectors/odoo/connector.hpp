#pragma once
// The Odoo connector behind sync/connector.hpp: a Session (version, dialect,
// transport), the Puller and the Pusher; and the driver that validates Odoo
// connection settings and builds connectors — what the composition root
// hands the sync engine when the CMMS is Odoo.
#include <memory>

#include "connectors/odoo/pull.hpp"
#include "connectors/odoo/push.hpp"
#include "sync/connector.hpp"
#include "util/metrics.hpp"

namespace visor::odoo {

class OdooConnector final : public sync::Connector {
 public:
  OdooConnector(ConnectionOptions options, storage::Store& store, events::EventBus& bus, const IClock& clock,
                sync::SyncMetrics* metrics, PullOptions pull_options = {}, std::shared_ptr<HttpClient> http = nullptr);

  std::string describe() const override { return session_.describe(); }
  void connect() override { session_.connect(); }
  void disconnect() override { session_.disconnect(); }
  sync::Probe probe() override;
  std::vector<std::string> models() const override { return Dialect::models(); }
  sync::ModelPull pull(const std::string& model) override;
  sync::Reconciliation reconcile(const std::string& model) override;
  bool needs_intent(const storage::OutboxMessage& m) const override { return pusher_.needs_intent(m); }
  sync::Delivery deliver(const storage::OutboxMessage& m, bool uncertain) override;

 private:
  Session session_;
  Puller puller_;
  Pusher pusher_;
};

/// Odoo connection options for the sync's settings (protocol: auto, json2
/// or xmlrpc; an unknown one is left as auto and reported by problems()).
ConnectionOptions to_options(const sync::ConnectionSettings& settings);

/// The driver for Odoo 16 to 19+. Store, bus, clock and registry must
/// outlive it; `http` (tests) replaces libcurl.
std::unique_ptr<sync::ConnectorDriver> make_driver(storage::Store& store, events::EventBus& bus, const IClock& clock,
                                                   metrics::Registry& registry, PullOptions pull = {},
                                                   std::shared_ptr<HttpClient> http = nullptr);

}  // namespace visor::odoo
