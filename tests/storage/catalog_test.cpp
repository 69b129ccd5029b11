// CatalogRepository (stages, teams, categories) and EquipmentRepository.
#include "fixture.hpp"

namespace visor::storage::test {
namespace {

class Catalog : public StoreTest {};
VISOR_STORAGE_BACKENDS(Catalog);

TEST_P(Catalog, StagesAreOrderedAndUpdatable) {
  Stage done = add_stage("Done", true, 10);
  const Stage fresh = add_stage("New", false, 1);
  const Stage second = add_stage("Also first", false, 1);
  store().read([&](Tx& tx) {
    const std::vector<Stage> all = tx.catalog().stages();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, fresh.id);  // sequence, then id
    EXPECT_EQ(all[1].id, second.id);
    EXPECT_EQ(all[2].id, done.id);
    EXPECT_TRUE(all[2].done);
  });
  done.name = "Finished";
  done.folded = true;
  done.odoo_id = OdooId(5);
  store().write([&](Tx& tx) { tx.catalog().save_stage(done); });
  store().read([&](Tx& tx) {
    const Stage got = *tx.catalog().stage(done.id);
    EXPECT_EQ(got.name, "Finished");
    EXPECT_TRUE(got.folded);
    EXPECT_TRUE(got.done);
    EXPECT_EQ(tx.catalog().stage_by_odoo(OdooId(5))->id, done.id);
    EXPECT_FALSE(tx.catalog().stage(StageId(done.id.value + 100)));
    EXPECT_FALSE(tx.catalog().stage_by_odoo(OdooId(6)));
  });
  Stage ghost = done;
  ghost.id = StageId(done.id.value + 100);
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.catalog().save_stage(ghost); }); });
  Stage twin;
  twin.name = "Twin";
  twin.odoo_id = OdooId(5);
  const Error e = expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.catalog().save_stage(twin); }); });
  EXPECT_NE(e.detail().find("CMMS record"), std::string::npos) << e.detail();
}

TEST_P(Catalog, AStageInUseCannotBeRemoved) {
  const Stage used = add_stage("Used");
  const Stage unused = add_stage("Unused");
  add_task(new_task(used.id));
  const Error e =
      expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.catalog().remove_stage(used.id); }); });
  EXPECT_NE(e.detail().find("still used"), std::string::npos);
  store().write([&](Tx& tx) { tx.catalog().remove_stage(unused.id); });
  EXPECT_EQ(store().read_value([](Tx& tx) { return tx.catalog().stages(); }).size(), 1u);
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.catalog().remove_stage(unused.id); }); });
}

TEST_P(Catalog, TeamsAndCategories) {
  Team team = add_team("Électriciens");
  add_team("Alpha");
  team.odoo_id = OdooId(3);
  store().write([&](Tx& tx) { tx.catalog().save_team(team); });
  const User tech = add_user("tech");
  Category cat;
  cat.name = "Pumps";
  cat.odoo_id = OdooId(8);
  cat.technician_id = tech.id;
  store().write([&](Tx& tx) { tx.catalog().save_category(cat); });
  EXPECT_GT(cat.id.value, 0);
  cat.name = "Pumps & valves";
  store().write([&](Tx& tx) { tx.catalog().save_category(cat); });
  store().read([&](Tx& tx) {
    const auto teams = tx.catalog().teams();
    ASSERT_EQ(teams.size(), 2u);
    EXPECT_EQ(teams[0].name, "Alpha");
    EXPECT_EQ(tx.catalog().team(team.id)->name, "Électriciens");
    EXPECT_EQ(tx.catalog().team_by_odoo(OdooId(3))->id, team.id);
    EXPECT_FALSE(tx.catalog().team(TeamId(team.id.value + 100)));
    const auto cats = tx.catalog().categories();
    ASSERT_EQ(cats.size(), 1u);
    EXPECT_EQ(cats[0].name, "Pumps & valves");
    EXPECT_EQ(cats[0].technician_id, tech.id);
    EXPECT_EQ(tx.catalog().category_by_odoo(OdooId(8))->id, cat.id);
    EXPECT_FALSE(tx.catalog().category_by_odoo(OdooId(9)));
  });
  Team ghost;
  ghost.id = TeamId(team.id.value + 100);
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.catalog().save_team(ghost); }); });
}

TEST_P(Catalog, EquipmentRoundTripsAndLooksUpByCodeAndOdooId) {
  const Team team = add_team("A");
  const User tech = add_user("tech");
  Category cat;
  cat.name = "Pumps";
  store().write([&](Tx& tx) { tx.catalog().save_category(cat); });
  Equipment e;
  e.odoo_id = OdooId(77);
  e.name = "Pompe P-7";
  e.serial_no = "SN-1";
  e.model = "Grundfos";
  e.category_id = cat.id;
  e.location = "Hall 2, bay 3";
  e.technician_id = tech.id;
  e.team_id = team.id;
  e.note = "<p>Careful</p>";
  e.code = "p7-x9";
  e.active = false;
  e.updated_at = at(5);
  store().write([&](Tx& tx) { tx.equipment().insert(e); });
  EXPECT_EQ(e.version, 1);
  store().read([&](Tx& tx) {
    for (const std::optional<Equipment>& got :
         {tx.equipment().get(e.id), tx.equipment().get_by_code("p7-x9"), tx.equipment().get_by_odoo(OdooId(77))}) {
      ASSERT_TRUE(got);
      EXPECT_EQ(got->id, e.id);
      EXPECT_EQ(got->name, e.name);
      EXPECT_EQ(got->serial_no, e.serial_no);
      EXPECT_EQ(got->model, e.model);
      EXPECT_EQ(got->category_id, cat.id);
      EXPECT_EQ(got->location, e.location);
      EXPECT_EQ(got->technician_id, tech.id);
      EXPECT_EQ(got->team_id, team.id);
      EXPECT_EQ(got->note, e.note);
      EXPECT_FALSE(got->active);
      EXPECT_EQ(got->version, 1);
      EXPECT_EQ(got->updated_at, at(5));
    }
    EXPECT_FALSE(tx.equipment().get_by_code("P7-X9")) << "codes are exact";
    EXPECT_FALSE(tx.equipment().get(EquipmentId(e.id.value + 1)));
  });
}

TEST_P(Catalog, EquipmentCodesAreUniqueAndVersionsChecked) {
  Equipment a = add_equipment("A-1");
  add_equipment("B-1");
  Equipment dup;
  dup.name = "Dup";
  dup.code = "A-1";
  const Error e = expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.equipment().insert(dup); }); });
  EXPECT_NE(e.detail().find("A-1"), std::string::npos) << e.detail();
  Equipment no_code;
  no_code.name = "No code";
  expect_error(ErrorCode::invalid_input, [&] { store().write([&](Tx& tx) { tx.equipment().insert(no_code); }); });

  a.name = "Renamed";
  store().write([&](Tx& tx) { tx.equipment().update(a, 1); });
  EXPECT_EQ(a.version, 2);
  Equipment stale = a;
  stale.name = "Stale";
  expect_error(ErrorCode::precondition_failed, [&] { store().write([&](Tx& tx) { tx.equipment().update(stale, 1); }); });
  a.code = "B-1";
  expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.equipment().update(a, 2); }); });
  Equipment ghost = a;
  ghost.id = EquipmentId(a.id.value + 100);
  ghost.code = "GHOST";
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.equipment().update(ghost, 1); }); });
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.equipment().get(a.id)->name; }), "Renamed");
}

TEST_P(Catalog, EquipmentListFiltersSearchesAndPages) {
  const Team team = add_team("A");
  Category cat;
  cat.name = "Compressors";
  store().write([&](Tx& tx) { tx.catalog().save_category(cat); });
  std::vector<Equipment> all;
  for (int i = 0; i < 7; ++i) {
    Equipment e;
    e.name = "Machine " + std::to_string(i);
    e.code = "M-" + std::to_string(i);
    e.location = i == 3 ? "Zone 100% humid" : "Zone " + std::to_string(i);
    e.serial_no = i == 4 ? "SN_4" : "SN" + std::to_string(i);
    e.category_id = i < 2 ? std::optional(cat.id) : std::nullopt;
    e.team_id = i % 2 ? std::optional(team.id) : std::nullopt;
    e.active = i != 6;
    e.updated_at = at();
    store().write([&](Tx& tx) { tx.equipment().insert(e); });
    all.push_back(e);
  }
  const Stage open = add_stage("New");
  const Stage done = add_stage("Done", true);
  for (StageId s : {open.id, open.id, done.id}) {
    Task t = new_task(s);
    t.equipment_id = all[0].id;
    add_task(t);
  }
  Task archived = new_task(open.id);
  archived.equipment_id = all[0].id;
  archived.archived = true;
  add_task(archived);

  const auto codes = [&](const EquipmentQuery& q) {
    std::vector<std::string> out;
    for (const EquipmentRow& r : store().read_value([&](Tx& tx) { return tx.equipment().list(q); }))
      out.push_back(r.equipment.code);
    return out;
  };
  using V = std::vector<std::string>;
  EquipmentQuery q;
  EXPECT_EQ(codes(q), (V{"M-0", "M-1", "M-2", "M-3", "M-4", "M-5"}));
  q.include_inactive = true;
  EXPECT_EQ(codes(q).size(), 7u);
  q = {};
  q.category = cat.id;
  EXPECT_EQ(codes(q), (V{"M-0", "M-1"}));
  q = {};
  q.team = team.id;
  EXPECT_EQ(codes(q), (V{"M-1", "M-3", "M-5"}));
  q = {};
  q.text = "100%";
  EXPECT_EQ(codes(q), V{"M-3"});
  q.text = "sn_";
  EXPECT_EQ(codes(q), V{"M-4"});
  q.text = "m-2";
  EXPECT_EQ(codes(q), V{"M-2"});
  q.text = "MACHINE 5";
  EXPECT_EQ(codes(q), V{"M-5"});
  q = {};
  q.limit = 4;
  EXPECT_EQ(codes(q), (V{"M-0", "M-1", "M-2", "M-3"}));
  q.after_id = all[3].id.value;
  EXPECT_EQ(codes(q), (V{"M-4", "M-5"}));

  const auto rows = store().read_value([](Tx& tx) { return tx.equipment().list({}); });
  EXPECT_EQ(rows[0].category_name, "Compressors");
  EXPECT_EQ(rows[0].open_tasks, 2) << "not done, not archived";
  EXPECT_EQ(rows[2].category_name, "");
  EXPECT_EQ(rows[2].open_tasks, 0);
}

}  // namespace
}  // namespace visor::storage::test
