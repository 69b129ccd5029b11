#include "storage/sqlite/store.hpp"

#include <optional>

#include "storage/sql/tx.hpp"
#include "storage/sqlite/session.hpp"

namespace visor::storage::sqlite {
namespace {

constexpr int kWriteAttempts = 3;
constexpr std::size_t kMaxBatch = 64;
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
  writer_session_ = std::make_unique<SqliteSession>(*writer_);
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
  WriteJob job;
  job.fn = &fn;
  {
    std::unique_lock lock(queue_mutex_);
    queue_.push_back(&job);
    if (!leader_active_) {
      leader_active_ = true;
      job.lead = true;
    } else {
      queue_cv_.wait(lock, [&] { return job.done || job.lead; });
    }
  }
  if (!job.done) lead();
  if (job.error) std::rethrow_exception(job.error);
  job.tx->run_after_commit();
}

std::size_t SqliteStore::waiting_writes() const {
  const std::lock_guard lock(queue_mutex_);
  return queue_.size();
}

void SqliteStore::lead() {
  std::vector<WriteJob*> batch;
  {
    const std::lock_guard lock(queue_mutex_);
    // The leader's job is at the front: it was queued first, or handed the lead as the oldest waiting.
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
  }
  try {
    run_batch(batch);
  } catch (...) {
    // Nothing should escape run_batch; if something does, every job of the batch fails with it.
    for (WriteJob* j : batch) {
      j->tx.reset();
      if (!j->error) j->error = std::current_exception();
    }
  }
  {
    const std::lock_guard lock(queue_mutex_);
    for (WriteJob* j : batch) j->done = true;
    if (!queue_.empty()) queue_.front()->lead = true;  // the oldest waiting caller leads the next batch
    else leader_active_ = false;
  }
  queue_cv_.notify_all();
}

void SqliteStore::run_batch(const std::vector<WriteJob*>& batch) {
  std::unique_lock lock(writer_mutex_);
  // The leader runs the other callers' functions: a write() or read() from
  // inside one of them is the same programming error as from its own.
  const sql::ThreadSet::Scope scope(writing_);
  for (int attempt = 1;; ++attempt) {
    // From the last attempt on, every failed try leaves out the job that
    // failed, so this ends.
    bool done = false;
    try {
      done = try_batch(batch, attempt >= kWriteAttempts);
    } catch (...) {
      rollback_quietly(*writer_);
      throw;
    }
    if (done) return;
    for (WriteJob* j : batch) {
      if (j->tx) j->tx.reset();
    }
  }
}

bool SqliteStore::try_batch(const std::vector<WriteJob*>& batch, bool last_attempt) {
  const bool grouped = batch.size() > 1;
  // A job that failed on its own keeps its error; the others (re)start clean.
  std::vector<WriteJob*> live;
  for (WriteJob* j : batch) {
    if (!j->error) live.push_back(j);
  }
  if (live.empty()) return true;
  const auto fail_all = [&](std::exception_ptr e) {
    for (WriteJob* j : live) {
      j->tx.reset();
      j->error = e;
    }
  };
  try {
    writer_->run("BEGIN IMMEDIATE");
  } catch (const sql::DbError& e) {
    if (e.transient() && !last_attempt) return false;
    fail_all(std::current_exception());
    return true;
  }
  for (WriteJob* j : live) {
    j->tx.emplace(*writer_session_, true);
    try {
      if (grouped) writer_->run("SAVEPOINT visor_job");
      (*j->fn)(*j->tx);
      j->tx->prepare_commit();
      if (grouped) writer_->run("RELEASE visor_job");
    } catch (const sql::DbError& e) {
      if (!writer_->in_transaction() || (e.transient() && !last_attempt)) {
        // SQLite rolled the whole transaction back (I/O error, full disk,
        // busy): the others' work is gone too. Try again — or, on the last
        // attempt, this job fails and the others run again without it.
        rollback_quietly(*writer_);
        if (!e.transient() || last_attempt) {
          j->tx.reset();
          j->error = std::current_exception();
        }
        return false;
      }
      j->tx.reset();
      j->error = std::current_exception();
      if (!grouped) {
        rollback_quietly(*writer_);
        return true;
      }
      writer_->run("ROLLBACK TO visor_job");
      writer_->run("RELEASE visor_job");
    } catch (...) {
      j->tx.reset();
      j->error = std::current_exception();
      if (!grouped) {
        rollback_quietly(*writer_);
        return true;
      }
      if (!writer_->in_transaction()) {
        rollback_quietly(*writer_);
        return false;
      }
      writer_->run("ROLLBACK TO visor_job");
      writer_->run("RELEASE visor_job");
    }
  }
  try {
    writer_->run("COMMIT");
  } catch (const sql::DbError& e) {
    rollback_quietly(*writer_);
    if (e.transient() && !last_attempt) return false;
    fail_all(std::current_exception());
  }
  return true;
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
