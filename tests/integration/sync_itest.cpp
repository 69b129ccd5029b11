// Two-way sync end to end: the real store and use cases, the engine, and the
// stand-in Odoo with its fault injection. Built twice: sync_itest (SQLite)
// and sync_pgtest (PostgreSQL, VISOR_TEST_PG_URL).
#include <boost/json/serialize.hpp>

#include "services/tasks.hpp"
#include "sync/changes.hpp"
#include "sync_fixture.hpp"
#include "util/time.hpp"

namespace visor::testing {
namespace {
namespace json = boost::json;

class SyncIT : public SyncTest {};

TEST_F(SyncIT, FirstImportBringsTheWholePlant) {
  OdooDouble odoo;
  connect(odoo);
  auto sub = bus_->subscribe(Actor{UserId(0), Role::admin, std::nullopt}, 0, [] {});
  const sync::CycleReport r = sync(true);
  ASSERT_EQ(r.pulls.size(), 6u);

  store_->read([&](storage::Tx& tx) {
    const auto stages = tx.catalog().stages();
    ASSERT_EQ(stages.size(), 4u);
    EXPECT_TRUE(stages[2].done);
    EXPECT_EQ(stages[2].odoo_id, OdooId(3));
    EXPECT_EQ(tx.catalog().teams().size(), 3u);
    EXPECT_EQ(tx.catalog().categories().size(), 6u);
    // Internal active users: admin, demo, readonly, basic (OdooBot and templates are archived).
    int linked = 0;
    for (const auto& u : tx.users().list(true)) linked += u.odoo_id ? 1 : 0;
    EXPECT_EQ(linked, 4);
    storage::EquipmentQuery eq;
    eq.include_inactive = true;
    eq.limit = 100;
    const auto machines = tx.equipment().list(eq);
    ASSERT_EQ(machines.size(), 11u);
    int inactive = 0;
    for (const auto& m : machines) {
      inactive += m.equipment.active ? 0 : 1;
      EXPECT_FALSE(m.equipment.code.empty());
    }
    EXPECT_EQ(inactive, 1);  // the scrapped lathe
  });

  const auto press = task_by_odoo(6);
  ASSERT_TRUE(press);
  EXPECT_EQ(press->title, "Press 3 quarterly inspection");
  EXPECT_EQ(press->type, MaintenanceType::preventive);
  EXPECT_EQ(press->priority, 2);
  EXPECT_TRUE(press->recurrence.enabled);
  EXPECT_EQ(press->recurrence.interval, 3);
  const auto press_steps = steps(press->id);
  ASSERT_EQ(press_steps.size(), 5u);
  EXPECT_TRUE(press_steps[1].wants_value);  // "record it in litres"
  EXPECT_EQ(press_steps[3].unit, "bar");

  const auto first = task_by_odoo(1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->priority, 0);  // false in Odoo
  EXPECT_EQ(first->execution, Execution::completed);  // in a done stage
  EXPECT_TRUE(task_by_odoo(10)->archived);
  EXPECT_EQ(task_by_odoo(4)->assignee_id, user_by_login("demo")->id);

  const auto count = store_->read_value([](storage::Tx& tx) {
    storage::TaskQuery q;
    q.include_done = q.include_archived = true;
    return tx.tasks().count(q);
  });
  EXPECT_EQ(count, 20);
  // The import reads only.
  for (const char* m : {"create", "write", "unlink", "message_post"})
    EXPECT_TRUE(committed(odoo, "maintenance.request", m).empty()) << m;
  int created_events = 0;
  for (const auto& e : sub->drain().events) created_events += e.type == "task.created" ? 1 : 0;
  EXPECT_EQ(created_events, 20);

  // Nothing changed: the next poll changes nothing (it may read the newest
  // second again until that second is settled, see watermark.hpp).
  const sync::CycleReport again = sync();
  for (const auto& p : again.pulls) EXPECT_EQ(p.created + p.updated + p.removed, 0) << p.model;
  EXPECT_EQ(engine_->status().at("state").as_string(), "ok");
}

TEST_F(SyncIT, ChangesFlowBothWays) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  // Odoo → Visor: a planner reschedules and renames in Odoo.
  odoo.modify("maintenance.request", 4, {{"name", "Battery drains very fast"}, {"schedule_date", "2026-12-01 07:00:00"}});
  auto sub = bus_->subscribe(Actor{user_by_login("demo")->id, Role::technician, std::nullopt}, 0, [] {});
  sync();
  auto t4 = task_by_odoo(4);
  EXPECT_EQ(t4->title, "Battery drains very fast");
  EXPECT_EQ(t4->schedule_start, parse_odoo_datetime("2026-12-01 07:00:00"));
  bool seen = false;
  for (const auto& e : sub->drain().events) seen |= e.type == "task.changed" && e.data.find("very fast") != std::string::npos;
  EXPECT_TRUE(seen) << "the assigned technician sees the change";

  // Visor → Odoo: a manager reassigns and reschedules, the technician works.
  auto& d = deps();
  const auto demo = user_by_login("demo");
  services::TaskChanges c;
  c.schedule_start = std::optional<TimePoint>(*parse_iso8601("2026-12-02T08:00:00Z"));
  c.schedule_end = std::optional<TimePoint>(*parse_iso8601("2026-12-02T10:00:00Z"));
  const auto t2 = task_by_odoo(2);
  c.assignee_id = std::optional<UserId>(demo->id);
  services::update_task(d, manager(), t2->id, c, std::nullopt);
  const auto tech = technician("demo");
  services::start_task(d, tech, t2->id, {});
  services::add_note(d, tech, t2->id, "Two keys replaced", {});
  services::complete_task(d, tech, t2->id, {});
  sync();

  const auto r2 = odoo.record("maintenance.request", 2);
  EXPECT_EQ(r2.at("schedule_date").as_string(), "2026-12-02 08:00:00");
  EXPECT_EQ(r2.at("schedule_end").as_string(), "2026-12-02 10:00:00");
  EXPECT_EQ(m2o(r2.at("user_id")), 5);
  EXPECT_EQ(m2o(r2.at("stage_id")), 3);  // Repaired: the first done stage
  const auto posts = committed(odoo, "maintenance.request", "message_post");
  ASSERT_EQ(posts.size(), 2u);
  const std::string note = json::serialize(posts[0]);
  EXPECT_NE(note.find("Two keys replaced"), std::string::npos);
  EXPECT_NE(json::serialize(posts[1]).find("Completed in Visor"), std::string::npos);
  // Stage changes arrived in order: In Progress, then Repaired.
  std::vector<std::int64_t> stages;
  for (const auto& w : committed(odoo, "maintenance.request", "write")) {
    const auto s = json::serialize(w);
    if (s.find("stage_id") == std::string::npos) continue;
    const auto& vals = w.at("params").as_object().at("vals").as_object();
    stages.push_back(vals.at("stage_id").as_int64());
  }
  EXPECT_EQ(stages, (std::vector<std::int64_t>{2, 3}));
  EXPECT_TRUE(outbox(storage::OutboxStatus::pending).empty());
  // Visor's own writes come back in the next pull without changing anything.
  sync();
  EXPECT_TRUE(conflicts().empty());
}

TEST_F(SyncIT, TechnicianReportCreatesTheRequestOnce) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  const auto press = store_->read_value([](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(9)); });
  ASSERT_TRUE(press);
  services::ProblemReport report;
  report.equipment_code = press->code;
  report.title = "Oil on the floor under press 3";
  report.description = "<p>Seen at 7:40</p>";
  report.priority = 3;
  // The answer to the create is lost after Odoo committed it.
  odoo.control("POST", "fail", {{"count", 1}, {"mode", "drop"}, {"when", "after"}, {"method", "create"}});
  const auto detail = services::report_problem(deps(), technician("demo"), report);
  sync(false, false);
  sync();
  const auto creates = committed(odoo, "maintenance.request", "create");
  ASSERT_EQ(creates.size(), 1u);
  const auto task = store_->read_value([&](storage::Tx& tx) { return tx.tasks().get(detail.row.task.id); });
  ASSERT_TRUE(task->odoo_id);
  const auto r = odoo.record("maintenance.request", task->odoo_id->value);
  EXPECT_EQ(r.at("name").as_string(), "Oil on the floor under press 3");
  EXPECT_EQ(m2o(r.at("equipment_id")), 9);
  EXPECT_EQ(r.at("priority").as_string(), "3");
  EXPECT_NE(r.at("description").as_string().find("VSR-T"), std::string::npos);
  // Pulled back: the reference paragraph is not shown in Visor.
  sync();
  const auto again = store_->read_value([&](storage::Tx& tx) { return tx.tasks().get(detail.row.task.id); });
  EXPECT_EQ(again->description, "<p>Seen at 7:40</p>");
  storage::TaskQuery q;
  q.include_done = q.include_archived = true;
  EXPECT_EQ(store_->read_value([&](storage::Tx& tx) { return tx.tasks().count(q); }), 21);
}

TEST_F(SyncIT, WritesInTheSameSecondAreNotMissed) {
  OdooDouble odoo;
  connect(odoo);
  odoo.control("POST", "clock", {{"freeze", true}});
  sync();
  odoo.modify("maintenance.request", 8, {{"name", "first change"}});
  sync();
  EXPECT_EQ(task_by_odoo(8)->title, "first change");
  // Same second, lower id: Odoo's `write_date > X` would miss it.
  odoo.modify("maintenance.request", 3, {{"name", "second change"}});
  sync();
  EXPECT_EQ(task_by_odoo(3)->title, "second change");
  const sync::CycleReport idle = sync();
  for (const auto& p : idle.pulls) EXPECT_EQ(p.created + p.updated, 0) << p.model;
}

TEST_F(SyncIT, DeletionsAndArchivingInOdoo) {
  OdooDouble odoo;
  connect(odoo);
  sync(true);
  // Work recorded in Visor on request 13, then Odoo deletes it and 20.
  const auto t13 = task_by_odoo(13);
  services::start_task(deps(), technician("demo"), t13->id, {});
  sync();
  odoo.unlink("maintenance.request", 13);
  odoo.unlink("maintenance.request", 20);
  odoo.modify("maintenance.request", 5, {{"archive", true}});
  odoo.modify("maintenance.equipment", 7, {{"active", false}});
  sync(true);
  EXPECT_FALSE(task_by_odoo(20));
  // Kept archived and unlinked (decision 0011): gone from every list, and
  // linked back, same id, if Odoo ever has it again.
  const auto gone = store_->read_value([&](storage::Tx& tx) {
    storage::TaskQuery q;
    q.include_done = q.include_archived = true;
    q.text = "Network cable damaged";
    return tx.tasks().list(q).rows;
  });
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_TRUE(gone[0].task.archived);
  EXPECT_FALSE(gone[0].task.odoo_id);
  EXPECT_EQ(store_->read_value([](storage::Tx& tx) {
    storage::TaskQuery q;
    q.text = "Network cable damaged";
    return tx.tasks().count(q);
  }), 0);
  const auto kept = store_->read_value([&](storage::Tx& tx) { return tx.tasks().get(t13->id); });
  ASSERT_TRUE(kept);  // technician work is never dropped
  EXPECT_TRUE(kept->archived);
  EXPECT_FALSE(kept->odoo_id);
  bool conflict = false;
  for (const auto& c : conflicts()) conflict |= c.task_id == t13->id && c.field == "deleted" && c.resolution == "local_kept";
  EXPECT_TRUE(conflict);
  EXPECT_TRUE(task_by_odoo(5)->archived);
  const auto machine = store_->read_value([](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(7)); });
  EXPECT_FALSE(machine->active);
  // Deleted machines stay (tasks and labels refer to them) but are unlinked.
  odoo.unlink("maintenance.equipment", 8);
  sync(true);
  EXPECT_FALSE(store_->read_value([](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(8)); }));
}

TEST_F(SyncIT, OdooDownDuringWorkThenEverythingArrivesOnceInOrder) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  odoo.control("POST", "fail", {{"count", 100000}, {"mode", "drop"}});
  auto& d = deps();
  const auto tech = technician("demo");
  const auto t4 = task_by_odoo(4);
  const auto t9 = task_by_odoo(9);
  services::start_task(d, tech, t9->id, {});
  services::StepResult step;
  step.done = true;
  step.value = "3.1";
  services::record_step(d, tech, t9->id, 3, step, {});
  services::add_note(d, tech, t4->id, "Battery swelling, replaced", {});
  services::complete_task(d, tech, t9->id, {});
  const auto eq = store_->read_value([](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(10)); });
  services::ProblemReport report{eq->code, "Compressor trips", "", 2, ""};
  services::report_problem(d, tech, report);
  const sync::CycleReport down = sync(false, false);
  EXPECT_FALSE(down.ok());
  EXPECT_EQ(engine_->status().at("state").as_string(), "failing");
  EXPECT_GE(outbox(storage::OutboxStatus::pending).size(), 6u);
  sync(false, false);  // still down

  odoo.control("POST", "clear_faults");
  // Each committed call happens once: the failed attempts were dropped before running.
  sync();
  EXPECT_TRUE(outbox(storage::OutboxStatus::pending).empty());
  EXPECT_TRUE(outbox(storage::OutboxStatus::failed).empty());
  EXPECT_EQ(committed(odoo, "maintenance.request", "create").size(), 1u);
  const auto posts = committed(odoo, "maintenance.request", "message_post");
  ASSERT_EQ(posts.size(), 3u);  // step value, note on 4, completion of 9
  std::vector<std::int64_t> order9;
  for (const auto& c : odoo.calls("model=maintenance.request")) {
    const auto& o = c.as_object();
    if (!o.at("committed").as_bool()) continue;
    const std::string method(o.at("method").as_string());
    if (method != "write" && method != "message_post") continue;
    const auto s = json::serialize(o.at("ids"));
    if (s.find("9") == std::string::npos || s.find("19") != std::string::npos) continue;
    order9.push_back(method == "write" ? 1 : 2);
  }
  // On request 9: stage to In Progress, the step note, stage to done, the completion note.
  EXPECT_EQ(order9, (std::vector<std::int64_t>{1, 2, 1, 2}));
  EXPECT_EQ(m2o(odoo.record("maintenance.request", 9).at("stage_id")), 3);
}

TEST_F(SyncIT, LostAnswersAreNotRepeated) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  const auto tech = technician("demo");
  const auto t13 = task_by_odoo(13);  // New Request, assigned to demo
  // Odoo commits the note and the stage change, but the answers never arrive.
  odoo.control("POST", "fail", {{"count", 1}, {"mode", "drop"}, {"when", "after"}, {"method", "message_post"}});
  odoo.control("POST", "fail", {{"count", 1}, {"mode", "error"}, {"when", "after"}, {"method", "write"}});
  services::add_note(deps(), tech, t13->id, "Checked the charger", {});
  services::start_task(deps(), tech, t13->id, {});
  sync_until_idle();
  EXPECT_EQ(committed(odoo, "maintenance.request", "message_post").size(), 1u);
  EXPECT_EQ(committed(odoo, "maintenance.request", "write").size(), 1u) << json::serialize(odoo.calls());
  EXPECT_EQ(m2o(odoo.record("maintenance.request", 13).at("stage_id")), 2);
  EXPECT_TRUE(conflicts().empty());
}

TEST_F(SyncIT, ExpiredKeyRaisesTheAdminAlert) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  auto admin = bus_->subscribe(Actor{UserId(0), Role::admin, std::nullopt}, 0, [] {});
  odoo.control("POST", "api_key", {{"expired", true}});
  const sync::CycleReport r = sync(false, false);
  EXPECT_FALSE(r.ok());
  const auto status = engine_->status();
  EXPECT_EQ(status.at("state").as_string(), "alert");
  EXPECT_EQ(status.at("alert").at("kind").as_string(), "auth");
  EXPECT_EQ(status.at("alert").at("message").as_string(), "Odoo API key invalid or expired");
  bool pushed = false;
  for (const auto& e : admin->drain().events)
    pushed |= e.type == "sync.alert" && e.data.find("Odoo API key invalid or expired") != std::string::npos;
  EXPECT_TRUE(pushed);
  odoo.control("POST", "api_key", {{"expired", false}});
  sync();
  EXPECT_TRUE(engine_->status().at("alert").is_null());
}

TEST_F(SyncIT, ConflictsFollowThePolicy) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  auto& d = deps();
  // Planning field changed on both sides before Visor's change is delivered: Odoo wins.
  const auto t9 = task_by_odoo(9);
  services::TaskChanges c;
  c.schedule_start = std::optional<TimePoint>(*parse_iso8601("2026-12-20T08:00:00Z"));
  services::update_task(d, manager(), t9->id, c, std::nullopt);
  odoo.modify("maintenance.request", 9, {{"schedule_date", "2026-12-24 06:00:00"}});
  // Execution data on both sides: the technician starts, a planner scraps it in Odoo.
  const auto t12 = task_by_odoo(12);
  services::start_task(d, technician("demo"), t12->id, {});
  odoo.modify("maintenance.request", 12, {{"stage_id", 4}});
  sync();

  std::map<std::string, storage::Conflict> by_field;
  for (const auto& x : conflicts()) by_field[x.field] = x;
  ASSERT_TRUE(by_field.count("schedule_start"));
  EXPECT_EQ(by_field["schedule_start"].resolution, "cmms_wins");
  EXPECT_EQ(by_field["schedule_start"].local_value, "\"2026-12-20T08:00:00Z\"");
  EXPECT_EQ(by_field["schedule_start"].remote_value, "\"2026-12-24T06:00:00Z\"");
  EXPECT_EQ(task_by_odoo(9)->schedule_start, parse_iso8601("2026-12-24T06:00:00Z"));
  EXPECT_EQ(odoo.record("maintenance.request", 9).at("schedule_date").as_string(), "2026-12-24 06:00:00");

  // Odoo moved the end with the start (it keeps the duration), as Visor did.
  ASSERT_TRUE(by_field.count("schedule_end"));
  EXPECT_EQ(by_field["schedule_end"].resolution, "cmms_wins");
  EXPECT_EQ(task_by_odoo(9)->schedule_end, parse_iso8601("2026-12-24T08:30:00Z"));
  ASSERT_TRUE(by_field.count("stage_id"));
  EXPECT_EQ(by_field["stage_id"].resolution, "local_kept");
  EXPECT_EQ(m2o(odoo.record("maintenance.request", 12).at("stage_id")), 2);
  EXPECT_EQ(task_by_odoo(12)->execution, Execution::in_progress);
  EXPECT_EQ(engine_->status().at("conflicts_unreviewed").as_int64(), 3) << [&] {
    std::string all;
    for (const auto& x : conflicts()) all += x.field + " " + x.local_value + " / " + x.remote_value + "; ";
    return all;
  }();
}

TEST_F(SyncIT, UserCreatedInOdooAndTasksWaitForIt) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  // An admin creates an account and asks for it in Odoo too; a planner
  // assigns work to it before the account has reached Odoo.
  User n;
  n.login = "newtech";
  n.name = "New Technician";
  n.email = "newtech@example.com";
  n.created_at = clock_.now();
  store_->write([&](storage::Tx& tx) { tx.users().insert(n, ""); });
  const auto t13 = task_by_odoo(13);
  services::TaskChanges c;
  c.assignee_id = std::optional<UserId>(n.id);
  services::update_task(deps(), manager(), t13->id, c, std::nullopt);
  store_->write([&](storage::Tx& tx) { sync::user_created(tx, n, clock_.now()); });
  // The create's answer is lost once: the retry finds the login instead of creating twice.
  odoo.control("POST", "fail", {{"count", 1}, {"mode", "drop"}, {"when", "after"}, {"model", "res.users"}, {"method", "create"}});
  sync_until_idle();
  ASSERT_EQ(committed(odoo, "res.users", "create").size(), 1u);
  const auto linked = user_by_login("newtech");
  ASSERT_TRUE(linked->odoo_id);
  const auto r = odoo.record("res.users", linked->odoo_id->value);
  EXPECT_EQ(r.at("name").as_string(), "New Technician");
  EXPECT_EQ(m2o(odoo.record("maintenance.request", 13).at("user_id")), linked->odoo_id->value);
  EXPECT_TRUE(outbox(storage::OutboxStatus::failed).empty());
}

TEST_F(SyncIT, XmlRpcWithOdoo17) {
  OdooDouble odoo(OdooDouble::Options{.seed = "demo", .version = 17});
  odoo.modify("maintenance.equipment", 9, {{"location", "Hall B, line 3"}});
  connect(odoo);
  sync(true);
  EXPECT_NE(engine_->status().at("server").as_string().find("xmlrpc"), std::string::npos);
  const auto press = store_->read_value([](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(9)); });
  EXPECT_EQ(press->location, "Hall B, line 3");
  const auto t13 = task_by_odoo(13);  // New Request
  services::start_task(deps(), technician("demo"), t13->id, {});
  services::add_note(deps(), technician("demo"), t13->id, "On it", {});
  sync();
  EXPECT_EQ(m2o(odoo.record("maintenance.request", 13).at("stage_id")), 2);
  EXPECT_EQ(committed(odoo, "maintenance.request", "message_post").size(), 1u);
  for (const auto& c : odoo.calls()) EXPECT_NE(c.at("protocol").as_string(), "json2");
}

}  // namespace
}  // namespace visor::testing
