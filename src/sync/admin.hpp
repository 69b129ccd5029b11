#pragma once
// The sync's administration use cases, shared by the API
// (http/handlers/sync_handlers.cpp, ops_handlers.cpp) and the CLI
// (`visor connector …`, `visor sync …`): plain functions over SyncServices,
// each one transaction, audited. Handlers and commands only parse and print.
//
// None of them builds an engine: a CLI process never takes or releases the
// running server's sync lease, and reads the server's state from the store.
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/secret_box.hpp"
#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/connector_settings.hpp"
#include "sync/deletion_guard.hpp"
#include "util/clock.hpp"

namespace visor::sync {

class Engine;

/// What the use cases work with, wired in app/.
struct SyncServices {
  storage::Store& store;
  const auth::SecretBox& box;
  const ConnectorDriver& driver;
  const IClock& clock;
  /// The engine of this process (the server's), or null (CLI).
  Engine* engine = nullptr;
  /// The server configuration's poll interval (settings may override it).
  std::chrono::seconds default_poll{10};
};

/// Who acts, for the audit log.
struct AdminActor {
  std::optional<UserId> user;
  std::string label;  // login or "cli"
  std::string remote_addr;
};

ConnectorSettings get_connector(SyncServices& s);
/// Validates and stores; audits "connector.update" with the changed setting
/// names (never the secret's value); wakes the engine.
ConnectorSettings put_connector(SyncServices& s, const ConnectorUpdate& update, const AdminActor& actor);
/// The API's form of the settings: `secret_set` instead of the secret.
boost::json::object to_json(const ConnectorSettings& settings);

/// Tests the stored settings, or `update` merged over them (the stored secret
/// is used when `update` gives none), against the CMMS: version, credentials,
/// and whether the key may read the work — it says plainly when it sees no
/// requests or equipment. {"ok", "server", "message", "visible", "warnings"}.
boost::json::object test_connector(SyncServices& s, const std::optional<ConnectorUpdate>& update = std::nullopt);

/// The status (sync/status.hpp), live from this process's engine if any.
boost::json::object status(SyncServices& s);
/// "Sync now": a full cycle with reconcile (Error(conflict) without an
/// enabled connection, Error(unavailable) without an engine in this process).
void sync_now(SyncServices& s);

std::vector<storage::OutboxMessage> list_outbox(SyncServices& s, std::optional<storage::OutboxStatus> status, int limit);
/// Puts a parked message back in the queue (conflict if it is not parked).
void requeue(SyncServices& s, std::int64_t id, const AdminActor& actor);
boost::json::object to_json(const storage::OutboxMessage& m);

std::vector<storage::Conflict> list_conflicts(SyncServices& s, bool unreviewed_only, int limit);
void review_conflict(SyncServices& s, std::int64_t id, const AdminActor& actor);

/// Deletions the guard holds for an admin.
std::vector<HeldDeletion> held_deletions(SyncServices& s);
/// An admin confirms the held deletions of `model` (all models when unset):
/// the next reconcile (started now when an engine runs here) removes those
/// that are still gone. Audited; returns how many were confirmed;
/// Error(not_found) when nothing is held for `model`.
std::size_t confirm_deletions(SyncServices& s, const std::optional<std::string>& model, const AdminActor& actor);
boost::json::object to_json(const HeldDeletion& h);

}  // namespace visor::sync
