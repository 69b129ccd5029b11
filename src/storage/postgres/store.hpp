#pragma once
// The PostgreSQL store, for running several stateless Visor instances on one
// database. Writes run in READ COMMITTED transactions (optimistic version
// checks and the revision row keep them correct) and are retried on
// serialization failures and deadlocks; reads run in REPEATABLE READ READ
// ONLY transactions (one consistent snapshot).
#include <string>

#include "storage/postgres/pool.hpp"
#include "storage/sql/thread_set.hpp"
#include "storage/store.hpp"

namespace visor::storage::postgres {

class PgStore final : public Store {
 public:
  /// `url` is a libpq connection URL (postgresql:// or postgres://). Throws
  /// Error(unavailable) when the server cannot be reached or migrated.
  PgStore(std::string url, const StoreOptions& options);

  void write(const std::function<void(Tx&)>& fn) override;
  void read(const std::function<void(Tx&)>& fn) override;
  bool healthy() override;
  std::string_view backend() const override { return "postgresql"; }
  bool in_process() const override { return false; }
  int schema_version() override;
  int migrate() override;

 private:
  Pool pool_;
  sql::ThreadSet writing_;
};

/// Applies the pending PostgreSQL migrations under an advisory lock (per
/// schema), each in its own transaction; returns how many were applied.
int apply_migrations(Connection& connection);
/// The highest applied migration version (0 on an empty database).
int applied_version(Connection& connection);

}  // namespace visor::storage::postgres
