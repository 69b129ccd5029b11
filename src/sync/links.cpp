#include "sync/links.hpp"

namespace visor::sync {
namespace {

template <class K, class V>
std::optional<V> find(const std::unordered_map<K, V>& m, const K& k) {
  const auto it = m.find(k);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void Links::reset() { *this = Links(); }

void Links::load(storage::Tx& tx) {
  if (loaded_) return;
  stages_ = tx.catalog().stages();
  for (const Stage& s : stages_) {
    if (!s.odoo_id) continue;
    stage_[*s.odoo_id] = s.id;
    odoo_stage_[s.id] = *s.odoo_id;
  }
  for (const Team& t : tx.catalog().teams()) {
    if (!t.odoo_id) continue;
    team_[*t.odoo_id] = t.id;
    odoo_team_[t.id] = *t.odoo_id;
  }
  for (const Category& c : tx.catalog().categories())
    if (c.odoo_id) category_[*c.odoo_id] = c.id;
  for (const User& u : tx.users().list(true)) {
    if (!u.odoo_id) continue;
    user_[*u.odoo_id] = u.id;
    odoo_user_[u.id] = *u.odoo_id;
  }
  loaded_ = true;
}

std::optional<StageId> Links::stage(OdooId id) const { return find(stage_, id); }
std::optional<TeamId> Links::team(OdooId id) const { return find(team_, id); }
std::optional<CategoryId> Links::category(OdooId id) const { return find(category_, id); }
std::optional<UserId> Links::user(OdooId id) const { return find(user_, id); }
std::optional<OdooId> Links::odoo_stage(StageId id) const { return find(odoo_stage_, id); }
std::optional<OdooId> Links::odoo_team(TeamId id) const { return find(odoo_team_, id); }
std::optional<OdooId> Links::odoo_user(UserId id) const { return find(odoo_user_, id); }

std::optional<EquipmentId> Links::equipment(storage::Tx& tx, OdooId id) {
  if (const auto it = equipment_.find(id); it != equipment_.end()) return it->second;
  std::optional<EquipmentId> local;
  if (auto e = tx.equipment().get_by_odoo(id)) local = e->id;
  equipment_[id] = local;
  return local;
}

std::optional<OdooId> Links::odoo_equipment(storage::Tx& tx, EquipmentId id) {
  if (const auto it = odoo_equipment_.find(id); it != odoo_equipment_.end()) return it->second;
  std::optional<OdooId> remote;
  if (auto e = tx.equipment().get(id)) remote = e->odoo_id;
  odoo_equipment_[id] = remote;
  return remote;
}

}  // namespace visor::sync
