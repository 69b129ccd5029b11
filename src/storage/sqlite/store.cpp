#include "storage/sqlite/store.hpp"

#include <optional>

#include "storage/sql/tx.hpp"
#include "storage/sqlite/session.hpp"

namespace visor::storage::sqlite {
namespace {

constexpr int kWriteAttempts = 3;
constexpr std::size_t kMaxIdleReaders = 16;

void rollback_quietly(Connection& c) {
  try {
    if (c.in_transaction()) c.exec("ROLLBACK");
  } catch (...) {
  }
}

[[noreturn]] void nested(std::string_view what) {
  throw Error(ErrorCode::internal, "Nested store transaction.",
              std::string(what) + " called inside write() on the same thread: use the Tx you already have");
}

}  // namespace

/// A reader connection borrowed from the pool; returned when released.
class SqliteStore::ReaderLease {
 public:
  explicit ReaderLease(SqliteStore& store) : store_(store) {
    {
      const std::lock_guard lock(store_.readers_mutex_);
      if (!store_.idle_readers_.empty()) {
        connection_ = std::move(store_.idle_readers_.back());
        store_.idle_readers_.pop_back();
      }
    }
    if (!connection_) connection_ = store_.open_connection(true);
  }
  ~ReaderLease() {
    if (connection_->in_transaction()) return;  // unusable: drop it
    const std::lock_guard lock(store_.readers_mutex_);
    if (store_.idle_readers_.size() < kMaxIdleReaders) store_.idle_readers_.push_back(std::move(connection_));
  }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  Connection& operator*() { return *connection_; }

 private:
  SqliteStore& store_;
  std::unique_ptr<Connection> connection_;
};

SqliteStore::SqliteStore(std::string path, const StoreOptions& options)
    : path_(std::move(path)), memory_(path_ == ":memory:"), options_(options) {
  writer_ = open_connection(false);
  if (options_.migrate) apply_migrations(*writer_);
  // Statistics for indexes that a migration just added (or that a bulk load
  // outgrew): without them the planner may pick an index that needs a sort.
  // Cheap when the statistics are current.
  if (!memory_) writer_->exec("PRAGMA optimize=0x10002");
}

SqliteStore::~SqliteStore() {
  idle_readers_.clear();
  if (!writer_) return;
  try {
    writer_->exec("PRAGMA optimize");  // refresh planner statistics where useful
  } catch (...) {
  }
}

std::unique_ptr<Connection> SqliteStore::open_connection(bool reader) const {
  return std::make_unique<Connection>(ConnectionOptions{path_, reader, options_.busy_timeout});
}

void SqliteStore::write(const std::function<void(Tx&)>& fn) {
  if (writing_.contains_current()) nested("write()");
  for (int attempt = 1;; ++attempt) {
    std::unique_lock lock(writer_mutex_);
    std::optional<sql::ThreadSet::Scope> scope(std::in_place, writing_);
    SqliteSession session(*writer_);
    sql::SqlTx tx(session, true);
    try {
      writer_->run("BEGIN IMMEDIATE");
      fn(tx);
      tx.prepare_commit();
      writer_->run("COMMIT");
    } catch (const sql::DbError& e) {
      rollback_quietly(*writer_);
      if (e.transient() && attempt < kWriteAttempts) continue;
      throw;
    } catch (...) {
      rollback_quietly(*writer_);
      throw;
    }
    scope.reset();
    lock.unlock();
    tx.run_after_commit();
    return;
  }
}

void SqliteStore::read_on(Connection& connection, const std::function<void(Tx&)>& fn,
                          std::unique_lock<std::mutex>* lock) {
  SqliteSession session(connection);
  sql::SqlTx tx(session, false);
  try {
    connection.run("BEGIN");
    fn(tx);
    connection.run("COMMIT");
  } catch (...) {
    rollback_quietly(connection);
    throw;
  }
  if (lock) lock->unlock();
  tx.run_after_commit();
}

void SqliteStore::read(const std::function<void(Tx&)>& fn) {
  if (writing_.contains_current()) nested("read()");
  if (memory_) {
    std::unique_lock lock(writer_mutex_);
    read_on(*writer_, fn, &lock);
    return;
  }
  ReaderLease reader(*this);
  read_on(*reader, fn, nullptr);
}

bool SqliteStore::healthy() {
  try {
    read([](Tx& tx) { tx.settings().get("visor.health"); });
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

int SqliteStore::schema_version() {
  if (writing_.contains_current()) nested("schema_version()");
  const std::lock_guard lock(writer_mutex_);
  return applied_version(*writer_);
}

int SqliteStore::migrate() {
  if (writing_.contains_current()) nested("migrate()");
  const std::lock_guard lock(writer_mutex_);
  return apply_migrations(*writer_);
}

}  // namespace visor::storage::sqlite
