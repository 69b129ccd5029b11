#include "services/equipment.hpp"

#include <algorithm>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <sodium.h>

#include "util/error.hpp"

namespace visor::services {
using storage::Tx;

namespace {

constexpr int kHistory = 20;
constexpr int kHistoryWindow = 200;  // tasks scanned for the last (preventive) job

void check_text(const std::optional<std::string>& v, std::string_view field, std::size_t max) {
  if (v && v->size() > max) invalid(std::string(field) + " must be at most " + std::to_string(max) + " bytes.");
}

EquipmentDetail load(Tx& tx, const Caller& caller, const Equipment& eq) {
  EquipmentDetail d;
  d.equipment = eq;
  if (eq.category_id) {
    for (const Category& c : tx.catalog().categories())
      if (c.id == *eq.category_id) d.category_name = c.name;
  }
  storage::TaskQuery open;
  open.equipment = eq.id;
  open.sort = storage::TaskSort::schedule;
  open.limit = 100;
  if (!caller.actor.plans()) {
    open.scoped = true;
    open.scope_user = caller.actor.user;
    open.scope_team = caller.actor.team;
  }
  d.open_tasks = tx.tasks().list(open).rows;
  storage::TaskQuery done = open;
  done.include_done = true;
  done.sort = storage::TaskSort::updated;
  done.limit = kHistory;
  for (storage::TaskRow& row : tx.tasks().list(done).rows)
    if (row.stage_done) d.history.push_back(std::move(row));
  return d;
}

void apply(Equipment& e, const EquipmentChanges& c) {
  check_text(c.name, "name", 200);
  check_text(c.serial_no, "serial_no", 100);
  check_text(c.model, "model", 100);
  check_text(c.location, "location", 200);
  check_text(c.note, "note", 20'000);
  if (c.name) e.name = *c.name;
  if (c.serial_no) e.serial_no = *c.serial_no;
  if (c.model) e.model = *c.model;
  if (c.category_id) e.category_id = *c.category_id;
  if (c.location) e.location = *c.location;
  if (c.technician_id) e.technician_id = *c.technician_id;
  if (c.team_id) e.team_id = *c.team_id;
  if (c.note) e.note = *c.note;
  if (c.active) e.active = *c.active;
  if (e.name.find_first_not_of(" \t") == std::string::npos) invalid("name must not be empty.");
}

void check_references(Tx& tx, const Equipment& e) {
  if (e.team_id && !tx.catalog().team(*e.team_id)) invalid("team_id does not exist.");
  if (e.technician_id && !tx.users().get(*e.technician_id)) invalid("technician_id does not exist.");
  if (e.category_id) {
    bool found = false;
    for (const Category& c : tx.catalog().categories()) found = found || c.id == *e.category_id;
    if (!found) invalid("category_id does not exist.");
  }
}

}  // namespace

std::string new_equipment_code() {
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  std::string code = "M-";
  for (int i = 0; i < 8; ++i) code.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
  return code;
}

bool valid_equipment_code(std::string_view code) {
  if (code.size() < 3 || code.size() > 40) return false;
  for (char c : code)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

std::vector<storage::EquipmentRow> list_equipment(Deps& deps, const Caller&, storage::EquipmentQuery query) {
  if (query.limit < 1 || query.limit > 500) invalid("limit must be between 1 and 500.");
  return deps.store.read_value([&](Tx& tx) { return tx.equipment().list(query); });
}

EquipmentDetail get_equipment(Deps& deps, const Caller& caller, EquipmentId id) {
  return deps.store.read_value([&](Tx& tx) {
    const std::optional<Equipment> eq = tx.equipment().get(id);
    if (!eq) not_found("Equipment " + std::to_string(id.value) + " does not exist.");
    return load(tx, caller, *eq);
  });
}

EquipmentDetail get_equipment_by_code(Deps& deps, const Caller& caller, const std::string& code) {
  if (!valid_equipment_code(code)) invalid("'" + code + "' is not a machine code.");
  return deps.store.read_value([&](Tx& tx) {
    const std::optional<Equipment> eq = tx.equipment().get_by_code(code);
    if (!eq) not_found("No machine has the code '" + code + "'.");
    return load(tx, caller, *eq);
  });
}

PublicEquipment public_equipment(Deps& deps, const std::string& code, const std::string& remote_addr) {
  const TimePoint now = deps.clock.now();
  struct Found {
    std::optional<PublicEquipment> card;
    std::chrono::seconds wait{0};
  };
  // Every lookup takes a slot; a hit gives it back, a miss keeps it.
  const Found found = deps.store.write_value([&](Tx& tx) {
    Found f;
    const auth::Attempt attempt = auth::try_attempt(tx.auth(), auth::public_card_key(remote_addr), kPublicCardMisses, now);
    if (!attempt.allowed()) {
      f.wait = attempt.wait;
      return f;
    }
    const std::optional<Equipment> eq =
        valid_equipment_code(code) ? tx.equipment().get_by_code(code) : std::optional<Equipment>{};
    if (!eq || !eq->active) return f;
    tx.auth().forget_failure(*attempt.id);
    f.card = PublicEquipment{eq->code, eq->name, eq->location};
    return f;
  });
  if (found.wait.count() > 0)
    throw auth::RateLimited("Too many unknown machine codes from this address. " + auth::retry_phrase(found.wait),
                            found.wait);
  if (!valid_equipment_code(code)) invalid("'" + code + "' is not a machine code.");
  if (!found.card) not_found("No machine has the code '" + code + "'.");
  return *found.card;
}

EquipmentHistory equipment_history(Deps& deps, const Caller&, EquipmentId id, int limit) {
  if (limit < 1 || limit > 50) invalid("limit must be between 1 and 50.");
  return deps.store.read_value([&](Tx& tx) {
    const std::optional<Equipment> eq = tx.equipment().get(id);
    if (!eq) not_found("Equipment " + std::to_string(id.value) + " does not exist.");
    EquipmentHistory h;
    storage::TaskQuery q;
    q.equipment = eq->id;
    q.include_done = true;
    q.sort = storage::TaskSort::updated;
    q.limit = kHistoryWindow;
    for (storage::TaskRow& row : tx.tasks().list(q).rows) {
      if (!row.stage_done) continue;
      h.items.push_back(std::move(row));
    }
    // Newest done first: by close date where the CMMS gave one, else by the last change.
    const auto done_at = [](const storage::TaskRow& r) -> TimePoint {
      return r.task.close_date ? TimePoint(*r.task.close_date) : r.task.updated_at;
    };
    std::stable_sort(h.items.begin(), h.items.end(),
                     [&](const storage::TaskRow& a, const storage::TaskRow& b) { return done_at(a) > done_at(b); });
    for (const storage::TaskRow& row : h.items) {
      if (row.task.type != MaintenanceType::preventive) continue;
      h.last_preventive = row;
      break;
    }
    if (!h.items.empty()) h.last_done = h.items.front();
    if (int(h.items.size()) > limit) h.items.resize(std::size_t(limit));
    if (eq->technician_id) h.technician = tx.users().get(*eq->technician_id);
    if (eq->team_id) h.team = tx.catalog().team(*eq->team_id);
    return h;
  });
}

EquipmentDetail create_equipment(Deps& deps, const Caller& caller, const EquipmentChanges& changes) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only managers can add machines.");
  if (!changes.name) invalid("name is required.");
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    Equipment e;
    apply(e, changes);
    check_references(tx, e);
    e.code = new_equipment_code();
    e.updated_at = now;
    tx.equipment().insert(e);
    audit(tx, caller, now, "equipment.create", "equipment", std::to_string(e.id.value),
          boost::json::serialize(boost::json::object{{"name", e.name}, {"code", e.code}}));
    return load(tx, caller, e);
  });
}

EquipmentDetail update_equipment(Deps& deps, const Caller& caller, EquipmentId id, const EquipmentChanges& changes,
                                 std::optional<std::int64_t> expected_version) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only managers can edit machines.");
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    std::optional<Equipment> e = tx.equipment().get(id);
    if (!e) not_found("Equipment " + std::to_string(id.value) + " does not exist.");
    const std::int64_t version = e->version;
    if (expected_version && *expected_version != version)
      fail(ErrorCode::precondition_failed, "The machine changed since you read it; reload and try again.");
    apply(*e, changes);
    check_references(tx, *e);
    e->updated_at = now;
    tx.equipment().update(*e, version);
    audit(tx, caller, now, "equipment.update", "equipment", std::to_string(id.value));
    return load(tx, caller, *e);
  });
}

}  // namespace visor::services
