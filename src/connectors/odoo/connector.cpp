#include "connectors/odoo/connector.hpp"

namespace visor::odoo {
namespace json = boost::json;
using sync::CmmsError;

namespace {

class Driver final : public sync::ConnectorDriver {
 public:
  Driver(storage::Store& store, events::EventBus& bus, const IClock& clock, metrics::Registry& registry,
         PullOptions pull, std::shared_ptr<HttpClient> http)
      : store_(store), bus_(bus), clock_(clock), metrics_(registry), pull_(pull), http_(std::move(http)) {}

  std::string name() const override { return "Odoo"; }
  std::vector<std::string> protocols() const override { return {"auto", "json2", "xmlrpc"}; }

  std::vector<std::string> problems(const sync::ConnectionSettings& settings, bool has_secret) const override {
    ConnectionOptions o = to_options(settings);
    if (has_secret && o.secret.empty()) o.secret = Secret("set");  // its value is not judged here
    std::vector<std::string> out = o.problems();
    if (!parse_protocol(settings.protocol)) out.insert(out.begin(), "protocol must be auto, json2 or xmlrpc.");
    return out;
  }

  std::unique_ptr<sync::Connector> make(const sync::ConnectionSettings& settings) const override {
    return std::make_unique<OdooConnector>(to_options(settings), store_, bus_, clock_, &metrics_, pull_, http_);
  }

 private:
  storage::Store& store_;
  events::EventBus& bus_;
  const IClock& clock_;
  mutable sync::SyncMetrics metrics_;
  PullOptions pull_;
  std::shared_ptr<HttpClient> http_;
};

}  // namespace

ConnectionOptions to_options(const sync::ConnectionSettings& s) {
  ConnectionOptions o;
  o.url = s.url;
  o.database = s.database;
  o.login = s.login;
  o.secret = s.secret;
  o.protocol = parse_protocol(s.protocol).value_or(Protocol::auto_detect);
  o.verify_tls = s.verify_tls;
  o.ca_file = s.ca_file;
  o.proxy = s.proxy;
  o.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(s.timeout);
  o.connect_timeout = std::min(o.connect_timeout, o.timeout);
  return o;
}

std::unique_ptr<sync::ConnectorDriver> make_driver(storage::Store& store, events::EventBus& bus, const IClock& clock,
                                                   metrics::Registry& registry, PullOptions pull,
                                                   std::shared_ptr<HttpClient> http) {
  return std::make_unique<Driver>(store, bus, clock, registry, pull, std::move(http));
}

OdooConnector::OdooConnector(ConnectionOptions options, storage::Store& store, events::EventBus& bus,
                             const IClock& clock, sync::SyncMetrics* metrics, PullOptions pull_options,
                             std::shared_ptr<HttpClient> http)
    : session_(std::move(options), std::move(http)),
      puller_(session_, store, bus, clock, metrics, pull_options),
      pusher_(session_, store, bus, clock, metrics) {}

// Reads what the work lives in, as the sync will: a key that may log in but
// not see the maintenance records gets empty answers from Odoo, not errors —
// so the counts are said plainly.
sync::Probe OdooConnector::probe() {
  session_.connect();
  sync::Probe out;
  out.server = session_.describe();
  for (auto model : {kRequestModel, kEquipmentModel, kStageModel}) {
    const json::value n = session_.call(model, "search_count", {{"domain", json::array{}}});
    if (!n.is_int64()) throw CmmsError(CmmsError::Kind::protocol, false, std::string(model) + " search_count did not answer a number");
    out.visible[std::string(model)] = n.get_int64();
  }
  // A request and a machine read as the pull reads them: fields and rights.
  for (auto model : {kRequestModel, kEquipmentModel}) {
    json::array fields;
    for (const auto& f : session_.dialect().fields(model)) fields.push_back(json::string(f));
    session_.call(model, "search_read", {{"domain", json::array{}}, {"fields", std::move(fields)}, {"limit", 1}});
  }
  const auto requests = out.visible[std::string(kRequestModel)];
  const auto machines = out.visible[std::string(kEquipmentModel)];
  if (requests == 0 && machines == 0) {
    out.warnings.push_back(
        "But this key sees no maintenance requests and no equipment: if Odoo has some, its user lacks the "
        "Maintenance rights, and nothing would be synced.");
  } else if (requests == 0) {
    out.warnings.push_back("But this key sees no maintenance requests.");
  } else if (machines == 0) {
    out.warnings.push_back("But this key sees no equipment.");
  }
  if (out.visible[std::string(kStageModel)] == 0) out.warnings.push_back("Odoo has no maintenance stages.");
  return out;
}

sync::ModelPull OdooConnector::pull(const std::string& model) {
  session_.connect();
  return puller_.pull(model);
}

sync::Reconciliation OdooConnector::reconcile(const std::string& model) {
  session_.connect();
  return puller_.reconcile(model);
}

sync::Delivery OdooConnector::deliver(const storage::OutboxMessage& m, bool uncertain) {
  session_.connect();
  return pusher_.deliver(m, uncertain);
}

}  // namespace visor::odoo
