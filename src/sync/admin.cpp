#include "sync/admin.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "sync/engine.hpp"
#include "sync/errors.hpp"
#include "sync/status.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

void audit(storage::Tx& tx, const AdminActor& actor, TimePoint now, std::string action, std::string target_type,
           std::string target_id, json::object detail = {}) {
  storage::AuditEntry e;
  e.at = now;
  e.actor = actor.user;
  e.actor_label = actor.label;
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.detail = json::serialize(detail);
  e.remote_addr = actor.remote_addr;
  tx.audit().append(e);
}

json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_iso8601(*t));
}

std::string count_text(std::int64_t n, const std::string& model) { return std::to_string(n) + " " + model; }

}  // namespace

ConnectorSettings get_connector(SyncServices& s) {
  return s.store.read_value([](storage::Tx& tx) { return load_connector(tx); });
}

ConnectorSettings put_connector(SyncServices& s, const ConnectorUpdate& u, const AdminActor& actor) {
  json::array changed;
  auto note = [&](bool set, std::string_view name) {
    if (set) changed.push_back(json::string(name));
  };
  note(u.url.has_value(), "url");
  note(u.database.has_value(), "database");
  note(u.login.has_value(), "login");
  note(u.protocol.has_value(), "protocol");
  note(u.poll_interval.has_value(), "poll_interval");
  note(u.verify_tls.has_value(), "verify_tls");
  note(u.ca_file.has_value(), "ca_file");
  note(u.proxy.has_value(), "proxy");
  note(u.timeout.has_value(), "timeout");
  note(u.enabled.has_value(), "enabled");
  note(u.guard_share_percent.has_value(), "deletion_guard_percent");
  note(u.guard_max_records.has_value(), "deletion_guard_max");
  note(u.secret.has_value(), "secret");
  const TimePoint now = s.clock.now();
  const ConnectorSettings saved = s.store.write_value([&](storage::Tx& tx) {
    ConnectorSettings c = save_connector(tx, u, s.box, s.driver);
    audit(tx, actor, now, "connector.update", "connector", "cmms", {{"changed", changed}});
    return c;
  });
  if (s.engine) s.engine->wake();  // reconnect with the new settings now
  return saved;
}

json::object to_json(const ConnectorSettings& s) {
  return json::object{
      {"url", s.url},
      {"database", s.database},
      {"login", s.login},
      {"protocol", s.protocol},
      {"poll_interval_seconds", s.poll_interval ? json::value(s.poll_interval->count()) : json::value(nullptr)},
      {"verify_tls", s.verify_tls},
      {"ca_file", s.ca_file},
      {"proxy", s.proxy},
      {"timeout_seconds", s.timeout.count()},
      {"enabled", s.enabled},
      {"deletion_guard_percent", s.guard.share_percent},
      {"deletion_guard_max", s.guard.max_records},
      {"configured", !s.url.empty() && s.has_secret},
      {"secret_set", s.has_secret},
  };
}

json::object test_connector(SyncServices& s, const std::optional<ConnectorUpdate>& update) {
  std::optional<ConnectionSettings> connection;
  bool configured = false;
  s.store.read([&](storage::Tx& tx) {
    ConnectorSettings c = load_connector(tx);
    configured = !c.url.empty();
    if (update) c = merged(c, *update);
    std::optional<Secret> secret = update && update->secret ? update->secret : load_secret(tx, s.box);
    if (!update && (!configured || !secret)) return;
    connection = to_connection(c, secret.value_or(Secret()));
  });
  if (!connection) return json::object{{"ok", false}, {"kind", "config"}, {"message", "No CMMS connection is configured."}};
  if (const auto problems = s.driver.problems(*connection, !connection->secret.empty()); !problems.empty())
    invalid(problems.front());
  try {
    auto connector = s.driver.make(*connection);
    const Probe probe = connector->probe();
    json::object visible;
    for (const auto& [model, n] : probe.visible) visible[model] = n;
    json::array warnings;
    for (const auto& w : probe.warnings) warnings.push_back(json::string(w));
    std::string message = "Connected to " + probe.server + ".";
    for (const auto& w : probe.warnings) message += " " + w;
    return json::object{{"ok", true},           {"server", probe.server},
                        {"message", message},   {"visible", std::move(visible)},
                        {"warnings", std::move(warnings)}};
  } catch (const CmmsError& e) {
    return json::object{{"ok", false}, {"kind", to_string(e.kind())}, {"message", e.admin_message()}};
  } catch (const Error& e) {
    return json::object{{"ok", false}, {"kind", "config"}, {"message", e.detail()}};
  }
}

json::object status(SyncServices& s) {
  if (s.engine) return s.engine->status();
  return sync_status(s.store, s.clock, s.default_poll);
}

void sync_now(SyncServices& s) {
  if (!s.engine) fail(ErrorCode::unavailable, "The sync engine is not running in this instance.");
  s.engine->sync_now();
}

std::vector<storage::OutboxMessage> list_outbox(SyncServices& s, std::optional<storage::OutboxStatus> status,
                                                int limit) {
  if (limit < 1 || limit > 1000) invalid("limit must be between 1 and 1000.");
  return s.store.read_value([&](storage::Tx& tx) { return tx.outbox().list(status, limit); });
}

void requeue(SyncServices& s, std::int64_t id, const AdminActor& actor) {
  const TimePoint now = s.clock.now();
  s.store.write([&](storage::Tx& tx) {
    tx.outbox().requeue(id, now);
    audit(tx, actor, now, "outbox.requeue", "outbox", std::to_string(id));
  });
  if (s.engine) s.engine->push_soon();
}

json::object to_json(const storage::OutboxMessage& m) {
  boost::system::error_code ec;
  json::value payload = json::parse(m.payload, ec);
  if (ec) payload = nullptr;
  return json::object{{"id", m.id},
                      {"record_key", m.record_key},
                      {"model", m.model},
                      {"operation", m.operation},
                      {"status", storage::to_string(m.status)},
                      {"attempts", m.attempts},
                      {"created_at", format_iso8601(m.created_at)},
                      {"next_attempt_at", format_iso8601(m.next_attempt_at)},
                      {"delivered_at", time_or_null(m.delivered_at)},
                      {"last_error", m.last_error},
                      {"payload", std::move(payload)}};
}

std::vector<storage::Conflict> list_conflicts(SyncServices& s, bool unreviewed_only, int limit) {
  if (limit < 1 || limit > 1000) invalid("limit must be between 1 and 1000.");
  return s.store.read_value([&](storage::Tx& tx) { return tx.sync().conflicts(unreviewed_only, limit); });
}

void review_conflict(SyncServices& s, std::int64_t id, const AdminActor& actor) {
  if (!actor.user) invalid("A conflict is reviewed by a person.");
  const TimePoint now = s.clock.now();
  s.store.write([&](storage::Tx& tx) {
    tx.sync().review_conflict(id, *actor.user, now);
    audit(tx, actor, now, "conflict.review", "conflict", std::to_string(id));
  });
}

std::vector<HeldDeletion> held_deletions(SyncServices& s) {
  return s.store.read_value([](storage::Tx& tx) { return load_held(tx); });
}

std::size_t confirm_deletions(SyncServices& s, const std::optional<std::string>& model, const AdminActor& actor) {
  const TimePoint now = s.clock.now();
  const std::size_t confirmed = s.store.write_value([&](storage::Tx& tx) {
    std::vector<HeldDeletion> held = load_held(tx);
    Approvals approved = load_approved(tx);
    std::size_t n = 0;
    json::array what;
    std::erase_if(held, [&](const HeldDeletion& h) {
      if (model && h.model != *model) return false;
      for (const auto& r : h.records) approved[h.model].insert(r.cmms_id);
      n += h.records.size();
      what.push_back(json::string(count_text(static_cast<std::int64_t>(h.records.size()), h.model)));
      return true;
    });
    if (n == 0) not_found(model ? "No deletions of " + *model + " wait for a confirmation." : "No deletions wait for a confirmation.");
    save_held(tx, held);
    save_approved(tx, approved);
    audit(tx, actor, now, "sync.deletions.confirm", "connector", "cmms", {{"confirmed", what}});
    return n;
  });
  if (s.engine) s.engine->wake(true);
  return confirmed;
}

json::object to_json(const HeldDeletion& h) {
  json::array ids;
  for (const auto& r : h.records) ids.push_back(r.cmms_id);
  return json::object{{"model", h.model},
                      {"kind", to_string(h.kind)},
                      {"count", static_cast<std::int64_t>(h.records.size())},
                      {"linked", h.linked},
                      {"since", format_iso8601(h.since)},
                      {"cmms_ids", std::move(ids)}};
}

}  // namespace visor::sync
