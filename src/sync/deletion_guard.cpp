#include "sync/deletion_guard.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "util/log.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

constexpr std::string_view kHeldKey = "sync.deletions.held";
constexpr std::string_view kApprovedKey = "sync.deletions.approved";

std::optional<RecordKind> parse_kind(std::string_view text) {
  for (auto k : {RecordKind::stage, RecordKind::team, RecordKind::user, RecordKind::category, RecordKind::equipment,
                 RecordKind::task})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

// The stored JSON, or null when absent or unreadable (which is logged: it is
// only ever written here).
json::value stored(storage::Tx& tx, std::string_view key) {
  const auto text = tx.settings().get(key);
  if (!text) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec) {
    log::error("sync", "unreadable deletion guard state", {{"key", std::string(key)}});
    return nullptr;
  }
  return v;
}

std::string what(RecordKind kind, std::size_t n) {
  switch (kind) {
    case RecordKind::task: return n == 1 ? "task" : "tasks";
    case RecordKind::equipment: return n == 1 ? "machine" : "machines";
    case RecordKind::user: return n == 1 ? "user" : "users";
    case RecordKind::stage: return n == 1 ? "stage" : "stages";
    case RecordKind::team: return n == 1 ? "team" : "teams";
    case RecordKind::category: return n == 1 ? "category" : "categories";
  }
  return "records";
}

}  // namespace

bool must_hold(const DeletionGuard& guard, std::size_t gone, std::int64_t linked) {
  const auto n = static_cast<std::int64_t>(gone);
  if (n > guard.max_records) return true;
  return n >= 2 && n * 100 > static_cast<std::int64_t>(guard.share_percent) * linked;
}

std::vector<HeldDeletion> load_held(storage::Tx& tx) {
  std::vector<HeldDeletion> out;
  const json::value v = stored(tx, kHeldKey);
  if (!v.is_array()) return out;
  for (const auto& item : v.get_array()) {
    const auto* o = item.if_object();
    if (!o || !o->contains("model") || !o->at("model").is_string()) continue;
    HeldDeletion h;
    h.model = std::string(o->at("model").get_string());
    if (const auto* k = o->if_contains("kind"); k && k->is_string()) h.kind = parse_kind(k->get_string()).value_or(h.kind);
    if (const auto* l = o->if_contains("linked"); l && l->is_int64()) h.linked = l->get_int64();
    if (const auto* s = o->if_contains("since"); s && s->is_string())
      h.since = parse_iso8601(s->get_string()).value_or(TimePoint{});
    if (const auto* r = o->if_contains("records"); r && r->is_array()) {
      for (const auto& pair : r->get_array()) {
        const auto* a = pair.if_array();
        if (a && a->size() == 2 && (*a)[0].is_int64() && (*a)[1].is_int64())
          h.records.push_back({(*a)[0].get_int64(), (*a)[1].get_int64()});
      }
    }
    out.push_back(std::move(h));
  }
  return out;
}

void save_held(storage::Tx& tx, const std::vector<HeldDeletion>& held) {
  if (held.empty()) {
    tx.settings().remove(kHeldKey);
    return;
  }
  json::array out;
  for (const auto& h : held) {
    json::array records;
    for (const auto& r : h.records) records.push_back(json::array{r.cmms_id, r.local_id});
    out.push_back(json::object{{"model", h.model},
                               {"kind", to_string(h.kind)},
                               {"linked", h.linked},
                               {"since", format_iso8601(h.since)},
                               {"records", std::move(records)}});
  }
  tx.settings().put(kHeldKey, json::serialize(out));
}

Approvals load_approved(storage::Tx& tx) {
  Approvals out;
  const json::value v = stored(tx, kApprovedKey);
  if (!v.is_object()) return out;
  for (const auto& kv : v.get_object()) {
    if (!kv.value().is_array()) continue;
    auto& ids = out[std::string(kv.key())];
    for (const auto& id : kv.value().get_array())
      if (id.is_int64()) ids.insert(id.get_int64());
  }
  return out;
}

void save_approved(storage::Tx& tx, const Approvals& approved) {
  json::object out;
  for (const auto& [model, ids] : approved) {
    if (ids.empty()) continue;
    json::array list;
    for (auto id : ids) list.push_back(id);
    out[model] = std::move(list);
  }
  if (out.empty()) {
    tx.settings().remove(kApprovedKey);
  } else {
    tx.settings().put(kApprovedKey, json::serialize(out));
  }
}

std::string held_message(const std::vector<HeldDeletion>& held) {
  if (held.empty()) return {};
  std::string list;
  for (const auto& h : held) {
    if (!list.empty()) list += ", ";
    list += std::to_string(h.records.size()) + " of " + std::to_string(h.linked) + " " + what(h.kind, h.linked);
  }
  return "The CMMS no longer has " + list +
         ". Nothing was removed in Visor: an admin confirms these deletions on the connector page "
         "(or with `visor sync confirm-deletions`).";
}

}  // namespace visor::sync
