#pragma once
// Reference data: stages, teams, equipment categories, equipment.
#include <optional>
#include <string>
#include <vector>

#include "domain/model.hpp"

namespace visor::storage {

class CatalogRepository {
 public:
  virtual ~CatalogRepository() = default;

  virtual std::vector<Stage> stages() = 0;  // ordered by sequence, id
  virtual std::optional<Stage> stage(StageId id) = 0;
  virtual std::optional<Stage> stage_by_odoo(OdooId id) = 0;
  /// Inserts when stage.id.value == 0 (setting it), else updates.
  virtual void save_stage(Stage& stage) = 0;
  /// Fails with conflict if tasks still use it.
  virtual void remove_stage(StageId id) = 0;

  virtual std::vector<Team> teams() = 0;
  virtual std::optional<Team> team(TeamId id) = 0;
  virtual std::optional<Team> team_by_odoo(OdooId id) = 0;
  virtual void save_team(Team& team) = 0;

  virtual std::vector<Category> categories() = 0;
  virtual std::optional<Category> category_by_odoo(OdooId id) = 0;
  virtual void save_category(Category& category) = 0;
};

struct EquipmentQuery {
  std::string text;  // name, serial, model, location, code
  std::optional<CategoryId> category;
  std::optional<TeamId> team;
  bool include_inactive = false;
  std::int64_t after_id = 0;  // keyset pagination by id ascending
  int limit = 50;
};

struct EquipmentRow {
  Equipment equipment;
  std::string category_name;
  int open_tasks = 0;
};

class EquipmentRepository {
 public:
  virtual ~EquipmentRepository() = default;

  virtual std::optional<Equipment> get(EquipmentId id) = 0;
  virtual std::optional<Equipment> get_by_code(std::string_view code) = 0;
  virtual std::optional<Equipment> get_by_odoo(OdooId id) = 0;
  virtual std::vector<EquipmentRow> list(const EquipmentQuery& query) = 0;
  /// Sets id and version = 1. A unique `code` is required (conflict if taken).
  virtual EquipmentId insert(Equipment& equipment) = 0;
  /// Same contract as TaskRepository::update.
  virtual void update(Equipment& equipment, std::int64_t expected_version) = 0;
};

}  // namespace visor::storage
