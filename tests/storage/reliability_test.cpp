// Issue 14 storage on every backend: meters, readings and rules; the
// failure-code catalogue, codes on work and the failure counts.
#include <algorithm>
#include <map>

#include "fixture.hpp"

namespace visor::storage::test {
namespace {

class Reliability : public StoreTest {
 protected:
  Meter add_meter(EquipmentId eq, const std::string& name, const std::string& unit) {
    Meter m;
    m.equipment_id = eq;
    m.name = name;
    m.unit = unit;
    m.created_at = at();
    store().write([&](Tx& tx) { tx.meters().insert(m); });
    return m;
  }
  bool read(MeterId meter, double value, std::int64_t when, std::string action = {}) {
    MeterReading r;
    r.meter_id = meter;
    r.value = value;
    r.at = at(when);
    r.client_action_id = std::move(action);
    return store().write_value([&](Tx& tx) { return tx.meters().add_reading(r); });
  }
};
VISOR_STORAGE_BACKENDS(Reliability);

TEST_P(Reliability, MetersAreUniqueByNameOnAMachine) {
  const Equipment press = add_equipment("PR-1");
  const Equipment pump = add_equipment("P-1");
  const Meter hours = add_meter(press.id, "hours", "h");
  add_meter(pump.id, "hours", "h");
  add_meter(press.id, "cycles", "");
  expect_error(ErrorCode::conflict, [&] { add_meter(press.id, "hours", "h"); });
  const auto meters = store().read_value([&](Tx& tx) { return tx.meters().of_equipment(press.id); });
  ASSERT_EQ(meters.size(), 2u);
  EXPECT_EQ(meters[0].name, "cycles");
  EXPECT_FALSE(meters[1].last_value);
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.meters().by_name(press.id, "hours"); })->id, hours.id);
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.meters().by_name(press.id, "HOURS"); }));
}

TEST_P(Reliability, ReadingsKeepTheirTimeReplayOnceAndPage) {
  const Meter hours = add_meter(add_equipment("PR-1").id, "hours", "h");
  EXPECT_TRUE(read(hours.id, 1200.5, 100, "hud-1"));
  EXPECT_FALSE(read(hours.id, 9999, 300, "hud-1"));  // a replay
  EXPECT_TRUE(read(hours.id, 1250.25, 300));
  EXPECT_TRUE(read(hours.id, 1240, 200));  // recorded offline, arriving late
  const auto m = store().read_value([&](Tx& tx) { return tx.meters().get(hours.id); });
  EXPECT_DOUBLE_EQ(*m->last_value, 1250.25);  // the latest by the time it was read
  EXPECT_EQ(m->last_at, at(300));
  const auto all = store().read_value([&](Tx& tx) { return tx.meters().readings(hours.id, {}); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_DOUBLE_EQ(all[0].value, 1200.5);
  EXPECT_DOUBLE_EQ(all[1].value, 1240);
  EXPECT_EQ(all[0].client_action_id, "hud-1");
  ReadingQuery q;
  q.from = at(150);
  q.to = at(300);
  auto range = store().read_value([&](Tx& tx) { return tx.meters().readings(hours.id, q); });
  ASSERT_EQ(range.size(), 1u);
  EXPECT_DOUBLE_EQ(range[0].value, 1240);
  q = {};
  q.limit = 2;
  range = store().read_value([&](Tx& tx) { return tx.meters().readings(hours.id, q); });
  ASSERT_EQ(range.size(), 2u);  // the newest two, oldest first
  EXPECT_DOUBLE_EQ(range[0].value, 1240);
  EXPECT_DOUBLE_EQ(range[1].value, 1250.25);
  EXPECT_DOUBLE_EQ(store().read_value([&](Tx& tx) { return tx.meters().reading_by_action(hours.id, "hud-1"); })->value,
                   1200.5);
  MeterReading orphan;
  orphan.meter_id = MeterId(9999);
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.meters().add_reading(orphan); }); });
}

TEST_P(Reliability, RulesStoreTheirState) {
  const Stage stage = add_stage("New");
  const Meter hours = add_meter(add_equipment("PR-1").id, "hours", "h");
  MeterRule r;
  r.meter_id = hours.id;
  r.kind = MeterRuleKind::every;
  r.value = 500;
  r.next_due = 1500;
  r.title = "500 h service";
  r.priority = 3;
  r.created_at = at(1);
  store().write([&](Tx& tx) { tx.meters().insert_rule(r); });
  const Task task = add_task(new_task(stage.id, "500 h service"));
  r.next_due = 2000;
  r.last_task = task.id;
  r.last_fired_at = at(50);
  store().write([&](Tx& tx) { tx.meters().update_rule(r); });
  const auto rules = store().read_value([&](Tx& tx) { return tx.meters().rules(hours.id); });
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].kind, MeterRuleKind::every);
  EXPECT_DOUBLE_EQ(rules[0].value, 500);
  EXPECT_DOUBLE_EQ(*rules[0].next_due, 2000);
  EXPECT_EQ(rules[0].last_task, task.id);
  EXPECT_EQ(rules[0].last_fired_at, at(50));
  EXPECT_EQ(rules[0].priority, 3);
  EXPECT_EQ(rules[0].title, "500 h service");
  // The task goes: the rule forgets it, and stays.
  store().write([&](Tx& tx) { tx.tasks().remove(task.id); });
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.meters().rule(r.id); })->last_task);
  store().write([&](Tx& tx) { tx.meters().remove_rule(r.id); });
  EXPECT_FALSE(store().read_value([&](Tx& tx) { return tx.meters().rule(r.id); }));
  expect_error(ErrorCode::not_found, [&] { store().write([&](Tx& tx) { tx.meters().remove_rule(r.id); }); });
}

TEST_P(Reliability, TheDefaultCatalogueInTwoLanguages) {
  const auto codes = store().read_value([&](Tx& tx) { return tx.failure_codes().list(false); });
  int problems = 0, causes = 0, remedies = 0;
  for (const auto& c : codes) {
    (c.kind == FailureCodeKind::problem ? problems : c.kind == FailureCodeKind::cause ? causes : remedies)++;
    EXPECT_FALSE(c.label_fr.empty()) << c.code;
  }
  EXPECT_EQ(problems, 20);
  EXPECT_EQ(causes, 33);
  EXPECT_EQ(remedies, 12);
  EXPECT_EQ(codes.front().kind, FailureCodeKind::problem);
  EXPECT_EQ(codes.back().kind, FailureCodeKind::remedy);
  const auto elp = std::find_if(codes.begin(), codes.end(), [](const auto& c) { return c.code == "ELP"; });
  ASSERT_NE(elp, codes.end());
  EXPECT_EQ(elp->label_fr, "Fuite externe – fluide de procédé");
}

TEST_P(Reliability, CatalogueEdits) {
  FailureCode c{FailureCodeId(0), FailureCodeKind::problem, "SEAL", "Seal failure", "Défaut d’étanchéité", true, 5};
  store().write([&](Tx& tx) { tx.failure_codes().insert(c); });
  FailureCode dup = c;
  expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.failure_codes().insert(dup); }); });
  FailureCode other_kind = c;
  other_kind.kind = FailureCodeKind::remedy;  // another list: allowed
  store().write([&](Tx& tx) { tx.failure_codes().insert(other_kind); });
  c.active = false;
  c.label_en = "Seal leak";
  store().write([&](Tx& tx) { tx.failure_codes().update(c); });
  const auto got = store().read_value([&](Tx& tx) { return tx.failure_codes().get(c.id); });
  EXPECT_EQ(got->label_en, "Seal leak");
  EXPECT_FALSE(got->active);
  const auto active = store().read_value([&](Tx& tx) { return tx.failure_codes().list(false); });
  EXPECT_TRUE(std::none_of(active.begin(), active.end(), [&](const auto& x) { return x.id == c.id; }));
  FailureCode taken = c;
  taken.code = "ELP";
  expect_error(ErrorCode::conflict, [&] { store().write([&](Tx& tx) { tx.failure_codes().update(taken); }); });
}

TEST_P(Reliability, CodesOnWorkAndFailureCounts) {
  const Stage stage = add_stage("New");
  const User tech = add_user("tina");
  Category pumps;
  pumps.name = "Pumps";
  store().write([&](Tx& tx) { tx.catalog().save_category(pumps); });
  Equipment p1 = add_equipment("P-1");
  store().write([&](Tx& tx) {
    auto e = *tx.equipment().get(p1.id);
    e.category_id = pumps.id;
    tx.equipment().update(e, e.version);
  });
  const Equipment p2 = add_equipment("P-2");
  const auto codes = store().read_value([&](Tx& tx) { return tx.failure_codes().list(false); });
  auto id_of = [&](const std::string& code) {
    return std::find_if(codes.begin(), codes.end(), [&](const auto& c) { return c.code == code; })->id;
  };
  auto failure = [&](EquipmentId eq, std::optional<FailureCodeId> problem, int day, bool archived = false,
                     MaintenanceType type = MaintenanceType::corrective) {
    Task t = new_task(stage.id);
    t.equipment_id = eq;
    t.type = type;
    t.archived = archived;
    t.request_date = from_days(20000 + day);
    t = add_task(t);
    if (problem) {
      TaskFailure f{problem, id_of("2.4"), id_of("REPL"), tech.id, at(day)};
      store().write([&](Tx& tx) { tx.failure_codes().save_for_task(t.id, f); });
    }
    return t;
  };
  const Task first = failure(p1.id, id_of("ELP"), 1);
  failure(p1.id, id_of("ELP"), 5);
  failure(p1.id, id_of("VIB"), 6);
  failure(p2.id, id_of("ELP"), 7);
  failure(p2.id, std::nullopt, 8);
  failure(p2.id, id_of("ELP"), 9, true);                                 // archived: not counted
  failure(p2.id, id_of("ELP"), 9, false, MaintenanceType::preventive);  // not a failure
  failure(p2.id, id_of("ELP"), 40);                                      // outside the range

  const auto recorded = store().read_value([&](Tx& tx) { return tx.failure_codes().of_task(first.id); });
  ASSERT_TRUE(recorded);
  EXPECT_EQ(recorded->problem, id_of("ELP"));
  EXPECT_EQ(recorded->remedy, id_of("REPL"));
  EXPECT_EQ(recorded->recorded_by, tech.id);

  FailureQuery q;
  q.from = from_unix(std::int64_t(20000) * 86400);
  q.to = from_unix(std::int64_t(20030) * 86400);
  auto counts = store().read_value([&](Tx& tx) { return tx.failure_codes().counts(q); });
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> by;  // (problem, machine) → failures
  for (const auto& c : counts) by[{c.problem ? c.problem->value : 0, c.equipment->value}] += c.failures;
  auto count = [&](std::int64_t problem, EquipmentId eq) { return by[std::pair{problem, eq.value}]; };
  EXPECT_EQ(count(id_of("ELP").value, p1.id), 2);
  EXPECT_EQ(count(id_of("VIB").value, p1.id), 1);
  EXPECT_EQ(count(id_of("ELP").value, p2.id), 1);
  EXPECT_EQ(count(0, p2.id), 1);
  EXPECT_EQ(by.size(), 4u);
  for (const auto& c : counts) EXPECT_EQ(c.category.has_value(), c.equipment == p1.id);

  q.category = pumps.id;
  counts = store().read_value([&](Tx& tx) { return tx.failure_codes().counts(q); });
  std::int64_t total = 0;
  for (const auto& c : counts) total += c.failures;
  EXPECT_EQ(total, 3);
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.failure_codes().machines_in_scope(q); }), 1);
  q.category.reset();
  q.equipment = p2.id;
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.failure_codes().machines_in_scope(q); }), 1);
  q.equipment.reset();
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.failure_codes().machines_in_scope(q); }), 2);
}

}  // namespace
}  // namespace visor::storage::test
