#pragma once
// The media store on the local file system: one file per name under a
// folder (<data_dir>/media), each sealed with the current media key
// (sealed_file.hpp), written to a temporary file, synced and renamed into
// place. Files written before encryption existed (plain) are read only while
// the deployment still accepts them; `visor migrate` encrypts them
// (maintenance.hpp).
#include <filesystem>
#include <memory>

#include "media/keyring.hpp"
#include "media/sealed_file.hpp"
#include "media/store.hpp"
#include "util/metrics.hpp"

namespace visor::media {

struct FileStoreOptions {
  std::filesystem::path dir;
  /// The media keys; null: the store is locked (the secret key does not
  /// open them) and every call fails with `locked_reason`.
  std::shared_ptr<const MediaKeys> keys;
  std::string locked_reason;
  /// Serve plain files found in the folder (until they are migrated).
  bool accept_plain = false;
  std::uint32_t chunk_size = kDefaultChunkBytes;
  /// Counted on every IntegrityError (may be null).
  metrics::Counter* integrity_failures = nullptr;
};

std::unique_ptr<MediaStore> file_media_store(FileStoreOptions options);

/// The protection label of sealed files.
inline constexpr std::string_view kSealedProtection = "xchacha20poly1305-secretstream";

}  // namespace visor::media
