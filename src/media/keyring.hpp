#pragma once
// The media data keys: the keys photos (and any other stored file) are
// encrypted with. They are random, numbered by generation (a sealed file's
// header names its generation), and kept in the store's settings as
// "media.key.<generation>", each wrapped (XChaCha20-Poly1305) under the
// media subkey derived from the deployment's secret key (KeyPurpose::
// media_keyring). Decision 0019.
//
// So the media folder alone, or the media and the database without the
// secret key, reveal nothing; and rotating the secret key re-wraps these
// few keys in the same transaction that re-seals the other secrets, instead
// of re-encrypting every photo while a running server still writes new ones
// under the old key.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/secret_box.hpp"
#include "storage/store.hpp"

namespace visor::media {

/// Setting keys: "media.key.<generation>".
inline constexpr std::string_view kMediaKeyPrefix = "media.key.";
/// Setting: "refused" once every stored file is encrypted (new deployments,
/// and after `visor migrate` encrypted the older ones): a plain file found
/// in the media folder is then refused instead of served.
inline constexpr std::string_view kPlainFilesSetting = "media.plain_files";

class MediaKeys {
 public:
  /// The key of `generation`, or nullptr when this deployment has none.
  const auth::KeyBytes* find(std::uint32_t generation) const;
  /// The generation new files are written under (the highest).
  std::uint32_t current_generation() const;
  const auth::KeyBytes& current() const;
  bool empty() const { return keys_.empty(); }

  /// For tests and tooling: a keyring holding `key` as `generation`.
  void add(std::uint32_t generation, const auth::KeyBytes& key) { keys_[generation] = key; }

 private:
  std::map<std::uint32_t, auth::KeyBytes> keys_;
};

/// Opens the media keys under `master`, creating generation 1 when the
/// store has none. Error(invalid_input) naming the setting when one does not
/// open (the store's keys were wrapped under another secret key).
MediaKeys open_media_keys(storage::Tx& tx, const auth::SecretBox& master);

/// The media key settings that `master` cannot open (empty: all open).
std::vector<std::string> unopenable_media_keys(storage::Tx& tx, const auth::SecretBox& master);

/// Re-wraps every media key from `from` to `to` (key rotation), in the
/// caller's transaction; returns how many. Error(invalid_input) naming the
/// first one `from` cannot open (the caller's transaction then rolls back).
int rewrap_media_keys(storage::Tx& tx, const auth::SecretBox& from, const auth::SecretBox& to);

/// Whether plain files in the media folder are refused (see
/// kPlainFilesSetting), and recording that they are.
bool plain_files_refused(storage::Tx& tx);
void refuse_plain_files(storage::Tx& tx);

}  // namespace visor::media
