#include "sync/engine.hpp"

#include <sodium.h>

#include <fstream>
#include <unordered_set>

#include <boost/json/serialize.hpp>

#include "sync/connector_settings.hpp"
#include "sync/deletion_guard.hpp"
#include "sync/engine_internal.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;
using detail::admins;
using detail::one_line;

namespace {

constexpr std::string_view kLeaseKey = "sync.lease";
constexpr int kDueBatch = 50;

events::Audience planners() {
  events::Audience a;
  a.planners_only = true;
  return a;
}

// The parts of the state that, when they change, are written at once.
bool same_state(const EngineState& a, const EngineState& b) {
  return a.instance == b.instance && a.server == b.server && a.last_error == b.last_error && a.alert == b.alert &&
         a.failures == b.failures && a.last_success.has_value() == b.last_success.has_value();
}

}  // namespace

std::string instance_id(const std::filesystem::path& data_dir) {
  const auto path = data_dir / "instance-id";
  {
    std::ifstream in(path);
    std::string id;
    if (in >> id && !id.empty()) return id;
  }
  unsigned char bytes[8];
  randombytes_buf(bytes, sizeof bytes);
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  std::filesystem::create_directories(data_dir);
  std::ofstream out(path, std::ios::trunc);
  out << hex << "\n";
  return hex;
}

Engine::Engine(storage::Store& store, events::EventBus& bus, const IClock& clock, metrics::Registry& registry,
               const auth::SecretBox& box, const ConnectorDriver& driver, EngineOptions options)
    : store_(store),
      bus_(bus),
      clock_(clock),
      metrics_(registry),
      box_(box),
      driver_(driver),
      options_(std::move(options)),
      interval_(options_.poll_interval) {
  state_.instance = options_.instance_id;
}

Engine::~Engine() { stop(); }

void Engine::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  full_requested_ = true;
  reconcile_requested_ = true;
  // Local changes publish events (tasks, users…), most of which put a
  // message in the outbox: deliver them without waiting for the next poll.
  Actor observer{UserId{0}, Role::admin, std::nullopt};
  subscription_ = bus_.subscribe(observer, 0, [this] { push_soon(); });
  thread_ = std::thread([this] { loop(); });
  running_ = true;
}

void Engine::stop() {
  bool joined = false;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    joined = thread_.joinable();
  }
  if (joined) {
    cv_.notify_all();
    thread_.join();
    running_ = false;
    subscription_.reset();
  }
  try {
    release_lease();
  } catch (const std::exception& e) {
    log::warn("sync", "cannot release the sync lease", {{"error", e.what()}});
  }
}

bool Engine::running() const { return running_; }

void Engine::wake(bool reconcile) {
  {
    std::lock_guard lock(mutex_);
    full_requested_ = true;
    reconcile_requested_ = reconcile_requested_ || reconcile;
  }
  cv_.notify_all();
}

void Engine::sync_now() {
  const bool usable = store_.read_value([](storage::Tx& tx) {
    const ConnectorSettings s = load_connector(tx);
    return !s.url.empty() && s.has_secret && s.enabled;
  });
  if (!usable) fail(ErrorCode::conflict, "No CMMS connection is configured (or it is disabled).");
  wake(true);
}

void Engine::push_soon() {
  {
    std::lock_guard lock(mutex_);
    push_requested_ = true;
  }
  cv_.notify_all();
}

void Engine::loop() {
  auto next_full = std::chrono::steady_clock::now();
  for (;;) {
    bool full = false;
    bool reconcile = false;
    {
      std::unique_lock lock(mutex_);
      auto until = next_full;
      if (next_retry_) {
        const auto in = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            *next_retry_ - clock_.now() + std::chrono::milliseconds(50));
        until = std::min(until, std::chrono::steady_clock::now() + std::max(in, std::chrono::steady_clock::duration(0)));
      }
      cv_.wait_until(lock, until, [&] { return stop_ || full_requested_ || push_requested_; });
      if (stop_) return;
      full = full_requested_ || std::chrono::steady_clock::now() >= next_full;
      reconcile = full && (reconcile_requested_ || !last_reconcile_ ||
                           std::chrono::steady_clock::now() - *last_reconcile_ >= options_.reconcile_interval);
      full_requested_ = false;
      push_requested_ = false;
      if (reconcile) reconcile_requested_ = false;
      if (next_retry_ && clock_.now() >= *next_retry_) next_retry_.reset();
    }
    try {
      const CycleReport r = cycle(full, reconcile);
      // Not done (not configured, another instance syncs, the CMMS failed
      // before reconciling): ask again next time.
      if (reconcile && !r.reconciled) {
        std::lock_guard lock(mutex_);
        reconcile_requested_ = true;
      }
    } catch (const std::exception& e) {
      log::error("sync", "sync cycle failed", {{"error", e.what()}});
      std::lock_guard lock(mutex_);
      state_.last_error = one_line(e.what());
    }
    if (full) next_full = std::chrono::steady_clock::now() + interval_;
  }
}

CycleReport Engine::run_once(bool reconcile) { return cycle(true, reconcile); }

bool Engine::ensure_connector(CycleReport& report) {
  std::string revision;
  std::optional<ConnectionSettings> connection;
  std::optional<std::chrono::seconds> interval;
  bool enabled = false;
  store_.read([&](storage::Tx& tx) {
    revision = connector_revision(tx);
    if (connector_ && revision == connector_revision_) return;
    const ConnectorSettings s = load_connector(tx);
    enabled = s.enabled;
    interval = s.poll_interval;
    if (enabled) connection = load_connection(tx, box_);
  });
  if (connector_ && revision == connector_revision_) {
    report.configured = true;
    return true;
  }
  connector_.reset();
  connector_revision_ = revision;
  interval_ = interval.value_or(options_.poll_interval);
  {
    std::lock_guard lock(mutex_);
    state_.server.clear();
    if (!connection) state_.alert.reset();
  }
  if (!connection) {
    report.configured = false;
    return false;
  }
  connector_ = driver_.make(*connection);
  // New settings (a new key, say): look for deletions with them at once.
  last_reconcile_.reset();
  held_ = store_.read_value([](storage::Tx& tx) { return load_held(tx).size(); });
  report.configured = true;
  return true;
}

// A lease in the settings table: "<instance> <expiry unix>". It outlives a
// crash by at most three intervals; the same instance takes it back at once.
bool Engine::hold_lease() {
  const TimePoint now = clock_.now();
  const auto ttl = std::max<std::chrono::seconds>(interval_ * 3, std::chrono::seconds(60));
  // Renewed once past half its life: most cycles cost no write.
  if (lease_until_ && now + ttl / 2 < *lease_until_) return true;
  const bool held = store_.write_value([&](storage::Tx& tx) {
    if (const auto current = load_lease(tx)) {
      if (current->holder != options_.instance_id && current->until > now) return false;
    }
    tx.settings().put(kLeaseKey, options_.instance_id + " " + std::to_string(to_unix(now + ttl)));
    return true;
  });
  if (held) {
    lease_until_ = now + ttl;
  } else {
    lease_until_.reset();
  }
  holds_lease_ = held;
  return held;
}

// Only a lease this engine took: a CLI process never ends the server's.
void Engine::release_lease() {
  if (!lease_until_) return;
  lease_until_.reset();
  holds_lease_ = false;
  store_.write([&](storage::Tx& tx) {
    const auto current = load_lease(tx);
    if (current && current->holder == options_.instance_id) tx.settings().remove(kLeaseKey);
  });
}

CycleReport Engine::cycle(bool full, bool reconcile) {
  CycleReport report;
  if (!ensure_connector(report)) {
    refresh_gauges();
    return report;
  }
  if (!hold_lease()) {
    report.lease = false;
    report.errors.push_back("another Visor instance holds the sync lease");
    return report;
  }
  const auto start = std::chrono::steady_clock::now();
  deliver_due(report);
  metrics_.cycle_seconds.with({"push"})
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (full) {
    pull_all(report);
    if (reconcile && report.errors.empty()) reconcile_all(report);
    bool changed = outage_recovered_;
    for (const auto& p : report.pulls) changed |= p.created + p.updated + p.removed > 0;
    outage_recovered_ = false;
    // What the pull unblocked (e.g. a user now linked) or the outage held back.
    if (report.errors.empty() && report.retried == 0 && changed) deliver_due(report);
  }
  const TimePoint now = clock_.now();
  std::string state;
  {
    std::lock_guard lock(mutex_);
    state_.last_cycle = now;
    if (full && report.errors.empty()) state_.last_success = now;
    state_.last_error = report.errors.empty() ? std::string() : report.errors.front();
    if (connector_) state_.server = connector_->describe();
    state = state_.alert || held_ > 0 ? "alert" : !state_.last_error.empty() ? "failing" : "ok";
  }
  if (refresh_gauges() > 0 && state == "ok") state = "attention";
  save_state();
  if (state != last_state_) {
    // Consoles show the connection's health live.
    last_state_ = state;
    bus_.publish("sync.status",
                 json::serialize(json::object{{"state", state}, {"error", report.errors.empty() ? "" : report.errors.front()}}),
                 planners());
  }
  return report;
}

TimePoint Engine::retry_time(int attempts) {
  const auto delay = backoff_delay(options_.backoff, attempts, options_.unit_random);
  const auto secs = std::chrono::ceil<std::chrono::seconds>(delay);
  const TimePoint t = clock_.now() + std::max(secs, std::chrono::seconds(1));
  if (!next_retry_ || t < *next_retry_) next_retry_ = t;
  return t;
}

void Engine::deliver_due(CycleReport& report) {
  std::unordered_set<std::int64_t> tried;
  int handled = 0;
  while (handled < options_.max_deliveries_per_round) {
    const TimePoint now = clock_.now();
    auto due = store_.read_value([&](storage::Tx& tx) { return tx.outbox().due(now, kDueBatch); });
    std::erase_if(due, [&](const storage::OutboxMessage& m) { return tried.count(m.id) > 0; });
    if (due.empty()) return;
    for (const storage::OutboxMessage& m : due) {
      tried.insert(m.id);
      ++handled;
      const bool uncertain = m.attempts > 0;
      int attempts = m.attempts;
      const std::string op = m.model + "." + m.operation;
      const bool intent = connector_->needs_intent(m);
      if (intent) {
        // Recorded before sending: after a crash the next attempt knows it
        // may have reached the CMMS and checks first.
        ++attempts;
        const TimePoint at = retry_time(attempts);
        store_.write([&](storage::Tx& tx) { tx.outbox().mark_retry(m.id, attempts, at, "attempt in progress"); });
      }
      try {
        const Delivery d = connector_->deliver(m, uncertain);
        if (d.outcome == Delivery::Outcome::wait) {
          const TimePoint at = clock_.now() + d.wait;
          if (!next_retry_ || at < *next_retry_) next_retry_ = at;
          store_.write([&](storage::Tx& tx) { tx.outbox().mark_retry(m.id, attempts, at, "waiting for " + d.note); });
          metrics_.deliveries.with({op, "wait"}).inc();
          continue;
        }
        store_.write([&](storage::Tx& tx) { tx.outbox().mark_delivered(m.id, clock_.now()); });
        const bool skip = d.outcome == Delivery::Outcome::skipped;
        ++(skip ? report.skipped : report.delivered);
        metrics_.deliveries.with({op, skip ? "skipped" : "delivered"}).inc();
        if (skip) log::info("sync", "outbox message skipped", {{"id", std::to_string(m.id)}, {"why", d.note}});
        if (outage_) expedite_retries();
      } catch (const CmmsError& e) {
        failed(e, report);
        if (e.retryable()) {
          const int n = intent ? attempts : attempts + 1;
          const TimePoint at = retry_time(n);
          store_.write([&](storage::Tx& tx) { tx.outbox().mark_retry(m.id, n, at, one_line(e.what())); });
          ++report.retried;
          metrics_.deliveries.with({op, "retry"}).inc();
          return;  // the CMMS is failing: stop this round
        }
        store_.write([&](storage::Tx& tx) { tx.outbox().mark_failed(m.id, one_line(e.what())); });
        ++report.parked;
        metrics_.deliveries.with({op, "parked"}).inc();
        log::warn("sync", "outbox message parked", {{"id", std::to_string(m.id)}, {"error", e.what()}});
        bus_.publish("sync.outbox_failed",
                     json::serialize(json::object{{"id", m.id}, {"record", m.record_key}, {"error", one_line(e.what())}}),
                     planners());
      } catch (const std::exception& e) {
        // A bug or a store failure: retry later, never lose the message.
        log::error("sync", "outbox delivery failed", {{"id", std::to_string(m.id)}, {"error", e.what()}});
        const int n = intent ? attempts : attempts + 1;
        const TimePoint at = retry_time(n);
        store_.write([&](storage::Tx& tx) { tx.outbox().mark_retry(m.id, n, at, one_line(e.what())); });
        ++report.retried;
        report.errors.push_back(one_line(e.what()));
        return;
      }
    }
  }
}

// After an outage, messages that failed during it come back at once instead
// of waiting out their backoff.
void Engine::expedite_retries() {
  outage_ = false;
  outage_recovered_ = true;
  const TimePoint now = clock_.now();
  store_.write([&](storage::Tx& tx) {
    for (const auto& m : tx.outbox().list(storage::OutboxStatus::pending, 100000))
      if (m.attempts > 0 && m.next_attempt_at > now) tx.outbox().mark_retry(m.id, m.attempts, now, m.last_error);
  });
  next_retry_.reset();
}

void Engine::failed(const CmmsError& e, CycleReport& report) {
  const std::string kind(to_string(e.kind()));
  metrics_.failures.with({kind}).inc();
  report.errors.push_back(one_line(e.what()));
  {
    std::lock_guard lock(mutex_);
    ++state_.failures[kind];
  }
  if (e.is_outage()) {
    outage_ = true;
    if (connector_ && e.kind() == CmmsError::Kind::transport) connector_->disconnect();
  }
  if (e.needs_admin()) raise_alert(EngineAlert{kind, e.admin_message(), clock_.now()});
  log::warn("sync", "CMMS call failed", {{"kind", kind}, {"error", e.what()}});
}

void Engine::raise_alert(const EngineAlert& a) {
  {
    std::lock_guard lock(mutex_);
    if (state_.alert && state_.alert->kind == a.kind && state_.alert->message == a.message) return;
    state_.alert = a;
  }
  metrics_.alert.set(1);
  log::error("sync", "CMMS alert", {{"kind", a.kind}, {"message", a.message}});
  bus_.publish("sync.alert",
               json::serialize(json::object{{"kind", a.kind}, {"message", a.message}, {"since", format_iso8601(a.since)}}),
               admins());
}

void Engine::clear_alert() {
  {
    std::lock_guard lock(mutex_);
    if (!state_.alert) return;
    state_.alert.reset();
  }
  metrics_.alert.set(0);
  bus_.publish("sync.alert", json::serialize(json::object{{"cleared", true}}), admins());
}

std::int64_t Engine::refresh_gauges() {
  const auto stats = store_.read_value([](storage::Tx& tx) { return tx.outbox().stats(); });
  metrics_.outbox_depth.set(double(stats.pending));
  metrics_.outbox_failed.set(double(stats.failed));
  const TimePoint now = clock_.now();
  metrics_.outbox_oldest_age.set(stats.oldest_pending ? double((now - *stats.oldest_pending).count()) : 0.0);
  std::lock_guard lock(mutex_);
  metrics_.lag.set(state_.last_success ? double((now - *state_.last_success).count()) : 0.0);
  return stats.failed;
}

// Written when something an admin would see changes, and as a heartbeat:
// `visor sync status` in another process reads it (sync/status.hpp).
void Engine::save_state() {
  if (!lease_until_) return;
  EngineState s;
  {
    std::lock_guard lock(mutex_);
    s = state_;
  }
  const TimePoint now = clock_.now();
  const bool changed =
      !saved_ || !same_state(*saved_, s) || !saved_at_ || now - *saved_at_ >= options_.state_heartbeat;
  if (!changed) return;
  store_.write([&](storage::Tx& tx) { save_engine_state(tx, s); });
  saved_ = std::move(s);
  saved_at_ = now;
}

std::optional<EngineState> Engine::live() const {
  if (!holds_lease_) return std::nullopt;
  std::lock_guard lock(mutex_);
  return state_;
}

json::object Engine::status() {
  return sync_status(store_, clock_, options_.poll_interval, live(), running_.load());
}

}  // namespace visor::sync
