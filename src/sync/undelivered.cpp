#include "sync/undelivered.hpp"

#include <boost/json/parse.hpp>

#include "sync/changes.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

// Enough for any real backlog; a larger one means the CMMS has been away for
// long, and then the pull is not running either.
constexpr int kMaxListed = 200000;

std::int64_t int_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

void add(Undelivered& out, const storage::OutboxMessage& m) {
  boost::system::error_code ec;
  const json::value payload = json::parse(m.payload, ec);
  if (ec || !payload.is_object()) return;
  const auto& o = payload.get_object();
  const MessageType type = message_type(m);
  if (type.record == kUserRecord) {
    if (auto id = int_member(o, "user_id")) out.users.insert(id);
    return;
  }
  if (type.record != kTaskRecord) return;
  const auto task = int_member(o, "task_id");
  if (type.operation == kDelete) {
    if (auto cmms = int_member(o, "cmms_id")) out.unlinking.insert(cmms);
    if (auto legacy = int_member(o, "odoo_id")) out.unlinking.insert(legacy);
  }
  if (!task) return;
  TaskBacklog& b = out.tasks[task];
  b.any = true;
  if (type.operation == kCreate) b.create_key = m.idempotency_key;
  if (type.operation == kUpdate) {
    if (const auto* values = o.if_contains("values"); values && values->is_object()) {
      for (const auto& kv : values->get_object())
        if (auto f = parse_payload_key(kv.key())) b.owned.insert(*f);
    }
  }
}

}  // namespace

const TaskBacklog* Undelivered::task(TaskId id) const {
  const auto it = tasks.find(id.value);
  return it == tasks.end() ? nullptr : &it->second;
}

Undelivered load_undelivered(storage::Tx& tx) {
  Undelivered out;
  for (auto status : {storage::OutboxStatus::pending, storage::OutboxStatus::failed})
    for (const auto& m : tx.outbox().list(status, kMaxListed)) add(out, m);
  return out;
}

}  // namespace visor::sync
