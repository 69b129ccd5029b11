#pragma once
// Local records by their CMMS id and back, cached for one sync step.
// Reference data (stages, teams, categories, users) is small and loaded
// whole; equipment is looked up one by one and remembered. Only the sync
// changes CMMS links, so a cache stays true until the sync itself writes
// reference data (then call reset()).
#include <optional>
#include <unordered_map>

#include "storage/store.hpp"

namespace visor::sync {

class Links {
 public:
  /// Loads the small sets from `tx` if not loaded yet.
  void load(storage::Tx& tx);
  void reset();

  std::optional<StageId> stage(OdooId id) const;
  std::optional<TeamId> team(OdooId id) const;
  std::optional<CategoryId> category(OdooId id) const;
  std::optional<UserId> user(OdooId id) const;
  std::optional<EquipmentId> equipment(storage::Tx& tx, OdooId id);

  std::optional<OdooId> odoo_stage(StageId id) const;
  std::optional<OdooId> odoo_team(TeamId id) const;
  std::optional<OdooId> odoo_user(UserId id) const;
  std::optional<OdooId> odoo_equipment(storage::Tx& tx, EquipmentId id);

  const std::vector<Stage>& stages() const { return stages_; }

 private:
  bool loaded_ = false;
  std::vector<Stage> stages_;
  std::unordered_map<OdooId, StageId> stage_;
  std::unordered_map<OdooId, TeamId> team_;
  std::unordered_map<OdooId, CategoryId> category_;
  std::unordered_map<OdooId, UserId> user_;
  std::unordered_map<StageId, OdooId> odoo_stage_;
  std::unordered_map<TeamId, OdooId> odoo_team_;
  std::unordered_map<UserId, OdooId> odoo_user_;
  std::unordered_map<OdooId, std::optional<EquipmentId>> equipment_;
  std::unordered_map<EquipmentId, std::optional<OdooId>> odoo_equipment_;
};

}  // namespace visor::sync
