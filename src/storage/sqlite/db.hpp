#pragma once
// A thin RAII layer over SQLite's C API: Connection (one sqlite3 handle with
// Visor's pragmas, the visor_fold() function and a prepared-statement cache)
// and Statement (bind / step / column helpers). Neither is thread-safe: a
// connection is used by one thread at a time (the store guarantees it).
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sql/param.hpp"

namespace visor::storage::sqlite {

/// Throws the sql::DbError matching an SQLite failure `rc` on `db`.
[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view sql);

/// Rewrites the storage layer's `$N` placeholders as SQLite's `?N`
/// (quoted text and identifiers are left alone).
std::string sqlite_placeholders(std::string_view sql);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Binds `count` parameters to ?1..?count; the statement must take exactly
  /// that many.
  void bind_all(const sql::Param* params, std::size_t count);
  /// True when a row is available, false when done; throws on failure.
  bool step();
  /// Ready for the next use: reset and clear bindings.
  void reset();

  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const;

  bool in_use = false;  // leased out by the connection's cache

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

/// A statement borrowed from a connection's cache (or owned, when the cached
/// one is already in use by an open result). Resets it when released.
class StatementLease {
 public:
  StatementLease(Statement* cached, std::unique_ptr<Statement> owned)
      : stmt_(cached ? cached : owned.get()), owned_(std::move(owned)) {}
  StatementLease(StatementLease&& other) noexcept : stmt_(other.stmt_), owned_(std::move(other.owned_)) {
    other.stmt_ = nullptr;
  }
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease();

  Statement& operator*() const { return *stmt_; }
  Statement* operator->() const { return stmt_; }

 private:
  Statement* stmt_;
  std::unique_ptr<Statement> owned_;
};

struct ConnectionOptions {
  std::string path;  // a file path, or ":memory:"
  bool reader = false;  // read-only use: PRAGMA query_only
  std::chrono::milliseconds busy_timeout{5000};
};

class Connection {
 public:
  /// Opens (creating the file if needed) and configures: WAL,
  /// synchronous=NORMAL, foreign_keys=ON, busy_timeout, visor_fold().
  /// Throws Error(unavailable) when the database cannot be opened.
  explicit Connection(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs SQL text without parameters (may hold several statements).
  void exec(std::string_view sql);
  /// Runs one statement without parameters or rows (BEGIN, COMMIT …)
  /// through the statement cache: no parse per call, unlike exec().
  void run(std::string_view sql);
  /// A prepared statement for `sql` (with `$N` placeholders), from the cache.
  StatementLease prepare(std::string_view sql);
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  /// False outside a transaction (autocommit mode).
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* raw() const { return db_; }

 private:
  std::unique_ptr<Statement> compile(std::string_view sql);
  sqlite3* db_ = nullptr;
  // Looked up by the SQL text without copying it (transparent hash).
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>> cache_;
};

}  // namespace visor::storage::sqlite
