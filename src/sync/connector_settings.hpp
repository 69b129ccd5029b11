#pragma once
// The CMMS connection as an admin sets it (CLI `visor connector set`, API
// PUT /api/v1/connector), kept in the settings table. The API key is stored
// only sealed with the SecretBox (its key is kept apart, see app/keys.hpp)
// and is never returned, printed or logged: reading the settings back tells
// only whether a secret is set.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/secret_box.hpp"
#include "connectors/odoo/options.hpp"
#include "storage/store.hpp"

namespace visor::sync {

struct ConnectorSettings {
  std::string url;
  std::string database;
  std::string login;
  odoo::Protocol protocol = odoo::Protocol::auto_detect;
  /// Unset: the server configuration's poll interval (default 10 s).
  std::optional<std::chrono::seconds> poll_interval;
  bool verify_tls = true;
  std::string ca_file;
  std::string proxy;
  std::chrono::seconds timeout{30};
  /// Sync runs only while enabled (and sync::kCmmsEnabledKey is then "1").
  bool enabled = true;
  /// Read side only: whether a sealed secret is stored.
  bool has_secret = false;
};

/// A change to the settings: unset members stay as they are.
struct ConnectorUpdate {
  std::optional<std::string> url;
  std::optional<std::string> database;
  std::optional<std::string> login;
  std::optional<odoo::Protocol> protocol;
  std::optional<std::optional<std::chrono::seconds>> poll_interval;
  std::optional<bool> verify_tls;
  std::optional<std::string> ca_file;
  std::optional<std::string> proxy;
  std::optional<std::chrono::seconds> timeout;
  std::optional<bool> enabled;
  std::optional<Secret> secret;
};

/// The stored settings (defaults when nothing is configured).
ConnectorSettings load_connector(storage::Tx& tx);
/// True once a URL has been saved.
bool connector_configured(storage::Tx& tx);
/// Changes with every save (the engine reloads the connector when it does).
std::string connector_revision(storage::Tx& tx);

/// Validates and stores `update` merged over the current settings; seals a
/// new secret with `box`. Sets kCmmsEnabledKey to "1" when the result is
/// enabled and complete, removes it otherwise. Throws Error(invalid_input)
/// listing every problem. Returns the stored settings.
ConnectorSettings save_connector(storage::Tx& tx, const ConnectorUpdate& update, const auth::SecretBox& box);

/// The connection options of the stored settings, the secret unsealed.
/// nullopt when nothing is configured. Throws Error(invalid_input) when the
/// sealed secret cannot be opened (key file replaced).
std::optional<odoo::ConnectionOptions> load_connection(storage::Tx& tx, const auth::SecretBox& box);

/// `settings` merged with `update` as options, for `connector test` before saving.
odoo::ConnectionOptions to_options(const ConnectorSettings& settings, const Secret& secret);

/// Problems of the merged settings, one sentence each (empty when usable).
std::vector<std::string> problems(const ConnectorSettings& settings, bool has_secret);

}  // namespace visor::sync
