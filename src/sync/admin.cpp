#include "sync/admin.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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

}  // namespace

ConnectorSettings get_connector(storage::Store& store) {
  return store.read_value([](storage::Tx& tx) { return load_connector(tx); });
}

ConnectorSettings put_connector(storage::Store& store, const auth::SecretBox& box, const ConnectorUpdate& u,
                                const AdminActor& actor, TimePoint now) {
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
  note(u.secret.has_value(), "secret");
  return store.write_value([&](storage::Tx& tx) {
    ConnectorSettings s = save_connector(tx, u, box);
    audit(tx, actor, now, "connector.update", "connector", "cmms", {{"changed", changed}});
    return s;
  });
}

json::object to_json(const ConnectorSettings& s) {
  return json::object{
      {"url", s.url},
      {"database", s.database},
      {"login", s.login},
      {"protocol", odoo::to_string(s.protocol)},
      {"poll_interval_seconds", s.poll_interval ? json::value(s.poll_interval->count()) : json::value(nullptr)},
      {"verify_tls", s.verify_tls},
      {"ca_file", s.ca_file},
      {"proxy", s.proxy},
      {"timeout_seconds", s.timeout.count()},
      {"enabled", s.enabled},
      {"configured", !s.url.empty() && s.has_secret},
      {"secret_set", s.has_secret},
  };
}

std::vector<storage::OutboxMessage> list_outbox(storage::Store& store, std::optional<storage::OutboxStatus> status,
                                                int limit) {
  if (limit < 1 || limit > 1000) invalid("limit must be between 1 and 1000.");
  return store.read_value([&](storage::Tx& tx) { return tx.outbox().list(status, limit); });
}

void requeue(storage::Store& store, std::int64_t id, const AdminActor& actor, TimePoint now) {
  store.write([&](storage::Tx& tx) {
    tx.outbox().requeue(id, now);
    audit(tx, actor, now, "outbox.requeue", "outbox", std::to_string(id));
  });
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

std::vector<storage::Conflict> list_conflicts(storage::Store& store, bool unreviewed_only, int limit) {
  if (limit < 1 || limit > 1000) invalid("limit must be between 1 and 1000.");
  return store.read_value([&](storage::Tx& tx) { return tx.sync().conflicts(unreviewed_only, limit); });
}

void review_conflict(storage::Store& store, std::int64_t id, const AdminActor& actor, TimePoint now) {
  if (!actor.user) invalid("A conflict is reviewed by a person.");
  store.write([&](storage::Tx& tx) {
    tx.sync().review_conflict(id, *actor.user, now);
    audit(tx, actor, now, "conflict.review", "conflict", std::to_string(id));
  });
}

}  // namespace visor::sync
