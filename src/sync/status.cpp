#include "sync/status.hpp"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "sync/connector_settings.hpp"
#include "sync/deletion_guard.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

constexpr std::string_view kStateKey = "sync.engine";
constexpr std::string_view kLeaseKey = "sync.lease";

json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_iso8601(*t));
}

std::optional<TimePoint> time_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return parse_iso8601(v->get_string());
}

std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::value alert_json(const EngineAlert& a) {
  return json::object{{"kind", a.kind}, {"message", a.message}, {"since", format_iso8601(a.since)}};
}

}  // namespace

std::optional<EngineState> load_engine_state(storage::Tx& tx) {
  const auto text = tx.settings().get(kStateKey);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  const json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  EngineState s;
  s.instance = text_of(o, "instance");
  s.server = text_of(o, "server");
  s.last_cycle = time_of(o, "last_cycle");
  s.last_success = time_of(o, "last_success");
  s.last_error = text_of(o, "last_error");
  if (const auto* a = o.if_contains("alert"); a && a->is_object()) {
    s.alert = EngineAlert{text_of(a->get_object(), "kind"), text_of(a->get_object(), "message"),
                          time_of(a->get_object(), "since").value_or(TimePoint{})};
  }
  if (const auto* f = o.if_contains("failures"); f && f->is_object())
    for (const auto& kv : f->get_object())
      if (kv.value().is_int64()) s.failures[std::string(kv.key())] = kv.value().get_int64();
  return s;
}

void save_engine_state(storage::Tx& tx, const EngineState& s) {
  json::object failures;
  for (const auto& [kind, n] : s.failures) failures[kind] = n;
  json::object o{{"instance", s.instance},
                 {"server", s.server},
                 {"last_cycle", time_or_null(s.last_cycle)},
                 {"last_success", time_or_null(s.last_success)},
                 {"last_error", s.last_error},
                 {"alert", s.alert ? alert_json(*s.alert) : json::value(nullptr)},
                 {"failures", std::move(failures)}};
  tx.settings().put(kStateKey, json::serialize(o));
}

std::optional<Lease> load_lease(storage::Tx& tx) {
  const auto current = tx.settings().get(kLeaseKey);
  if (!current) return std::nullopt;
  const auto space = current->rfind(' ');
  if (space == std::string::npos) return std::nullopt;
  long long expiry = 0;
  const char* first = current->data() + space + 1;
  const auto [end, ec] = std::from_chars(first, current->data() + current->size(), expiry);
  if (ec != std::errc()) return std::nullopt;
  return Lease{current->substr(0, space), from_unix(expiry)};
}

json::object sync_status(storage::Store& store, const IClock& clock, std::chrono::seconds default_poll,
                         const std::optional<EngineState>& live, bool running_here) {
  const TimePoint now = clock.now();
  std::vector<storage::PullStatus> pulls;
  storage::OutboxStats outbox;
  std::size_t unreviewed = 0;
  ConnectorSettings settings;
  std::optional<EngineState> stored;
  std::optional<Lease> lease;
  std::vector<HeldDeletion> held;
  store.read([&](storage::Tx& tx) {
    pulls = tx.sync().pulls();
    outbox = tx.outbox().stats();
    unreviewed = tx.sync().conflicts(true, 1000).size();
    settings = load_connector(tx);
    stored = load_engine_state(tx);
    lease = load_lease(tx);
    held = load_held(tx);
  });
  const EngineState engine = live ? *live : stored.value_or(EngineState{});
  const bool configured = !settings.url.empty() && settings.has_secret;
  const bool leased = lease && lease->until > now;

  json::array models;
  for (const auto& p : pulls) {
    models.push_back(json::object{{"model", p.model},
                                  {"last_success", time_or_null(p.last_success)},
                                  {"last_attempt", time_or_null(p.last_attempt)},
                                  {"last_error", p.last_error},
                                  {"records", p.records}});
  }
  json::array held_list;
  for (const auto& h : held) {
    held_list.push_back(json::object{{"model", h.model},
                                     {"kind", to_string(h.kind)},
                                     {"count", static_cast<std::int64_t>(h.records.size())},
                                     {"linked", h.linked},
                                     {"since", format_iso8601(h.since)}});
  }
  std::optional<EngineAlert> alert = engine.alert;
  if (!alert && !held.empty()) alert = EngineAlert{"deletions_held", held_message(held), held.front().since};

  json::object out;
  out["configured"] = configured;
  out["enabled"] = configured && settings.enabled;
  out["running"] = running_here || leased;
  out["instance"] = leased ? json::value(lease->holder) : json::value(nullptr);
  out["server"] = engine.server.empty() ? json::value(nullptr) : json::value(engine.server);
  out["poll_interval_seconds"] = settings.poll_interval.value_or(default_poll).count();
  out["last_cycle_at"] = time_or_null(engine.last_cycle);
  out["last_success_at"] = time_or_null(engine.last_success);
  out["lag_seconds"] =
      engine.last_success ? json::value((now - *engine.last_success).count()) : json::value(nullptr);
  out["last_error"] = engine.last_error;
  out["models"] = std::move(models);
  out["outbox"] = json::object{{"pending", outbox.pending},
                               {"failed", outbox.failed},
                               {"oldest_pending", time_or_null(outbox.oldest_pending)},
                               {"oldest_age_seconds", outbox.oldest_pending
                                                          ? json::value((now - *outbox.oldest_pending).count())
                                                          : json::value(nullptr)}};
  json::object failures;
  for (const auto& [kind, n] : engine.failures) failures[kind] = n;
  out["failures"] = std::move(failures);
  out["conflicts_unreviewed"] = static_cast<std::int64_t>(unreviewed);
  out["held_deletions"] = std::move(held_list);
  out["alert"] = alert ? alert_json(*alert) : json::value(nullptr);
  std::string state = "ok";
  if (!configured) state = "not_configured";
  else if (!settings.enabled) state = "disabled";
  else if (alert) state = "alert";
  else if (!engine.last_error.empty()) state = "failing";
  else if (outbox.failed > 0) state = "attention";  // parked: an admin must look
  else if (!running_here && !leased) state = "stopped";
  else if (!engine.last_success) state = "starting";
  out["state"] = state;
  return out;
}

}  // namespace visor::sync
