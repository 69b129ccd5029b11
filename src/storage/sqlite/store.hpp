#pragma once
// The SQLite store: one writer connection behind a mutex (BEGIN IMMEDIATE),
// a pool of reader connections (WAL lets them read a consistent snapshot
// while the writer works). An in-memory database uses a single connection
// for both, since separate connections would not share it.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sql/thread_set.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/store.hpp"

namespace visor::storage::sqlite {

class SqliteStore final : public Store {
 public:
  /// `path` is a file path or ":memory:". Throws Error(unavailable) when the
  /// database cannot be opened or migrated.
  SqliteStore(std::string path, const StoreOptions& options);
  ~SqliteStore() override;

  void write(const std::function<void(Tx&)>& fn) override;
  void read(const std::function<void(Tx&)>& fn) override;
  bool healthy() override;
  std::string_view backend() const override { return "sqlite"; }
  int schema_version() override;
  int migrate() override;

 private:
  class ReaderLease;
  std::unique_ptr<Connection> open_connection(bool reader) const;
  /// Runs a read transaction on `connection`; unlocks `lock` (if any) before
  /// the after-commit callbacks.
  void read_on(Connection& connection, const std::function<void(Tx&)>& fn, std::unique_lock<std::mutex>* lock);

  std::string path_;
  bool memory_;
  StoreOptions options_;
  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  sql::ThreadSet writing_;
};

/// Applies the pending SQLite migrations on `connection`, each in its own
/// transaction; returns how many were applied.
int apply_migrations(Connection& connection);
/// The highest applied migration version (0 on an empty database).
int applied_version(Connection& connection);

}  // namespace visor::storage::sqlite
