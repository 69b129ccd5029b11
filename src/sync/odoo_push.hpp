#pragma once
// Delivering outbox messages to Odoo. Visor ids in the payloads are resolved
// to Odoo ids at send time; what Visor creates in Odoo carries a reference
// ("VSR-…", see odoo_mapping.hpp) so that an uncertain attempt is checked
// before it is repeated (docs/decisions/0005-sync-idempotency.md); a write
// is compared field by field with what Odoo holds now, and conflicts follow
// docs/decisions/0004-sync-conflicts.md.
//
//   maintenance.request create        search the reference (if uncertain), else create; link
//   maintenance.request write         read, decide per field, write what is ours to send
//   maintenance.request unlink        unlink; already gone is success
//   maintenance.request message_post  search the reference (if uncertain), else post a note
//   res.users create                  search the login, else create; link
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/links.hpp"
#include "sync/odoo_session.hpp"
#include "sync/sync_metrics.hpp"
#include "util/clock.hpp"

namespace visor::sync {

class OdooPusher {
 public:
  OdooPusher(OdooSession& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock,
             SyncMetrics* metrics);

  bool needs_intent(const storage::OutboxMessage& m) const;
  Delivery deliver(const storage::OutboxMessage& m, bool uncertain);

 private:
  Delivery create_request(const storage::OutboxMessage& m, const boost::json::object& payload, bool uncertain);
  Delivery write_request(const storage::OutboxMessage& m, const boost::json::object& payload);
  Delivery unlink_request(const boost::json::object& payload);
  Delivery post_note(const storage::OutboxMessage& m, const boost::json::object& payload, bool uncertain);
  Delivery create_user(const boost::json::object& payload);
  std::optional<std::int64_t> find_by_ref(const std::string& ref);
  void link_task(TaskId id, OdooId odoo);

  OdooSession& odoo_;
  storage::Store& store_;
  events::EventBus& bus_;
  const IClock& clock_;
  SyncMetrics* metrics_;
  Links links_;
};

}  // namespace visor::sync
