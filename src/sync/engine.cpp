#include "sync/engine.hpp"

#include <sodium.h>

#include <fstream>
#include <unordered_set>

#include <boost/json/serialize.hpp>

#include "sync/connector_settings.hpp"
#include "sync/odoo_connector.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

constexpr std::string_view kLeaseKey = "sync.lease";
constexpr int kDueBatch = 50;

json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_iso8601(*t));
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > 500) s.resize(500);
  return s;
}

events::Audience admins() {
  events::Audience a;
  a.admins_only = true;
  return a;
}

events::Audience planners() {
  events::Audience a;
  a.planners_only = true;
  return a;
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

ConnectorFactory odoo_factory(storage::Store& store, events::EventBus& bus, const IClock& clock,
                              metrics::Registry& registry, PullOptions pull) {
  auto metrics = std::make_shared<SyncMetrics>(registry);
  return [&store, &bus, &clock, metrics, pull](const odoo::ConnectionOptions& options) -> std::unique_ptr<Connector> {
    return std::make_unique<OdooConnector>(options, store, bus, clock, metrics.get(), pull);
  };
}

Engine::Engine(storage::Store& store, events::EventBus& bus, const IClock& clock, metrics::Registry& registry,
               auth::SecretBox box, EngineOptions options, ConnectorFactory factory)
    : store_(store),
      bus_(bus),
      clock_(clock),
      metrics_(registry),
      box_(std::move(box)),
      options_(std::move(options)),
      factory_(factory ? std::move(factory) : odoo_factory(store, bus, clock, registry, options_.pull)),
      interval_(options_.poll_interval) {}

Engine::~Engine() { stop(); }

void Engine::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  full_requested_ = true;
  // Task events mean local changes, most of which put a message in the
  // outbox: deliver them without waiting for the next poll.
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

void Engine::wake() {
  {
    std::lock_guard lock(mutex_);
    full_requested_ = true;
  }
  cv_.notify_all();
}

void Engine::sync_now() {
  const bool usable = store_.read_value([](storage::Tx& tx) {
    const ConnectorSettings s = load_connector(tx);
    return !s.url.empty() && s.has_secret && s.enabled;
  });
  if (!usable) fail(ErrorCode::conflict, "No CMMS connection is configured (or it is disabled).");
  wake();
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
  bool first = true;
  for (;;) {
    bool full = false;
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
      full_requested_ = false;
      push_requested_ = false;
      if (next_retry_ && clock_.now() >= *next_retry_) next_retry_.reset();
    }
    const bool reconcile =
        full && (first || !last_reconcile_ ||
                 std::chrono::steady_clock::now() - *last_reconcile_ >= options_.reconcile_interval);
    try {
      const CycleReport r = cycle(full, reconcile);
      if (full && r.configured && r.lease) first = false;
    } catch (const std::exception& e) {
      log::error("sync", "sync cycle failed", {{"error", e.what()}});
      std::lock_guard lock(mutex_);
      last_error_ = one_line(e.what());
    }
    if (full) next_full = std::chrono::steady_clock::now() + interval_;
  }
}

CycleReport Engine::run_once(bool reconcile) {
  return cycle(true, reconcile);
}

bool Engine::ensure_connector(CycleReport& report) {
  std::string revision;
  bool configured = false;
  bool enabled = false;
  std::optional<odoo::ConnectionOptions> options;
  std::optional<std::chrono::seconds> interval;
  store_.read([&](storage::Tx& tx) {
    revision = connector_revision(tx);
    if (connector_ && revision == connector_revision_) return;
    const ConnectorSettings s = load_connector(tx);
    configured = !s.url.empty() && s.has_secret;
    enabled = s.enabled;
    interval = s.poll_interval;
    if (configured && enabled) options = load_connection(tx, box_);
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
    configured_ = configured;
    enabled_ = enabled;
    server_.clear();
    if (!configured || !enabled) alert_.reset();
  }
  if (!options) {
    report.configured = false;
    return false;
  }
  connector_ = factory_(*options);
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
    if (const auto current = tx.settings().get(kLeaseKey)) {
      const auto space = current->rfind(' ');
      const std::string holder = current->substr(0, space);
      long long expiry = 0;
      if (space != std::string::npos) expiry = std::atoll(current->c_str() + space + 1);
      if (holder != options_.instance_id && expiry > to_unix(now)) return false;
    }
    tx.settings().put(kLeaseKey, options_.instance_id + " " + std::to_string(to_unix(now + ttl)));
    return true;
  });
  if (held) {
    lease_until_ = now + ttl;
  } else {
    lease_until_.reset();
  }
  return held;
}

void Engine::release_lease() {
  lease_until_.reset();
  store_.write([&](storage::Tx& tx) {
    const auto current = tx.settings().get(kLeaseKey);
    if (current && current->substr(0, current->rfind(' ')) == options_.instance_id) tx.settings().remove(kLeaseKey);
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
    pull_all(report, reconcile);
    bool changed = outage_recovered_;
    for (const auto& p : report.pulls) changed |= p.created + p.updated + p.removed > 0;
    outage_recovered_ = false;
    // What the pull unblocked (e.g. a user now linked) or the outage held back.
    if (report.errors.empty() && report.retried == 0 && changed) deliver_due(report);
  }
  std::string state;
  {
    std::lock_guard lock(mutex_);
    last_cycle_ = clock_.now();
    if (full && report.errors.empty()) last_success_ = last_cycle_;
    last_error_ = report.errors.empty() ? std::string() : report.errors.front();
    if (connector_) server_ = connector_->describe();
    state = alert_ ? "alert" : last_error_.empty() ? "ok" : "failing";
  }
  if (state != last_state_) {
    // Consoles show the connection's health live.
    last_state_ = state;
    bus_.publish("sync.status", json::serialize(json::object{{"state", state}, {"error", report.errors.empty() ? "" : report.errors.front()}}),
                 planners());
  }
  refresh_gauges();
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
      const std::string op = m.model == "res.users" ? "user_create" : m.operation;
      if (connector_->needs_intent(m)) {
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
          const int n = connector_->needs_intent(m) ? attempts : attempts + 1;
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
        const int n = connector_->needs_intent(m) ? attempts : attempts + 1;
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

void Engine::pull_all(CycleReport& report, bool reconcile) {
  const TimePoint at = clock_.now();
  std::vector<std::pair<std::string, std::string>> outcomes;  // model, error ("" = ok)
  bool stopped = false;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& model : connector_->models()) {
    if (stopped) break;
    try {
      ModelPull r = connector_->pull(model);
      metrics_.pulls.with({model, "ok"}).inc();
      if (r.created) metrics_.records.with({model, "created"}).inc(double(r.created));
      if (r.updated) metrics_.records.with({model, "updated"}).inc(double(r.updated));
      report.pulls.push_back(std::move(r));
      outcomes.emplace_back(model, "");
    } catch (const CmmsError& e) {
      metrics_.pulls.with({model, "error"}).inc();
      failed(e, report);
      outcomes.emplace_back(model, one_line(e.what()));
      stopped = e.is_outage() || e.kind() == CmmsError::Kind::server;
      // A CMMS that cannot answer a plain read is down as a whole.
      if (e.retryable()) outage_ = true;
    }
  }
  metrics_.cycle_seconds.with({"pull"})
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  // Outcomes are written when they change, and at least every 30 s (the
  // status shows the last success per model; an idle poll writes nothing).
  std::vector<std::pair<std::string, std::string>> to_write;
  for (const auto& o : outcomes) {
    auto it = recorded_.find(o.first);
    if (it == recorded_.end() || it->second.first != o.second || at - it->second.second >= std::chrono::seconds(30)) {
      to_write.push_back(o);
    }
  }
  if (!to_write.empty()) {
    store_.write([&](storage::Tx& tx) {
      for (const auto& [model, error] : to_write) tx.sync().record_pull(model, at, error.empty(), error);
    });
    for (const auto& [model, error] : to_write) recorded_[model] = {error, at};
  }
  if (report.errors.empty()) {
    clear_alert();
    if (outage_) expedite_retries();
  }
  if (!reconcile || !report.errors.empty()) return;
  const auto rstart = std::chrono::steady_clock::now();
  for (const std::string& model : connector_->models()) {
    try {
      report.reconciles.push_back(connector_->reconcile(model));
    } catch (const CmmsError& e) {
      failed(e, report);
      if (e.is_outage()) break;
    }
  }
  last_reconcile_ = std::chrono::steady_clock::now();
  metrics_.cycle_seconds.with({"reconcile"})
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - rstart).count());
}

void Engine::failed(const CmmsError& e, CycleReport& report) {
  const std::string kind(to_string(e.kind()));
  metrics_.failures.with({kind}).inc();
  report.errors.push_back(one_line(e.what()));
  {
    std::lock_guard lock(mutex_);
    ++failures_[kind];
  }
  if (e.is_outage()) {
    outage_ = true;
    if (connector_ && e.kind() == CmmsError::Kind::transport) connector_->disconnect();
  }
  if (e.needs_admin()) raise_alert(e);
  log::warn("sync", "CMMS call failed", {{"kind", kind}, {"error", e.what()}});
}

void Engine::raise_alert(const CmmsError& e) {
  Alert a{std::string(to_string(e.kind())), e.admin_message(), clock_.now()};
  {
    std::lock_guard lock(mutex_);
    if (alert_ && alert_->kind == a.kind && alert_->message == a.message) return;
    alert_ = a;
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
    if (!alert_) return;
    alert_.reset();
  }
  metrics_.alert.set(0);
  bus_.publish("sync.alert", json::serialize(json::object{{"cleared", true}}), admins());
}

void Engine::refresh_gauges() {
  const auto stats = store_.read_value([](storage::Tx& tx) { return tx.outbox().stats(); });
  metrics_.outbox_depth.set(double(stats.pending));
  metrics_.outbox_failed.set(double(stats.failed));
  const TimePoint now = clock_.now();
  metrics_.outbox_oldest_age.set(stats.oldest_pending ? double((now - *stats.oldest_pending).count()) : 0.0);
  std::lock_guard lock(mutex_);
  metrics_.lag.set(last_success_ ? double((now - *last_success_).count()) : 0.0);
}

json::object Engine::status() {
  const TimePoint now = clock_.now();
  std::vector<storage::PullStatus> pulls;
  storage::OutboxStats outbox;
  std::size_t unreviewed = 0;
  bool configured = false;
  ConnectorSettings settings;
  store_.read([&](storage::Tx& tx) {
    pulls = tx.sync().pulls();
    outbox = tx.outbox().stats();
    unreviewed = tx.sync().conflicts(true, 1000).size();
    settings = load_connector(tx);
    configured = !settings.url.empty() && settings.has_secret;
  });
  json::array models;
  for (const auto& p : pulls) {
    models.push_back(json::object{{"model", p.model},
                                  {"last_success", time_or_null(p.last_success)},
                                  {"last_attempt", time_or_null(p.last_attempt)},
                                  {"last_error", p.last_error},
                                  {"records", p.records}});
  }
  json::object out;
  std::lock_guard lock(mutex_);
  out["configured"] = configured;
  out["enabled"] = configured && settings.enabled;
  out["running"] = running_.load();
  out["server"] = server_.empty() ? json::value(nullptr) : json::value(server_);
  out["poll_interval_seconds"] = settings.poll_interval.value_or(options_.poll_interval).count();
  out["last_cycle_at"] = time_or_null(last_cycle_);
  out["last_success_at"] = time_or_null(last_success_);
  out["lag_seconds"] = last_success_ ? json::value((now - *last_success_).count()) : json::value(nullptr);
  out["last_error"] = last_error_;
  out["models"] = std::move(models);
  out["outbox"] = json::object{{"pending", outbox.pending},
                               {"failed", outbox.failed},
                               {"oldest_pending", time_or_null(outbox.oldest_pending)},
                               {"oldest_age_seconds", outbox.oldest_pending
                                                          ? json::value((now - *outbox.oldest_pending).count())
                                                          : json::value(nullptr)}};
  json::object failures;
  for (const auto& [kind, n] : failures_) failures[kind] = n;
  out["failures"] = std::move(failures);
  out["conflicts_unreviewed"] = static_cast<std::int64_t>(unreviewed);
  if (alert_) {
    out["alert"] = json::object{{"kind", alert_->kind}, {"message", alert_->message}, {"since", format_iso8601(alert_->since)}};
  } else {
    out["alert"] = nullptr;
  }
  std::string state = "ok";
  if (!configured) state = "not_configured";
  else if (!settings.enabled) state = "disabled";
  else if (alert_) state = "alert";
  else if (!last_error_.empty()) state = "failing";
  else if (!last_success_) state = "starting";
  out["state"] = state;
  return out;
}

json::object Engine::test_connection(const std::optional<odoo::ConnectionOptions>& given) {
  std::optional<odoo::ConnectionOptions> options = given;
  if (!options) options = store_.read_value([&](storage::Tx& tx) { return load_connection(tx, box_); });
  if (!options) return json::object{{"ok", false}, {"message", "No CMMS connection is configured."}};
  try {
    auto connector = factory_(*options);
    connector->probe();
    return json::object{{"ok", true}, {"server", connector->describe()}, {"message", "Connected."}};
  } catch (const CmmsError& e) {
    return json::object{{"ok", false}, {"kind", to_string(e.kind())}, {"message", e.admin_message()}};
  } catch (const Error& e) {
    return json::object{{"ok", false}, {"kind", "config"}, {"message", e.detail()}};
  }
}

}  // namespace visor::sync
