#pragma once
// The encrypted backup: one file holding every entry, each a secretstream
// (XChaCha20-Poly1305) of 64 KiB messages under the backup subkey of the
// deployment's secret key (KeyPurpose::backup_archive), then an encrypted
// index of the entries, then a trailer. Decision 0019.
//
//   "VISORBK1" | archive id (16 random bytes) | key id (16 bytes)
//   entry*:    secretstream header (24) | messages (65536 plain + 17 each,
//              the last one FINAL and shorter or empty)
//   index:     the same, of JSON [{"name","offset","length"}…]
//   trailer:   u64 index offset | u64 index length | "VISOREND"
//
// Each message's associated data is the archive id and the entry's name
// ("\0index" for the index): an entry renamed, moved to another backup, cut
// short or altered does not decrypt. The key id (a keyed hash, which reveals
// nothing of the key) lets a restore with the wrong key say so plainly.
// Nothing is readable without the key: not the names of the entries, not
// their sizes beyond the file's length.
#include <filesystem>
#include <memory>

#include "auth/secret_box.hpp"
#include "backup/archive.hpp"

namespace visor::backup {

inline constexpr std::string_view kSealedArchiveEncryption = "xchacha20poly1305-secretstream";

/// An encrypted archive written to `file` (which must not exist): under
/// "<file>.partial" until commit() renames it.
std::unique_ptr<ArchiveWriter> sealed_writer(const std::filesystem::path& file, const auth::SecretBox& key);

/// Opens an encrypted archive. Error(invalid_input) when `file` is not one,
/// was made under another key (saying so), or its index does not decrypt.
std::unique_ptr<ArchiveReader> sealed_reader(const std::filesystem::path& file, const auth::SecretBox& key);

/// True when `file` starts like an encrypted archive.
bool is_sealed_archive(const std::filesystem::path& file);

}  // namespace visor::backup
