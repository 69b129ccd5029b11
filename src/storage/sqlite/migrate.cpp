// Schema migrations on SQLite: schema_migrations records what is applied;
// BEGIN IMMEDIATE serialises two processes opening the same file.
#include <chrono>
#include <exception>

#include "storage/migrations.hpp"
#include "storage/sql/session.hpp"
#include "storage/sqlite/store.hpp"

namespace visor::storage::sqlite {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";
constexpr std::string_view kRecord = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
constexpr std::string_view kMaxVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

bool is_applied(Connection& c, int version) {
  StatementLease st = c.prepare(kIsApplied);
  const sql::Param p = sql::arg(version);
  st->bind_all(&p, 1);
  return st->step();
}

void rollback_quietly(Connection& c) {
  try {
    if (c.in_transaction()) c.exec("ROLLBACK");
  } catch (...) {
  }
}

}  // namespace

int applied_version(Connection& c) {
  c.exec(kCreateTable);
  StatementLease st = c.prepare(kMaxVersion);
  st->bind_all(nullptr, 0);
  return st->step() ? static_cast<int>(st->integer(0)) : 0;
}

int apply_migrations(Connection& c) {
  const auto all = migrations(MigrationSet::sqlite);
  const int known = all.empty() ? 0 : all.back().version;
  const int current = applied_version(c);
  if (current > known)
    throw Error(ErrorCode::unavailable, "The database was created by a newer Visor.",
                "sqlite: schema version " + std::to_string(current) + " is newer than this build's " +
                    std::to_string(known));
  int applied = 0;
  for (const Migration& m : all) {
    if (m.version <= current) continue;
    c.exec("BEGIN IMMEDIATE");
    try {
      if (!is_applied(c, m.version)) {  // another process may have won the race
        c.exec(m.sql);
        StatementLease st = c.prepare(kRecord);
        const sql::Param params[] = {
            sql::arg(m.version), sql::arg(m.name),
            sql::arg(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count())};
        st->bind_all(params, 3);
        st->step();
        ++applied;
      }
      c.exec("COMMIT");
    } catch (const Error& e) {
      rollback_quietly(c);
      throw Error(ErrorCode::unavailable, "The database schema could not be upgraded.",
                  "migration " + std::to_string(m.version) + "_" + std::string(m.name) + " failed: " + e.internal());
    }
  }
  return applied;
}

}  // namespace visor::storage::sqlite
