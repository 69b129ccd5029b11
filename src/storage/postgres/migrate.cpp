// Schema migrations on PostgreSQL. A session advisory lock keyed by the
// current schema serialises instances that start together.
#include <chrono>
#include <charconv>

#include "storage/migrations.hpp"
#include "storage/postgres/store.hpp"
#include "storage/sql/session.hpp"

namespace visor::storage::postgres {
namespace {

constexpr std::string_view kLock =
    "SELECT pg_advisory_lock(1447645778, hashtext(COALESCE(current_schema(), '')))";
constexpr std::string_view kUnlock =
    "SELECT pg_advisory_unlock(1447645778, hashtext(COALESCE(current_schema(), '')))";
constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr std::string_view kTableExists = "SELECT to_regclass('schema_migrations')";
constexpr std::string_view kMaxVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view kRecord = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

int max_version(Connection& c) {
  const Result r = c.exec(kMaxVersion);
  int v = 0;
  const std::string_view text = r.value(0, 0);
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

/// Holds the migration lock for its lifetime.
class MigrationLock {
 public:
  explicit MigrationLock(Connection& c) : c_(c) { c_.exec(kLock); }
  ~MigrationLock() {
    try {
      c_.exec(kUnlock);
    } catch (...) {  // the lock ends with the session anyway
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Connection& c_;
};

}  // namespace

int applied_version(Connection& c) {
  const Result exists = c.exec(kTableExists);
  if (exists.is_null(0, 0)) return 0;
  return max_version(c);
}

int apply_migrations(Connection& c) {
  const MigrationLock lock(c);
  const auto all = migrations(MigrationSet::postgres);
  const int known = all.empty() ? 0 : all.back().version;
  c.exec(kCreateTable);
  const int current = max_version(c);  // read under the lock: no race
  if (current > known)
    throw Error(ErrorCode::unavailable, "The database was created by a newer Visor.",
                "postgresql: schema version " + std::to_string(current) + " is newer than this build's " +
                    std::to_string(known));
  int applied = 0;
  for (const Migration& m : all) {
    if (m.version <= current) continue;
    try {
      c.exec("BEGIN");
      c.exec(m.sql);
      const sql::Param params[] = {
          sql::arg(m.version), sql::arg(m.name),
          sql::arg(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                       .count())};
      c.exec_params(kRecord, params, 3);
      c.exec("COMMIT");
      ++applied;
    } catch (const Error& e) {
      try {
        c.exec("ROLLBACK");
      } catch (...) {
      }
      throw Error(ErrorCode::unavailable, "The database schema could not be upgraded.",
                  "migration " + std::to_string(m.version) + "_" + std::string(m.name) + " failed: " + e.internal());
    }
  }
  return applied;
}

}  // namespace visor::storage::postgres
