#include "sync/changes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <sodium.h>

#include "sync/task_fields.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

std::string random_key() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

void enqueue(storage::Tx& tx, std::string record_key, std::string model, std::string operation, json::object payload,
             TimePoint now) {
  storage::OutboxMessage m;
  m.record_key = std::move(record_key);
  m.model = std::move(model);
  m.operation = std::move(operation);
  m.payload = json::serialize(payload);
  m.created_at = now;
  m.next_attempt_at = now;
  // Unique per message and stable across retries (stored with it).
  m.idempotency_key = random_key();
  tx.outbox().enqueue(m);
}

std::string task_key(const Task& t) { return "task:" + std::to_string(t.id.value); }

}  // namespace

bool cmms_enabled(storage::Tx& tx) { return tx.settings().get(kCmmsEnabledKey).value_or("") == "1"; }

void task_created(storage::Tx& tx, const Task& task, TimePoint now) {
  if (!cmms_enabled(tx) || task.odoo_id) return;
  enqueue(tx, task_key(task), "maintenance.request", "create", {{"task_id", task.id.value}}, now);
}

void task_changed(storage::Tx& tx, const Task& before, const Task& after, TimePoint now) {
  if (!cmms_enabled(tx)) return;
  json::object values;
  json::object base;
  for (TaskField f : all_task_fields()) {
    json::value was = payload_value(before, f);
    json::value is = payload_value(after, f);
    if (was == is) continue;
    values[payload_key(f)] = std::move(is);
    base[payload_key(f)] = std::move(was);
  }
  if (values.empty()) return;
  enqueue(tx, task_key(after), "maintenance.request", "write",
          {{"task_id", after.id.value}, {"values", std::move(values)}, {"base", std::move(base)}}, now);
}

void task_deleted(storage::Tx& tx, const Task& task, TimePoint now) {
  if (!cmms_enabled(tx)) return;
  json::object payload{{"task_id", task.id.value}};
  if (task.odoo_id) payload["odoo_id"] = task.odoo_id->value;
  enqueue(tx, task_key(task), "maintenance.request", "unlink", std::move(payload), now);
}

void task_note(storage::Tx& tx, const Task& task, const std::string& html, TimePoint now) {
  if (!cmms_enabled(tx)) return;
  enqueue(tx, task_key(task), "maintenance.request", "message_post", {{"task_id", task.id.value}, {"body", html}},
          now);
}

void user_created(storage::Tx& tx, const User& user, TimePoint now) {
  if (!cmms_enabled(tx) || user.odoo_id) return;
  enqueue(tx, "user:" + std::to_string(user.id.value), "res.users", "create", {{"user_id", user.id.value}}, now);
}

}  // namespace visor::sync
