#pragma once
// The SQLite store: one writer connection (BEGIN IMMEDIATE), a pool of
// reader connections (WAL lets them read a consistent snapshot while the
// writer works). An in-memory database uses a single connection for both,
// since separate connections would not share it.
//
// Group commit: concurrent write() calls queue up; one caller at a time
// leads, running every queued transaction in one SQLite transaction — each
// in its own SAVEPOINT, so a failing one rolls back alone — and commits
// them together. Each caller returns (and runs its after-commit callbacks)
// only once that COMMIT is done: durable as `synchronous` says (NORMAL in
// WAL: on the OS's disk cache at once, on the platter at the next
// checkpoint). The commit's fixed costs — the WAL frames of pages several
// transactions share (the revision row, the tails of the log and audit
// tables and their indexes), the WAL-index update — are paid once a batch.
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/sql/thread_set.hpp"
#include "storage/sql/tx.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/session.hpp"
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
  bool in_process() const override { return true; }
  int schema_version() override;
  int migrate() override;

  /// write() calls waiting for a batch (not the one running): the next
  /// batch takes them all, up to its limit.
  std::size_t waiting_writes() const;

 private:
  class ReaderLease;
  /// One caller's transaction waiting in (or running in) a batch.
  struct WriteJob {
    const std::function<void(Tx&)>* fn = nullptr;
    std::optional<sql::SqlTx> tx;  // built by the leader; its after-commit callbacks run on the caller
    std::exception_ptr error;
    bool done = false;
    bool lead = false;  // this caller leads the next batch
  };
  /// Runs one batch — the oldest queued jobs, the caller's own first — and
  /// hands the lead to the oldest job still waiting.
  void lead();
  /// Runs `batch` in one transaction with retries; fills each job's tx or error.
  void run_batch(const std::vector<WriteJob*>& batch);
  /// One attempt; false when the whole batch must be tried again (a
  /// transient failure). A job that fails on its own gets its error.
  bool try_batch(const std::vector<WriteJob*>& batch, bool last_attempt);
  std::unique_ptr<Connection> open_connection(bool reader) const;
  /// Runs a read transaction on `connection`; unlocks `lock` (if any) before
  /// the after-commit callbacks.
  void read_on(Connection& connection, const std::function<void(Tx&)>& fn, std::unique_lock<std::mutex>* lock);

  std::string path_;
  bool memory_;
  StoreOptions options_;
  std::mutex writer_mutex_;  // the writer connection (and, in memory, every read)
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<SqliteSession> writer_session_;
  mutable std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<WriteJob*> queue_;
  bool leader_active_ = false;
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
