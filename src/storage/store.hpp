#pragma once
// The store: one interface over SQLite (embedded, default) and PostgreSQL
// (scale-out). All access happens inside a transaction; a request, a sync
// step or a CLI command is one transaction, so nothing is ever half-written.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "storage/catalog.hpp"
#include "storage/procedures.hpp"
#include "storage/records.hpp"
#include "storage/reliability.hpp"
#include "storage/reports.hpp"
#include "storage/tasks.hpp"
#include "storage/triage.hpp"
#include "storage/users.hpp"

namespace visor::storage {

/// A transaction and the repositories bound to it. Valid only inside the
/// callback it is passed to.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual TaskRepository& tasks() = 0;
  virtual CatalogRepository& catalog() = 0;
  virtual EquipmentRepository& equipment() = 0;
  virtual UserRepository& users() = 0;
  virtual AuthRepository& auth() = 0;
  virtual AuditRepository& audit() = 0;
  virtual OutboxRepository& outbox() = 0;
  virtual SyncStateRepository& sync() = 0;
  virtual SettingsRepository& settings() = 0;
  virtual MediaRepository& media() = 0;
  virtual ReportRepository& reports() = 0;
  virtual ProcedureRepository& procedures() = 0;
  virtual FollowUpRepository& follow_ups() = 0;
  virtual MeterRepository& meters() = 0;
  virtual FailureCodeRepository& failure_codes() = 0;
  virtual TriageRepository& triage() = 0;
  /// Runs `fn` after a successful commit (e.g. publish an event). Not run on
  /// rollback.
  virtual void after_commit(std::function<void()> fn) = 0;
};

struct StoreOptions {
  bool migrate = true;  // apply pending migrations when opening
  int pool_size = 0;    // PostgreSQL connections (0: threads + 2)
  std::chrono::milliseconds busy_timeout{5000};
};

class Store {
 public:
  virtual ~Store() = default;

  /// Runs `fn` in a read-write transaction: commit when it returns, roll back
  /// when it throws (the exception propagates). A transient conflict
  /// (SQLITE_BUSY, serialization failure) is retried a few times, so `fn`
  /// must have no effects outside the Tx (use after_commit). Calling write()
  /// or read() again inside `fn` on the same thread is a bug: Error(internal).
  virtual void write(const std::function<void(Tx&)>& fn) = 0;
  /// Runs `fn` in a read-only transaction (a consistent snapshot).
  virtual void read(const std::function<void(Tx&)>& fn) = 0;
  /// True when the database answers a trivial query.
  virtual bool healthy() = 0;
  /// "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  /// True when the database lives in this process (SQLite): a small read
  /// costs microseconds and never waits on a network, so an I/O thread may
  /// make one (quick answers from a cache, decision 0017).
  virtual bool in_process() const = 0;
  /// The schema version after migrations.
  virtual int schema_version() = 0;
  /// Applies pending migrations; returns how many were applied.
  virtual int migrate() = 0;

  /// Convenience: return a value from a transaction.
  template <class F>
  auto write_value(F&& fn) -> std::invoke_result_t<F, Tx&> {
    std::optional<std::invoke_result_t<F, Tx&>> out;
    write([&](Tx& tx) { out.emplace(fn(tx)); });
    return std::move(*out);
  }
  template <class F>
  auto read_value(F&& fn) -> std::invoke_result_t<F, Tx&> {
    std::optional<std::invoke_result_t<F, Tx&>> out;
    read([&](Tx& tx) { out.emplace(fn(tx)); });
    return std::move(*out);
  }
};

/// Opens a store from a URL: `sqlite:///abs/path/visor.db`,
/// `sqlite://relative/path.db`, `sqlite::memory:` (tests) or
/// `postgresql://user:pass@host:port/db` (also `postgres://`). Throws
/// Error(invalid_input) for a malformed URL, Error(unavailable) when the
/// database cannot be opened.
/// SQLite files (the database, -wal and -shm) are created, or narrowed to,
/// mode 0600.
std::unique_ptr<Store> open_store(const std::string& url, const StoreOptions& options = {});

/// The database file of a `sqlite://` URL; nullopt for other URLs (and for
/// sqlite::memory:). Error(invalid_input) for a malformed sqlite URL.
std::optional<std::filesystem::path> sqlite_file(const std::string& url);

}  // namespace visor::storage
