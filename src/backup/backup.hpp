#pragma once
// `visor backup` and `visor restore`.
//
// A backup is a consistent copy taken while Visor serves:
//  - SQLite: the online backup API copies the database as one snapshot
//    (one read transaction; writers go on meanwhile);
//  - PostgreSQL: pg_dump --format=custom (one snapshot, in a transaction);
//  - then the media files (written before the rows that name them, so
//    every photo the snapshot knows is there);
//  - the key that seals stored secrets only when asked (a backup that
//    holds its key protects nothing it holds);
//  - last, the manifest: sizes and SHA-256 of every entry's plain bytes.
//
// A restore writes only into an empty target (an empty data directory and a
// new SQLite file, or an empty PostgreSQL database), and only after every
// entry matched the manifest; SQLite copies are checked with
// integrity_check, and the schema is brought up to date after.
#include <filesystem>
#include <optional>
#include <string>

#include "auth/secret_box.hpp"
#include "backup/archive.hpp"
#include "backup/manifest.hpp"

namespace visor::backup {

struct BackupRequest {
  std::string db_url;
  std::filesystem::path media_dir;  // copied when it exists
  std::filesystem::path scratch_dir;  // for the SQLite snapshot before it is archived (the data directory)
  const auth::SecretBox* include_key = nullptr;  // set: the key goes in too
  std::string visor_version;
  TimePoint now{};
};

/// Writes the backup into `out` and commits it; returns its manifest.
Manifest create_backup(const BackupRequest& request, ArchiveWriter& out);

/// Reads the manifest and checks every entry against it (present, same size,
/// same SHA-256) and that the archive holds nothing else. Error
/// (invalid_input) naming the first problem.
Manifest verify_backup(ArchiveReader& in);

struct RestoreRequest {
  std::string db_url;               // an absent SQLite file or an empty PostgreSQL database
  std::filesystem::path data_dir;   // absent or empty
  std::filesystem::path media_dir;  // inside data_dir
  /// Where an included key goes: only into a file that does not exist yet.
  std::optional<std::filesystem::path> key_file;
};

struct RestoreReport {
  Manifest manifest;
  bool key_restored = false;
};

/// Verifies, then restores. Error(conflict) when the target is not empty;
/// Error(invalid_input) when the backup does not verify or comes from a
/// newer schema than this Visor knows. Nothing is left half-written in the
/// target on failure (SQLite; PostgreSQL's pg_restore runs in one
/// transaction).
RestoreReport restore_backup(ArchiveReader& in, const RestoreRequest& request);

}  // namespace visor::backup
