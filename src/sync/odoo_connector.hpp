#pragma once
// The Odoo connector: an OdooSession, the puller and the pusher behind the
// engine's Connector interface.
#include <memory>

#include "sync/connector.hpp"
#include "sync/odoo_pull.hpp"
#include "sync/odoo_push.hpp"

namespace visor::sync {

class OdooConnector final : public Connector {
 public:
  OdooConnector(odoo::ConnectionOptions options, storage::Store& store, events::EventBus& bus, const IClock& clock,
                SyncMetrics* metrics, PullOptions pull_options = {},
                std::shared_ptr<odoo::HttpClient> http = nullptr);

  std::string describe() const override { return session_.describe(); }
  void connect() override { session_.connect(); }
  void disconnect() override { session_.disconnect(); }
  void probe() override;
  std::vector<std::string> models() const override { return OdooPuller::models(); }
  ModelPull pull(const std::string& model) override;
  ModelPull reconcile(const std::string& model) override;
  bool needs_intent(const storage::OutboxMessage& m) const override { return pusher_.needs_intent(m); }
  Delivery deliver(const storage::OutboxMessage& m, bool uncertain) override;

 private:
  OdooSession session_;
  OdooPuller puller_;
  OdooPusher pusher_;
};

}  // namespace visor::sync
