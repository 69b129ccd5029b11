#pragma once
// The sync engine: one background thread that, every poll interval (and at
// once when woken), delivers the due outbox messages, pulls what changed in
// the CMMS, and now and then reconciles. It owns the outbox bookkeeping —
// order per record (the store's `due`), backoff with jitter, intent records
// before non-idempotent sends, parking what cannot succeed — plus status,
// metrics and the admin alert raised when the CMMS refuses Visor's
// credentials. `run_once` does one full cycle on the caller's thread
// (`visor sync --once`).
//
// Several Visor instances on one PostgreSQL database: a lease in the
// settings table lets one engine at a time work (see docs/decisions/0006-sync-engine.md).
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
#include "connectors/odoo/options.hpp"
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/backoff.hpp"
#include "sync/connector.hpp"
#include "sync/errors.hpp"
#include "sync/odoo_pull.hpp"
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
  PullOptions pull;
  /// Who holds the sync lease; stable across restarts of one installation.
  std::string instance_id = "visor";
  std::function<double()> unit_random = random_unit;
};

/// Builds a connector for connection options (tests inject their own).
using ConnectorFactory = std::function<std::unique_ptr<Connector>(const odoo::ConnectionOptions&)>;

/// What one cycle did (for `visor sync --once`, tests and benchmarks).
struct CycleReport {
  bool configured = false;
  bool lease = true;  // false: another instance syncs
  std::int64_t delivered = 0;
  std::int64_t skipped = 0;
  std::int64_t retried = 0;
  std::int64_t parked = 0;
  std::vector<ModelPull> pulls;
  std::vector<ModelPull> reconciles;
  std::vector<std::string> errors;  // one line per failure
  bool ok() const { return configured && lease && errors.empty(); }
};

class Engine {
 public:
  /// `box` seals and opens the connector secret (the composition root
  /// decides where its key comes from, see app/keys.hpp).
  Engine(storage::Store& store, events::EventBus& bus, const IClock& clock, metrics::Registry& registry,
         auth::SecretBox box, EngineOptions options = {}, ConnectorFactory factory = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Starts the background thread (and wakes on task events of the bus).
  void start();
  /// Stops the thread after its current step; releases the lease.
  void stop();
  bool running() const;

  /// "Sync now": a full cycle as soon as possible.
  void wake();
  /// POST /api/v1/sync/run: wake(), or Error(conflict) when no enabled CMMS
  /// connection is configured.
  void sync_now();
  /// Local changes were recorded: deliver soon.
  void push_soon();

  /// One full cycle on this thread (not while the thread runs).
  /// `reconcile`: also compare ids with the CMMS.
  CycleReport run_once(bool reconcile);

  /// GET /api/v1/sync/status.
  boost::json::object status();

  /// Tests the stored settings (or `options`) against the CMMS: version,
  /// credentials, rights. {"ok", "server", "message"}.
  boost::json::object test_connection(const std::optional<odoo::ConnectionOptions>& options = std::nullopt);

  const auth::SecretBox& secret_box() const { return box_; }

 private:
  struct Alert {
    std::string kind;
    std::string message;
    TimePoint since{};
  };

  void loop();
  CycleReport cycle(bool full, bool reconcile);
  bool ensure_connector(CycleReport& report);
  bool hold_lease();
  void release_lease();
  void deliver_due(CycleReport& report);
  void pull_all(CycleReport& report, bool reconcile);
  void expedite_retries();
  void failed(const CmmsError& e, CycleReport& report);
  void raise_alert(const CmmsError& e);
  void clear_alert();
  void refresh_gauges();
  TimePoint retry_time(int attempts);

  storage::Store& store_;
  events::EventBus& bus_;
  const IClock& clock_;
  SyncMetrics metrics_;
  auth::SecretBox box_;
  EngineOptions options_;
  ConnectorFactory factory_;

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
  std::map<std::string, std::pair<std::string, TimePoint>> recorded_;  // model → (error, when written)

  // Shared with API threads.
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool full_requested_ = false;
  bool push_requested_ = false;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::unique_ptr<events::Subscription> subscription_;
  bool configured_ = false;
  bool enabled_ = false;
  std::string server_;
  std::optional<TimePoint> last_cycle_;
  std::optional<TimePoint> last_success_;
  std::optional<Alert> alert_;
  std::map<std::string, std::int64_t> failures_;
  std::string last_error_;
};

/// This installation's id for the sync lease, kept in <data_dir>/instance-id
/// (created on first use): a restarted Visor takes its lease back at once.
std::string instance_id(const std::filesystem::path& data_dir);

/// The connector factory for Odoo.
ConnectorFactory odoo_factory(storage::Store& store, events::EventBus& bus, const IClock& clock,
                              metrics::Registry& registry, PullOptions pull = {});

}  // namespace visor::sync
