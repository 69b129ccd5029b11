#include "storage/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storage/postgres/pg.hpp"
#include "util/error.hpp"

namespace visor::storage {
namespace {

constexpr std::string_view kTableCount =
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()";

// Closes a handle on every path.
struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close_v2(db); }
};

[[noreturn]] void fail_sqlite(std::string_view what, sqlite3* db, const std::filesystem::path& file) {
  throw Error(ErrorCode::unavailable, "Cannot " + std::string(what) + " " + file.string() + ".",
              db ? sqlite3_errmsg(db) : "out of memory");
}

}  // namespace

void sqlite_online_backup(const std::filesystem::path& source, const std::filesystem::path& dest) {
  // Create the destination ourselves: exclusively, and private.
  const int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    throw Error(ErrorCode::unavailable, "Cannot create " + dest.string() + ".", std::strerror(errno));
  ::close(fd);
  Db from, to;
  if (sqlite3_open_v2(source.c_str(), &from.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    fail_sqlite("open the database", from.db, source);
  sqlite3_busy_timeout(from.db, 10000);
  if (sqlite3_open_v2(dest.c_str(), &to.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    fail_sqlite("open the copy", to.db, dest);
  sqlite3_backup* b = sqlite3_backup_init(to.db, "main", from.db, "main");
  if (!b) fail_sqlite("start the backup into", to.db, dest);
  // One step for every page: one read transaction, one snapshot.
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(b, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  const int finish = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE || finish != SQLITE_OK) fail_sqlite("copy the database into", to.db, dest);
  // A self-contained file: no -wal beside it.
  char* err = nullptr;
  if (sqlite3_exec(to.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    fail_sqlite("finish", to.db, dest);
  }
}

SqliteFileCheck check_sqlite_file(const std::filesystem::path& file) {
  Db db;
  if (sqlite3_open_v2(file.c_str(), &db.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    fail_sqlite("open", db.db, file);
  SqliteFileCheck out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.db, "PRAGMA integrity_check", -1, &stmt, nullptr) != SQLITE_OK) {
    out.integrity = sqlite3_errmsg(db.db);
    return out;
  }
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt, 0);
    out.integrity = text ? reinterpret_cast<const char*>(text) : "";
  } else {
    out.integrity = sqlite3_errmsg(db.db);
  }
  sqlite3_finalize(stmt);
  if (sqlite3_prepare_v2(db.db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", -1, &stmt, nullptr) ==
      SQLITE_OK) {
    if (sqlite3_step(stmt) == SQLITE_ROW) out.schema_version = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return out;
}

bool postgres_database_empty(const std::string& url) {
  postgres::Connection c(url);
  const postgres::Result r = c.exec(kTableCount);
  return r.rows() == 1 && r.value(0, 0) == "0";
}

}  // namespace visor::storage
