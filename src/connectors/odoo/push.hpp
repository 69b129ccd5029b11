#pragma once
// Delivering outbox messages to Odoo: each message, written in Visor's terms
// (sync/changes.hpp), is translated here. Visor ids are resolved to Odoo ids
// at send time; what Visor creates in Odoo carries a reference ("VSR-…", see
// mapping.hpp) so that an uncertain attempt is checked before it is repeated
// (docs/decisions/0005-sync-idempotency.md); a write is compared field by
// field with what Odoo holds now, and conflicts follow
// docs/decisions/0004-sync-conflicts.md. Task values come from the one
// mapping in task_values.hpp; chatter notes from chatter.hpp.
//
//   task create   search the reference (if uncertain), else create; link
//   task update   read, decide per field, write what is ours to send
//   task delete   unlink; already gone is success
//   task note     search the reference (if uncertain), else message_post naming the person
//   user create   search the login, else create; link
#include "connectors/odoo/session.hpp"
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/links.hpp"
#include "sync/sync_metrics.hpp"
#include "sync/task_fields.hpp"
#include "util/clock.hpp"

namespace visor::odoo {

class Pusher {
 public:
  Pusher(Session& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock, sync::SyncMetrics* metrics);

  bool needs_intent(const storage::OutboxMessage& m) const;
  sync::Delivery deliver(const storage::OutboxMessage& m, bool uncertain);

 private:
  sync::Delivery create_request(const storage::OutboxMessage& m, const boost::json::object& payload, bool uncertain);
  sync::Delivery write_request(const boost::json::object& payload);
  sync::Delivery unlink_request(const boost::json::object& payload);
  sync::Delivery post_note(const storage::OutboxMessage& m, const boost::json::object& payload, bool uncertain);
  sync::Delivery create_user(const boost::json::object& payload);
  std::optional<std::int64_t> find_by_ref(const std::string& ref);
  void link_task(TaskId id, OdooId odoo);
  void record_conflicts(TaskId id, const boost::json::object& values, std::vector<storage::Conflict>& conflicts,
                        const std::vector<std::pair<sync::TaskField, boost::json::value>>& take_remote);

  Session& odoo_;
  storage::Store& store_;
  events::EventBus& bus_;
  const IClock& clock_;
  sync::SyncMetrics* metrics_;
  sync::Links links_;
};

}  // namespace visor::odoo
