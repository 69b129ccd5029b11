#pragma once
// What backups need from the databases themselves: SQLite's online backup
// and integrity check, and whether a PostgreSQL database is empty (a restore
// target). pg_dump and pg_restore run in src/backup.
#include <filesystem>
#include <string>

namespace visor::storage {

/// Copies the SQLite database `source` — possibly being written by this and
/// other processes — into the new file `dest` as one consistent snapshot:
/// SQLite's online backup API in a single step, which holds one read
/// transaction (in WAL mode writers go on meanwhile). `dest` is created with
/// mode 0600 and must not exist. Error(unavailable) on failure.
void sqlite_online_backup(const std::filesystem::path& source, const std::filesystem::path& dest);

struct SqliteFileCheck {
  std::string integrity;  // "ok", or the first problem integrity_check found
  int schema_version = 0;  // the newest migration applied (0: not a Visor database)
};

/// Opens a SQLite file read-only and checks it.
SqliteFileCheck check_sqlite_file(const std::filesystem::path& file);

/// True when the PostgreSQL database at `url` holds no table in its current
/// schema. Error(unavailable) when it cannot be reached.
bool postgres_database_empty(const std::string& url);

}  // namespace visor::storage
