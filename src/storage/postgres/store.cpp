#include "storage/postgres/store.hpp"

#include <optional>
#include <random>
#include <thread>

#include "storage/postgres/session.hpp"
#include "storage/sql/tx.hpp"

namespace visor::storage::postgres {
namespace {

constexpr int kWriteAttempts = 5;

void rollback_quietly(Connection& c) {
  try {
    if (c.ok() && !c.idle()) c.exec("ROLLBACK");
  } catch (...) {  // the pool drops a connection left in a transaction
  }
}

void commit(Connection& c) {
  const Result r = c.exec("COMMIT");
  // COMMIT of a transaction that an earlier (caught) error aborted rolls back.
  if (r.command() != "COMMIT")
    throw Error(ErrorCode::internal, "The transaction was rolled back by an earlier database error.",
                "postgresql: COMMIT answered " + std::string(r.command()));
}

/// A short random pause before retrying, so that the transactions that
/// collided do not collide again.
void backoff(int attempt) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_int_distribution<int> ms(1, 10 * attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
}

[[noreturn]] void nested(std::string_view what) {
  throw Error(ErrorCode::internal, "Nested store transaction.",
              std::string(what) + " called inside write() on the same thread: use the Tx you already have");
}

int pool_size(const StoreOptions& o) {
  if (o.pool_size > 0) return o.pool_size;
  return static_cast<int>(std::thread::hardware_concurrency()) + 2;
}

}  // namespace

PgStore::PgStore(std::string url, const StoreOptions& options)
    : pool_(std::move(url), pool_size(options), options.busy_timeout) {
  if (!options.migrate) {
    pool_.acquire();  // fail now, not on the first request, when the server is unreachable
    return;
  }
  migrate();
}

void PgStore::write(const std::function<void(Tx&)>& fn) {
  if (writing_.contains_current()) nested("write()");
  for (int attempt = 1;; ++attempt) {
    std::optional<sql::ThreadSet::Scope> scope(std::in_place, writing_);
    std::optional<Pool::Lease> c(pool_.acquire());
    PgSession session(**c);
    sql::SqlTx tx(session, true);
    try {
      (*c)->exec("BEGIN");
      fn(tx);
      tx.prepare_commit();
      commit(**c);
    } catch (const sql::DbError& e) {
      rollback_quietly(**c);
      if (e.transient() && attempt < kWriteAttempts) {
        c.reset();
        scope.reset();
        backoff(attempt);
        continue;
      }
      throw;
    } catch (...) {
      rollback_quietly(**c);
      throw;
    }
    c.reset();  // back to the pool before the callbacks run
    scope.reset();
    tx.run_after_commit();
    return;
  }
}

void PgStore::read(const std::function<void(Tx&)>& fn) {
  if (writing_.contains_current()) nested("read()");
  std::optional<Pool::Lease> c(pool_.acquire());
  PgSession session(**c);
  sql::SqlTx tx(session, false);
  try {
    (*c)->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    fn(tx);
    commit(**c);
  } catch (...) {
    rollback_quietly(**c);
    throw;
  }
  c.reset();  // back to the pool before the callbacks run
  tx.run_after_commit();
}

bool PgStore::healthy() {
  try {
    Pool::Lease c = pool_.acquire();
    c->exec("SELECT 1");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

int PgStore::schema_version() {
  if (writing_.contains_current()) nested("schema_version()");
  Pool::Lease c = pool_.acquire();
  return applied_version(*c);
}

int PgStore::migrate() {
  if (writing_.contains_current()) nested("migrate()");
  int applied = 0;
  {
    Pool::Lease c = pool_.acquire();
    applied = apply_migrations(*c);
    if (applied > 0) c->forget_prepared();
  }
  if (applied > 0) pool_.clear_idle();  // their prepared statements predate the change
  return applied;
}

}  // namespace visor::storage::postgres
