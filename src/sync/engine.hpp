#pragma once
// The sync engine: one background thread that, every poll interval (and at
// once when woken), delivers the due outbox messages, pulls what changed in
// the CMMS, and now and then reconciles — at start, every reconcile
// interval, and on "sync now". It knows no CMMS: the connector comes from the
// ConnectorDriver the composition root gives it (sync/connector.hpp).
//
// It owns the outbox bookkeeping — order per record (the store's `due`),
// backoff with jitter, intent records before non-idempotent sends, parking
// what cannot succeed — the deletion policy (records the CMMS deleted go only
// after a read proved it, through the mass-deletion guard), status, metrics
// and the admin alerts (credentials refused, rights missing, deletions held).
// `run_once` does one full cycle on the caller's thread (`visor sync --once`).
//
// Several Visor instances on one PostgreSQL database: a lease in the settings
// table lets one engine at a time work (docs/decisions/0006-sync-engine.md).
// An engine releases only a lease it took itself; the lease holder keeps its
// state in the store (sync/status.hpp) for every other process to read.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <boost/json/object.hpp>

#include "auth/secret_box.hpp"
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/backoff.hpp"
#include "sync/connector.hpp"
#include "sync/errors.hpp"
#include "sync/status.hpp"
#include "sync/sync_metrics.hpp"
#include "util/clock.hpp"
#include "util/metrics.hpp"

namespace visor::sync {

struct EngineOptions {
  /// Used when the connector settings do not set one.
  std::chrono::seconds poll_interval{10};
  std::chrono::seconds reconcile_interval{600};
  /// Messages delivered per round before the engine pulls again.
  int max_deliveries_per_round = 1000;
  BackoffPolicy backoff;
  /// Who holds the sync lease; stable across restarts of one installation.
  std::string instance_id = "visor";
  std::function<double()> unit_random = random_unit;
  /// The engine's state is written to the store when it changes, and at
  /// least this often while nothing changes.
  std::chrono::seconds state_heartbeat{30};
};

/// What one cycle did (for `visor sync --once`, tests and benchmarks).
struct CycleReport {
  bool configured = false;
  bool lease = true;  // false: another instance syncs
  std::int64_t delivered = 0;
  std::int64_t skipped = 0;
  std::int64_t retried = 0;
  std::int64_t parked = 0;
  std::vector<ModelPull> pulls;
  std::vector<ModelPull> reconciles;  // fetching and removing, per model
  std::int64_t held = 0;              // deletions waiting for an admin
  bool reconciled = false;            // every model was compared
  std::vector<std::string> errors;    // one line per failure
  bool ok() const { return configured && lease && errors.empty(); }
};

class Engine {
 public:
  /// `box` unseals the connector secret; `driver` builds the connector. Both
  /// must outlive the engine.
  Engine(storage::Store& store, events::EventBus& bus, const IClock& clock, metrics::Registry& registry,
         const auth::SecretBox& box, const ConnectorDriver& driver, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Starts the background thread (and wakes on the bus's events).
  void start();
  /// Stops the thread after its current step; releases the lease if this
  /// engine holds it.
  void stop();
  bool running() const;

  /// A full cycle as soon as possible; `reconcile` also looks for deletions.
  void wake(bool reconcile = false);
  /// POST /api/v1/sync/run: a full cycle with reconcile, or Error(conflict)
  /// when no enabled CMMS connection is configured.
  void sync_now();
  /// Local changes were recorded: deliver soon.
  void push_soon();

  /// One full cycle on this thread (not while the thread runs).
  /// `reconcile`: also compare ids with the CMMS.
  CycleReport run_once(bool reconcile);

  /// GET /api/v1/sync/status, with this engine's live state.
  boost::json::object status();
  /// This engine's state, when it holds the sync lease.
  std::optional<EngineState> live() const;

 private:
  void loop();
  CycleReport cycle(bool full, bool reconcile);
  bool ensure_connector(CycleReport& report);
  bool hold_lease();
  void release_lease();
  void deliver_due(CycleReport& report);
  void pull_all(CycleReport& report);
  void reconcile_all(CycleReport& report);
  void expedite_retries();
  void failed(const CmmsError& e, CycleReport& report);
  void raise_alert(const EngineAlert& a);
  void clear_alert();
  /// Updates the outbox gauges; returns the parked messages.
  std::int64_t refresh_gauges();
  void save_state();
  TimePoint retry_time(int attempts);

  storage::Store& store_;
  events::EventBus& bus_;
  const IClock& clock_;
  SyncMetrics metrics_;
  const auth::SecretBox& box_;
  const ConnectorDriver& driver_;
  EngineOptions options_;

  // Engine thread state (also used by run_once).
  std::unique_ptr<Connector> connector_;
  std::string connector_revision_;
  std::chrono::seconds interval_;
  bool outage_ = false;
  std::optional<std::chrono::steady_clock::time_point> last_reconcile_;
  std::optional<TimePoint> next_retry_;
  std::optional<TimePoint> lease_until_;
  bool outage_recovered_ = false;
  std::string last_state_ = "ok";
  std::size_t held_ = 0;  // models whose deletions wait for an admin
  std::map<std::string, std::pair<std::string, TimePoint>> recorded_;  // model → (error, when written)
  std::optional<EngineState> saved_;                                    // as last written to the store
  std::optional<TimePoint> saved_at_;

  // Shared with API threads.
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool full_requested_ = false;
  bool reconcile_requested_ = false;
  bool push_requested_ = false;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> holds_lease_{false};
  std::unique_ptr<events::Subscription> subscription_;
  EngineState state_;
};

/// This installation's id for the sync lease, kept in <data_dir>/instance-id
/// (created on first use): a restarted Visor takes its lease back at once.
std::string instance_id(const std::filesystem::path& data_dir);

}  // namespace visor::sync
