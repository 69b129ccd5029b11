#include "sync/odoo_connector.hpp"

#include "sync/odoo_mapping.hpp"

namespace visor::sync {

OdooConnector::OdooConnector(odoo::ConnectionOptions options, storage::Store& store, events::EventBus& bus,
                             const IClock& clock, SyncMetrics* metrics, PullOptions pull_options,
                             std::shared_ptr<odoo::HttpClient> http)
    : session_(std::move(options), std::move(http)),
      puller_(session_, store, bus, clock, metrics, pull_options),
      pusher_(session_, store, bus, clock, metrics) {}

void OdooConnector::probe() {
  session_.connect();
  for (auto model : {odoo_map::kRequestModel, odoo_map::kEquipmentModel, odoo_map::kStageModel})
    session_.call(model, "search_count", {{"domain", boost::json::array{}}});
}

ModelPull OdooConnector::pull(const std::string& model) {
  session_.connect();
  return puller_.pull(model);
}

ModelPull OdooConnector::reconcile(const std::string& model) {
  session_.connect();
  return puller_.reconcile(model);
}

Delivery OdooConnector::deliver(const storage::OutboxMessage& m, bool uncertain) {
  session_.connect();
  return pusher_.deliver(m, uncertain);
}

}  // namespace visor::sync
