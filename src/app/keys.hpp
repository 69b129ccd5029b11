#pragma once
// The key that seals stored secrets (the CMMS API key), kept apart from the
// data it protects: a copy of the data directory or a backup alone then
// reveals no secret. Where it comes from, first match wins:
//   1. key_file (--key-file, VISOR_KEY_FILE): a file outside the data
//      directory, e.g. /etc/visor/secret.key (mode 0600);
//   2. the systemd credential `visor-secret-key`
//      ($CREDENTIALS_DIRECTORY/visor-secret-key, see deploy/visor.service);
//   3. VISOR_SECRET_KEY: the key as base64 text (read, then removed from the
//      environment so that no child process inherits it);
//   4. <data_dir>/secret.key, created on first use (a quick start; the
//      backup never includes it unless asked).
#include <filesystem>
#include <string>

#include "app/config.hpp"
#include "auth/secret_box.hpp"
#include "storage/store.hpp"

namespace visor::app {

struct KeySource {
  enum class Kind { file, credential, environment, data_dir };
  Kind kind = Kind::data_dir;
  std::filesystem::path path;  // empty for the environment

  /// "the key file /etc/visor/secret.key", "the systemd credential …", …
  std::string describe() const;
  /// True when the key lives in a file Visor may replace (rotation).
  bool is_file() const { return kind == Kind::file || kind == Kind::data_dir; }
};

/// Where the key comes from for `config` (nothing is read yet).
KeySource key_source(const Config& config);

/// Opens the key (creating <data_dir>/secret.key when that is the source
/// and it does not exist yet). Errors name the source and what to do.
auth::SecretBox open_secret_box(const KeySource& source);

/// Checks at start that the key opens the stored secrets, and records a
/// check value under it when none is stored yet. Returns a message for the
/// operator when it does not (naming the secrets, the key's source, and a
/// rotation left half-way if any); empty when all is well.
std::string check_stored_secrets(storage::Store& store, const auth::SecretBox& box, const KeySource& source);

}  // namespace visor::app
