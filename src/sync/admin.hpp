#pragma once
// The sync's administration use cases, shared by the API
// (http/handlers/sync_handlers.cpp) and the CLI (`visor connector …`,
// `visor sync …`): plain functions over the store, each one transaction,
// audited. Handlers only parse and serialise.
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/secret_box.hpp"
#include "storage/store.hpp"
#include "sync/connector_settings.hpp"

namespace visor::sync {

/// Who acts, for the audit log.
struct AdminActor {
  std::optional<UserId> user;
  std::string label;  // login or "cli"
  std::string remote_addr;
};

ConnectorSettings get_connector(storage::Store& store);
/// Validates and stores; audits "connector.update" with the changed setting
/// names (never the secret's value).
ConnectorSettings put_connector(storage::Store& store, const auth::SecretBox& box, const ConnectorUpdate& update,
                                const AdminActor& actor, TimePoint now);
/// The API's form of the settings: `secret_set` instead of the secret.
boost::json::object to_json(const ConnectorSettings& settings);

std::vector<storage::OutboxMessage> list_outbox(storage::Store& store, std::optional<storage::OutboxStatus> status,
                                                int limit);
/// Puts a parked message back in the queue (conflict if it is not parked).
void requeue(storage::Store& store, std::int64_t id, const AdminActor& actor, TimePoint now);
boost::json::object to_json(const storage::OutboxMessage& m);

std::vector<storage::Conflict> list_conflicts(storage::Store& store, bool unreviewed_only, int limit);
void review_conflict(storage::Store& store, std::int64_t id, const AdminActor& actor, TimePoint now);

}  // namespace visor::sync
