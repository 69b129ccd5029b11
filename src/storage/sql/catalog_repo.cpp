// CatalogRepository: stages, teams and equipment categories.
#include <string>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

constexpr std::string_view kStages =
    "SELECT id, odoo_id, name, sequence, done, folded FROM stages ORDER BY sequence, id";
constexpr std::string_view kStage = "SELECT id, odoo_id, name, sequence, done, folded FROM stages WHERE id = $1";
constexpr std::string_view kStageByOdoo =
    "SELECT id, odoo_id, name, sequence, done, folded FROM stages WHERE odoo_id = $1";
constexpr std::string_view kInsertStage =
    "INSERT INTO stages (odoo_id, name, sequence, done, folded) VALUES ($1, $2, $3, $4, $5) RETURNING id";
constexpr std::string_view kUpdateStage =
    "UPDATE stages SET odoo_id = $1, name = $2, sequence = $3, done = $4, folded = $5 WHERE id = $6";
constexpr std::string_view kStageInUse = "SELECT 1 FROM tasks WHERE stage_id = $1 LIMIT 1";
constexpr std::string_view kDeleteStage = "DELETE FROM stages WHERE id = $1";

constexpr std::string_view kTeams = "SELECT id, odoo_id, name FROM teams ORDER BY name, id";
constexpr std::string_view kTeam = "SELECT id, odoo_id, name FROM teams WHERE id = $1";
constexpr std::string_view kTeamByOdoo = "SELECT id, odoo_id, name FROM teams WHERE odoo_id = $1";
constexpr std::string_view kInsertTeam = "INSERT INTO teams (odoo_id, name) VALUES ($1, $2) RETURNING id";
constexpr std::string_view kUpdateTeam = "UPDATE teams SET odoo_id = $1, name = $2 WHERE id = $3";

constexpr std::string_view kCategories =
    "SELECT id, odoo_id, name, technician_id FROM categories ORDER BY name, id";
constexpr std::string_view kCategoryByOdoo =
    "SELECT id, odoo_id, name, technician_id FROM categories WHERE odoo_id = $1";
constexpr std::string_view kInsertCategory =
    "INSERT INTO categories (odoo_id, name, technician_id) VALUES ($1, $2, $3) RETURNING id";
constexpr std::string_view kUpdateCategory =
    "UPDATE categories SET odoo_id = $1, name = $2, technician_id = $3 WHERE id = $4";

Stage read_stage(const Rows& r) {
  Fields f(r);
  Stage s;
  s.id = f.id<StageId>();
  s.odoo_id = f.opt_id<OdooId>();
  s.name = f.str();
  s.sequence = f.i32();
  s.done = f.flag();
  s.folded = f.flag();
  return s;
}

Team read_team(const Rows& r) {
  Fields f(r);
  Team t;
  t.id = f.id<TeamId>();
  t.odoo_id = f.opt_id<OdooId>();
  t.name = f.str();
  return t;
}

Category read_category(const Rows& r) {
  Fields f(r);
  Category c;
  c.id = f.id<CategoryId>();
  c.odoo_id = f.opt_id<OdooId>();
  c.name = f.str();
  c.technician_id = f.opt_id<UserId>();
  return c;
}

template <class T, class Read>
std::vector<T> all(Rows rows, Read read) {
  std::vector<T> out;
  while (rows.next()) out.push_back(read(rows));
  return out;
}

template <class T, class Read>
std::optional<T> one(Rows rows, Read read) {
  if (!rows.next()) return std::nullopt;
  return read(rows);
}

}  // namespace

std::vector<Stage> SqlCatalogRepository::stages() { return all<Stage>(ctx_.db().query(kStages), read_stage); }

std::optional<Stage> SqlCatalogRepository::stage(StageId id) {
  return one<Stage>(ctx_.db().query(kStage, {arg(id)}), read_stage);
}

std::optional<Stage> SqlCatalogRepository::stage_by_odoo(OdooId id) {
  return one<Stage>(ctx_.db().query(kStageByOdoo, {arg(id)}), read_stage);
}

void SqlCatalogRepository::save_stage(Stage& s) {
  ctx_.require_writable();
  // A stage's name or done flag shows in task lists and cards, and decides
  // which tasks the reports count as done.
  ctx_.names_changed();
  if (s.id.value == 0) {
    s.id = StageId(returned_id(
        ctx_.db().query(kInsertStage, {arg(s.odoo_id), arg(s.name), arg(s.sequence), arg(s.done), arg(s.folded)})));
    return;
  }
  if (ctx_.db().execute(kUpdateStage, {arg(s.odoo_id), arg(s.name), arg(s.sequence), arg(s.done), arg(s.folded),
                                       arg(s.id)}) == 0)
    not_found("Stage " + std::to_string(s.id.value) + " does not exist.");
}

void SqlCatalogRepository::remove_stage(StageId id) {
  ctx_.require_writable();
  if (ctx_.db().scalar(kStageInUse, {arg(id)}))
    fail(ErrorCode::conflict, "Stage " + std::to_string(id.value) + " is still used by tasks.");
  if (ctx_.db().execute(kDeleteStage, {arg(id)}) == 0)
    not_found("Stage " + std::to_string(id.value) + " does not exist.");
  ctx_.names_changed();  // the console and reports list stages
}

std::vector<Team> SqlCatalogRepository::teams() { return all<Team>(ctx_.db().query(kTeams), read_team); }

std::optional<Team> SqlCatalogRepository::team(TeamId id) {
  return one<Team>(ctx_.db().query(kTeam, {arg(id)}), read_team);
}

std::optional<Team> SqlCatalogRepository::team_by_odoo(OdooId id) {
  return one<Team>(ctx_.db().query(kTeamByOdoo, {arg(id)}), read_team);
}

void SqlCatalogRepository::save_team(Team& t) {
  ctx_.require_writable();
  ctx_.touch(ChangeScope::reports());  // the reports name teams; rows show only the id
  if (t.id.value == 0) {
    t.id = TeamId(returned_id(ctx_.db().query(kInsertTeam, {arg(t.odoo_id), arg(t.name)})));
    return;
  }
  if (ctx_.db().execute(kUpdateTeam, {arg(t.odoo_id), arg(t.name), arg(t.id)}) == 0)
    not_found("Team " + std::to_string(t.id.value) + " does not exist.");
}

std::vector<Category> SqlCatalogRepository::categories() {
  return all<Category>(ctx_.db().query(kCategories), read_category);
}

std::optional<Category> SqlCatalogRepository::category_by_odoo(OdooId id) {
  return one<Category>(ctx_.db().query(kCategoryByOdoo, {arg(id)}), read_category);
}

void SqlCatalogRepository::save_category(Category& c) {
  ctx_.require_writable();
  ctx_.touch(ChangeScope::reports());  // the reports name categories
  if (c.id.value == 0) {
    c.id = CategoryId(
        returned_id(ctx_.db().query(kInsertCategory, {arg(c.odoo_id), arg(c.name), arg(c.technician_id)})));
    return;
  }
  if (ctx_.db().execute(kUpdateCategory, {arg(c.odoo_id), arg(c.name), arg(c.technician_id), arg(c.id)}) == 0)
    not_found("Category " + std::to_string(c.id.value) + " does not exist.");
}

}  // namespace visor::storage::sql
