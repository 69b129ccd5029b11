#pragma once
// The CMMS connection as an admin sets it (CLI `visor connector set`, API
// PUT /api/v1/connector), kept in the settings table. The API key is stored
// only sealed with the SecretBox (key file <data_dir>/secret.key, mode 0600)
// and is never returned, printed or logged: reading the settings back tells
// only whether a secret is set.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/secret_box.hpp"
#include "storage/store.hpp"
#include "sync/connector.hpp"

namespace visor::sync {

/// Where the key sealing the connector secret lives.
std::filesystem::path secret_key_file(const std::filesystem::path& data_dir);

/// The mass-deletion guard: a reconcile that would remove more than
/// `share_percent` % of a model's linked records (and at least two), or more
/// than `max_records` of them, holds until an admin confirms (sync/deletion_guard.hpp).
struct DeletionGuard {
  int share_percent = 20;
  int max_records = 50;
};

struct ConnectorSettings {
  std::string url;
  std::string database;
  std::string login;
  std::string protocol = "auto";  // the driver's values (Odoo: auto, json2, xmlrpc)
  /// Unset: the server configuration's poll interval (default 10 s).
  std::optional<std::chrono::seconds> poll_interval;
  bool verify_tls = true;
  std::string ca_file;
  std::string proxy;
  std::chrono::seconds timeout{30};
  /// Sync runs only while enabled; changes are recorded for the CMMS while it
  /// is configured, enabled or not (sync/changes.hpp).
  bool enabled = true;
  DeletionGuard guard;
  /// Read side only: whether a sealed secret is stored.
  bool has_secret = false;
};

/// A change to the settings: unset members stay as they are.
struct ConnectorUpdate {
  std::optional<std::string> url;
  std::optional<std::string> database;
  std::optional<std::string> login;
  std::optional<std::string> protocol;
  std::optional<std::optional<std::chrono::seconds>> poll_interval;
  std::optional<bool> verify_tls;
  std::optional<std::string> ca_file;
  std::optional<std::string> proxy;
  std::optional<std::chrono::seconds> timeout;
  std::optional<bool> enabled;
  std::optional<int> guard_share_percent;
  std::optional<int> guard_max_records;
  std::optional<Secret> secret;
};

/// The stored settings (defaults when nothing is configured).
ConnectorSettings load_connector(storage::Tx& tx);
/// True once a URL has been saved.
bool connector_configured(storage::Tx& tx);
/// Changes with every save (the engine reloads the connector when it does).
std::string connector_revision(storage::Tx& tx);

/// `update` merged over `settings` (the secret is not part of the settings).
ConnectorSettings merged(ConnectorSettings settings, const ConnectorUpdate& update);

/// Validates and stores `update` merged over the current settings; seals a
/// new secret with `box`. `driver` judges the connection part. Throws
/// Error(invalid_input) listing every problem once. Returns the stored settings.
ConnectorSettings save_connector(storage::Tx& tx, const ConnectorUpdate& update, const auth::SecretBox& box,
                                 const ConnectorDriver& driver);

/// The stored secret, unsealed (nullopt when none is stored). Throws
/// Error(invalid_input) when it cannot be opened (key file replaced).
std::optional<Secret> load_secret(storage::Tx& tx, const auth::SecretBox& box);

/// The connection of the stored settings, the secret unsealed; nullopt when
/// nothing is configured.
std::optional<ConnectionSettings> load_connection(storage::Tx& tx, const auth::SecretBox& box);

/// `settings` with `secret`, as a connector takes them.
ConnectionSettings to_connection(const ConnectorSettings& settings, const Secret& secret);

/// Problems of the merged settings, one sentence each, each said once
/// (empty when usable).
std::vector<std::string> problems(const ConnectorSettings& settings, bool has_secret, const ConnectorDriver& driver);

}  // namespace visor::sync
