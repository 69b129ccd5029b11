// What a real Odoo showed that the stand-in used to hide (issue 8), each
// against the stand-in Odoo that now behaves like the real one: XML-RPC
// creates on Odoo 16–19, keys that may not see the records, deletions only
// after a read, re-linking, work while the connector is disabled, "sync now",
// the people named in chatter notes, the floor state of Odoo's stages, the
// server string, and an idle second run. Built into sync_itest and sync_pgtest.
#include <boost/json/serialize.hpp>

#include "services/completion.hpp"
#include "services/follow_ups.hpp"
#include "services/procedures.hpp"
#include "services/tasks.hpp"
#include "sync/admin.hpp"
#include "sync/changes.hpp"
#include "sync/connector_settings.hpp"
#include "sync_fixture.hpp"
#include "util/error.hpp"

namespace visor::testing {
namespace {
namespace json = boost::json;

class SyncOdoo : public SyncTest {
 protected:
  std::optional<Equipment> machine(std::int64_t odoo_id) {
    return store_->read_value([&](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(odoo_id)); });
  }
  std::vector<Equipment> machines() {
    return store_->read_value([](storage::Tx& tx) {
      storage::EquipmentQuery q;
      q.include_inactive = true;
      q.limit = 500;
      std::vector<Equipment> out;
      for (auto& row : tx.equipment().list(q)) out.push_back(row.equipment);
      return out;
    });
  }
  void wait_for(const std::function<bool()>& done, const std::string& what) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!done()) {
      if (std::chrono::steady_clock::now() > until) {
        ADD_FAILURE() << "timed out waiting for " << what;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::string notes(OdooDouble& odoo) {
    std::string all;
    for (const auto& post : committed(odoo, "maintenance.request", "message_post")) all += json::serialize(post) + "\n";
    return all;
  }
};

// Finding 1: over XML-RPC, Odoo's call_kw reads create's values from args[0].
class SyncOdooXmlRpc : public SyncOdoo, public ::testing::WithParamInterface<int> {};

TEST_P(SyncOdooXmlRpc, TasksAndUsersCreatedInVisorReachOdoo) {
  OdooDouble odoo(OdooDouble::Options{.version = GetParam()});
  connect(odoo, "xmlrpc");
  sync(true);
  const auto press = machine(9);
  ASSERT_TRUE(press);
  services::TaskChanges c;
  c.title = "Replace the press belt";
  c.equipment_id = std::optional<EquipmentId>(press->id);
  c.priority = 3;
  c.schedule_start = std::optional<TimePoint>(*parse_iso8601("2030-03-04T08:00:00Z"));
  c.schedule_end = std::optional<TimePoint>(*parse_iso8601("2030-03-04T10:30:00Z"));
  const auto created = services::create_task(deps(), manager(), c);
  services::add_note(deps(), manager(), task_by_odoo(13)->id, "Belt ordered", {});
  User n;
  n.login = "newtech";
  n.name = "New Technician";
  n.created_at = clock_.now();
  store_->write([&](storage::Tx& tx) {
    tx.users().insert(n, "");
    sync::user_created(tx, n, clock_.now());
  });
  sync_until_idle();

  EXPECT_TRUE(outbox(storage::OutboxStatus::failed).empty()) << json::serialize(odoo.calls("method=create"));
  ASSERT_EQ(committed(odoo, "maintenance.request", "create").size(), 1u);
  const auto task = store_->read_value([&](storage::Tx& tx) { return tx.tasks().get(created.row.task.id); });
  ASSERT_TRUE(task->odoo_id);
  const auto r = odoo.record("maintenance.request", task->odoo_id->value);
  EXPECT_EQ(r.at("name").as_string(), "Replace the press belt");
  EXPECT_EQ(m2o(r.at("equipment_id")), 9);
  EXPECT_EQ(r.at("schedule_date").as_string(), "2030-03-04 08:00:00");
  if (GetParam() >= 19) {
    EXPECT_EQ(r.at("schedule_end").as_string(), "2030-03-04 10:30:00");
  } else {
    EXPECT_DOUBLE_EQ(r.at("duration").as_double(), 2.5);  // no schedule_end before 19
  }
  ASSERT_EQ(committed(odoo, "res.users", "create").size(), 1u);
  EXPECT_TRUE(user_by_login("newtech")->odoo_id);
  // The note reads as HTML in every version (16 takes bodies as HTML, 17+ are told so).
  bool note = false;
  for (const auto& m : odoo.records("mail.message"))
    note |= m.at("body").is_string() && m.at("body").as_string().starts_with("<p>The Boss: Belt ordered</p>");
  EXPECT_TRUE(note) << json::serialize(odoo.records("mail.message"));
  // Pulled back unchanged: the end Visor planned survives the round trip.
  sync();
  EXPECT_EQ(store_->read_value([&](storage::Tx& tx) { return tx.tasks().get(created.row.task.id); })->schedule_end,
            parse_iso8601("2030-03-04T10:30:00Z"));
  EXPECT_TRUE(conflicts().empty());
}

INSTANTIATE_TEST_SUITE_P(Odoo, SyncOdooXmlRpc, ::testing::Values(16, 17, 18, 19));

TEST_F(SyncOdoo, StatusIsNotOkWhileAMessageIsParked) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  const auto t7 = task_by_odoo(7);
  odoo.unlink("maintenance.request", 7);
  services::add_note(deps(), manager(), t7->id, "Paper jam cleared", {});
  sync(false, false);
  ASSERT_EQ(outbox(storage::OutboxStatus::failed).size(), 1u);
  sync(false, false);  // a later cycle has nothing left to fail on
  const auto status = engine_->status();
  EXPECT_EQ(status.at("outbox").at("failed").as_int64(), 1);
  EXPECT_NE(status.at("state").as_string(), "ok") << json::serialize(status);
}

TEST_F(SyncOdoo, TheConnectionTestSaysPlainlyWhenTheKeySeesNothing) {
  OdooDouble odoo;
  odoo.control("POST", "api_key", {{"add", {{"key", "basic-key"}, {"login", "basic"}}}});
  sync::SyncServices services{*store_, *box_, *driver_, clock_};
  connect(odoo);
  auto ok = sync::test_connector(services);
  EXPECT_TRUE(ok.at("ok").as_bool()) << json::serialize(ok);
  EXPECT_EQ(ok.at("server").as_string(), "Odoo 19.0 (json2)");
  EXPECT_EQ(ok.at("visible").at("maintenance.request").as_int64(), 20);
  EXPECT_TRUE(ok.at("warnings").as_array().empty());
  // Unsaved settings merged over the stored ones: another key.
  sync::ConnectorUpdate other;
  other.secret = Secret("basic-key");
  const auto blind = sync::test_connector(services, other);
  EXPECT_TRUE(blind.at("ok").as_bool());
  EXPECT_EQ(blind.at("visible").at("maintenance.request").as_int64(), 0);
  EXPECT_EQ(blind.at("visible").at("maintenance.equipment").as_int64(), 0);
  EXPECT_NE(std::string(blind.at("message").as_string()).find("sees no maintenance requests and no equipment"),
            std::string::npos)
      << json::serialize(blind);
  EXPECT_EQ(blind.at("warnings").as_array().size(), 1u);
}

// Finding 2: Odoo answers a user without maintenance rights with empty
// results; only a read of the ids tells "deleted" from "hidden".
TEST_F(SyncOdoo, AKeyThatMayNotSeeTheRecordsDeletesNothing) {
  OdooDouble odoo;
  connect(odoo);
  sync(true);
  std::map<std::int64_t, TaskId> tasks;
  for (std::int64_t id = 1; id <= 20; ++id) tasks[id] = task_by_odoo(id)->id;
  std::map<std::int64_t, std::string> codes;
  for (const auto& m : machines()) codes[m.odoo_id->value] = m.code;

  odoo.control("POST", "api_key", {{"add", {{"key", "basic-key"}, {"login", "basic"}}}});
  connect(odoo, "auto", "basic-key");
  const sync::CycleReport r = sync(true, false);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(task_count(), 20);
  for (const auto& [odoo_id, id] : tasks) EXPECT_EQ(task_by_odoo(odoo_id)->id, id) << odoo_id;
  for (const auto& m : machines()) {
    ASSERT_TRUE(m.odoo_id) << m.name;
    EXPECT_EQ(m.active, m.odoo_id->value != 11) << m.name;
  }
  const auto status = engine_->status();
  EXPECT_EQ(status.at("state").as_string(), "alert") << json::serialize(status);
  EXPECT_EQ(status.at("alert").at("kind").as_string(), "access") << json::serialize(status);

  // The right key back: nothing is imported twice, labels keep their codes.
  connect(odoo);
  sync(true);
  EXPECT_EQ(task_count(), 20);
  for (const auto& [odoo_id, id] : tasks) EXPECT_EQ(task_by_odoo(odoo_id)->id, id) << odoo_id;
  const auto after = machines();
  EXPECT_EQ(after.size(), codes.size());
  for (const auto& m : after) EXPECT_EQ(codes[m.odoo_id->value], m.code) << m.name;
  EXPECT_TRUE(engine_->status().at("alert").is_null());
}

TEST_F(SyncOdoo, RelinkingKeepsTheMachineCodeAndTheTaskHistory) {
  OdooDouble odoo;
  connect(odoo);
  sync(true);
  const auto printer = machine(8);
  const auto t13 = task_by_odoo(13);
  services::start_task(deps(), technician("demo"), t13->id, {});
  sync_until_idle();
  odoo.unlink("maintenance.equipment", 8);
  odoo.unlink("maintenance.request", 13);
  sync(true);
  EXPECT_FALSE(machine(8));
  EXPECT_FALSE(task_by_odoo(13));

  // Restored in Odoo (from a backup: same ids).
  odoo.control("POST", "create",
               {{"model", "maintenance.equipment"},
                {"id", 8},
                {"values", {{"name", "HP Inkjet printer"}, {"serial_no", "PR/011/2928191889"}}}});
  odoo.control("POST", "create",
               {{"model", "maintenance.request"},
                {"id", 13},
                {"values", {{"name", "Laptop fan noisy"}, {"stage_id", 2}, {"user_id", 5}}}});
  sync(true);
  const auto back = machine(8);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, printer->id);
  EXPECT_EQ(back->code, printer->code);
  EXPECT_TRUE(back->active);
  const auto task = task_by_odoo(13);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->id, t13->id);
  EXPECT_FALSE(task->archived);
  const auto log = store_->read_value([&](storage::Tx& tx) { return tx.tasks().work_log(t13->id); });
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front().kind, WorkLogKind::started);
  EXPECT_EQ(machines().size(), 11u);
  EXPECT_EQ(task_count(), 20);
}

// Finding 4.
TEST_F(SyncOdoo, WorkDoneWhileTheConnectorIsDisabledReachesOdooOnceEnabledAgain) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  sync::ConnectorUpdate off;
  off.enabled = false;
  change_settings(off);
  const auto tech = technician("demo");
  const auto t13 = task_by_odoo(13);
  services::add_note(deps(), tech, t13->id, "Noted while the connector was off", {});
  services::start_task(deps(), tech, t13->id, {});
  EXPECT_FALSE(engine_->run_once(false).configured);
  EXPECT_TRUE(committed(odoo, "maintenance.request", "message_post").empty());

  sync::ConnectorUpdate on;
  on.enabled = true;
  change_settings(on);
  sync_until_idle();
  EXPECT_NE(notes(odoo).find("Noted while the connector was off"), std::string::npos);
  EXPECT_EQ(m2o(odoo.record("maintenance.request", 13).at("stage_id")), 2);
}

// Finding 5: "sync now" also looks for deletions.
TEST_F(SyncOdoo, SyncNowReconciles) {
  OdooDouble odoo;
  connect(odoo);
  engine_->start();
  wait_for([&] { return task_by_odoo(20).has_value(); }, "the import");
  odoo.unlink("maintenance.request", 20);
  engine_->sync_now();
  wait_for([&] { return !task_by_odoo(20).has_value(); }, "request 20 to go after 'sync now'");
  engine_->stop();
}

// Finding 6.
TEST_F(SyncOdoo, ChatterNotesNameThePersonNotTheDevice) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  auto glasses = technician("demo");
  glasses.label = "device:check-demo";  // how a paired device is labelled
  const auto t13 = task_by_odoo(13);
  services::start_task(deps(), glasses, t13->id, {});
  services::add_note(deps(), glasses, t13->id, "Fan cleaned", {});
  services::complete_task(deps(), glasses, t13->id, {});
  sync_until_idle();
  const std::string all = notes(odoo);
  EXPECT_NE(all.find("Marc Demo: Fan cleaned"), std::string::npos) << all;
  EXPECT_NE(all.find("Completed in Visor</b> by Marc Demo"), std::string::npos) << all;
  EXPECT_EQ(all.find("device:"), std::string::npos) << all;
}

TEST_F(SyncOdoo, OdoosInProgressStageIsWorkInProgress) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  EXPECT_EQ(task_by_odoo(4)->execution, Execution::in_progress);   // In Progress
  EXPECT_EQ(task_by_odoo(2)->execution, Execution::not_started);   // New Request
  EXPECT_EQ(task_by_odoo(1)->execution, Execution::completed);     // Repaired
  odoo.modify("maintenance.request", 13, {{"stage_id", 2}});
  sync();
  EXPECT_EQ(task_by_odoo(13)->execution, Execution::in_progress);
  odoo.modify("maintenance.request", 13, {{"stage_id", 1}});
  sync();
  EXPECT_EQ(task_by_odoo(13)->execution, Execution::not_started);
}

TEST_F(SyncOdoo, Json2ServerStringHasTheVersion) {
  OdooDouble odoo;
  connect(odoo, "json2");
  sync();
  EXPECT_EQ(engine_->status().at("server").as_string(), "Odoo 19.0 (json2)");
}

TEST_F(SyncOdoo, TheMissingLoginIsSaidOnce) {
  sync::ConnectorUpdate u;
  u.url = "http://127.0.0.1:9";
  u.protocol = "xmlrpc";
  u.database = "odoo";
  u.secret = Secret("k");
  try {
    change_settings(u);
    FAIL() << "settings without a login were accepted";
  } catch (const Error& e) {
    const std::string detail = e.detail();
    EXPECT_NE(detail.find("login"), std::string::npos) << detail;
    EXPECT_EQ(detail.find("login"), detail.rfind("login")) << detail;
  }
}

TEST_F(SyncOdoo, ASecondSyncOnAnUnchangedOdooFetchesNothing) {
  OdooDouble odoo(OdooDouble::Options{.seed = "bulk:600:20"});
  // Everything was written two minutes ago, by Odoo's clock.
  odoo.control("POST", "clock", {{"advance", 120}});
  connect(odoo);
  {
    auto first = another_engine();
    const auto r = first->run_once(false);
    ASSERT_TRUE(r.ok());
  }
  auto second = another_engine();
  const auto again = second->run_once(false);
  ASSERT_TRUE(again.ok());
  for (const auto& p : again.pulls) EXPECT_EQ(p.fetched, 0) << p.model;
}

// Issue 14: a whole inspection under a procedure reaches Odoo as one
// structured chatter entry (a table of every step) and a follow-up request
// that names the original, created before the entry that links to it.
TEST_F(SyncOdoo, AnInspectionReachesOdooAsATableAndAFollowUpRequest) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  const auto t13 = task_by_odoo(13);
  ASSERT_TRUE(t13 && t13->equipment_id);
  services::ProcedureInput in;
  in.name = "Press inspection";
  in.equipment_id = t13->equipment_id;
  in.text = "[check] Hoses free of leaks\n[number 3.0-3.5 bar] Pump pressure\n[choice OK / worn] Drive belt\n";
  const auto proc = services::create_procedure(deps(), manager(), in);
  EXPECT_GE(proc.tasks_updated, 1);
  const auto glasses = technician("demo");
  auto number_of = [&](const std::string& text) {
    for (const Step& s : steps(t13->id))
      if (s.text == text) return s.number;
    ADD_FAILURE() << "no step " << text;
    return 0;
  };
  const int hoses = number_of("Hoses free of leaks");
  const int pressure = number_of("Pump pressure");
  const int belt = number_of("Drive belt");
  services::start_task(deps(), glasses, t13->id, {});
  auto answer = [&](int n, std::string value, std::optional<std::string> note = std::nullopt) {
    services::StepResult r;
    r.value = std::move(value);
    r.note = std::move(note);
    r.done = true;
    services::record_step(deps(), glasses, t13->id, n, r, {});
  };
  answer(hoses, "fail", "Oil on the left flange");
  answer(pressure, "3.9");
  answer(belt, "worn");
  for (const Step& s : steps(t13->id))
    if (!s.done && s.kind == StepKind::instruction) {
      services::StepResult r;
      r.done = true;
      services::record_step(deps(), glasses, t13->id, s.number, r, {});
    }
  services::raise_follow_up(deps(), glasses, t13->id, hoses, {});
  services::complete_task(deps(), glasses, t13->id, {}, services::Completion{});
  sync_until_idle();

  EXPECT_TRUE(outbox(storage::OutboxStatus::failed).empty());
  // The follow-up: a new corrective request on the same machine naming request 13.
  const auto creates = committed(odoo, "maintenance.request", "create");
  ASSERT_EQ(creates.size(), 1u) << json::serialize(odoo.calls("method=create"));
  std::int64_t follow_up_odoo = 0;
  for (const auto& r : odoo.records("maintenance.request")) {
    const auto& d = r.at("description");
    if (d.is_string() && std::string(d.as_string()).find("Follow-up of request #13") != std::string::npos)
      follow_up_odoo = r.at("id").as_int64();
  }
  ASSERT_NE(follow_up_odoo, 0) << json::serialize(odoo.records("maintenance.request"));
  EXPECT_EQ(m2o(odoo.record("maintenance.request", follow_up_odoo).at("equipment_id")),
            m2o(odoo.record("maintenance.request", 13).at("equipment_id")));
  // One completion entry on request 13: a table with every typed step, its result and flag.
  const std::string all = notes(odoo);
  const auto table = all.find("<table");
  ASSERT_NE(table, std::string::npos) << all;
  EXPECT_EQ(all.find("<table", table + 1), std::string::npos) << "one table, exactly once: " << all;
  for (const char* expected : {"Hoses free of leaks", "FAIL", "Oil on the left flange", "Pump pressure", "3.9",
                               "Out of range", "Drive belt", "worn"})
    EXPECT_NE(all.find(expected, table), std::string::npos) << expected << " in " << all;
  EXPECT_NE(all.find("Follow-up: request #" + std::to_string(follow_up_odoo) + "<", table), std::string::npos)
      << "the table names the follow-up request: " << all;
}

}  // namespace
}  // namespace visor::testing
