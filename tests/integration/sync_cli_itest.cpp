// The `visor` CLI beside a running server, and pushes that do not wait for
// the next poll (issue 8, findings 3, 5 and 6): the CLI never takes or
// releases the server's sync lease, `visor sync status` reports the server's
// real state, `visor sync --once` prints what it removed and reconciled, and
// a user created for Odoo reaches it at once.
#include "app/commands.hpp"
#include "odoo_double.hpp"
#include "sync_api_fixture.hpp"

namespace visor::testing {
namespace {

class SyncCli : public SyncApi {
 protected:
  struct Run {
    int code = 0;
    std::string out;
    std::string err;
    json::object json() const {
      boost::system::error_code ec;
      auto v = json::parse(out, ec);
      return !ec && v.is_object() ? v.as_object() : json::object{};
    }
  };

  Run cli(std::vector<std::string> argv) {
    const std::string data_dir = dir_.string();
    for (const std::string& extra : {std::string("--data-dir"), data_dir, std::string("--db"), config_.db_url,
                                     std::string("--log-level"), std::string("warn")})
      argv.push_back(extra);
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    Run r;
    r.code = app::run_cli(argv);
    r.out = ::testing::internal::GetCapturedStdout();
    r.err = ::testing::internal::GetCapturedStderr();
    return r;
  }

  std::string lease() {
    return app_->store().read_value([](storage::Tx& tx) { return tx.settings().get("sync.lease").value_or(""); });
  }
  static std::string holder(const std::string& lease) { return lease.substr(0, lease.rfind(' ')); }

  // Points the running server at `odoo` and waits for its first import.
  void connect_and_import(OdooDouble& odoo, int poll_seconds) {
    const std::string settings = json::serialize(json::object{{"url", odoo.url()},
                                                              {"database", "odoo"},
                                                              {"login", "admin"},
                                                              {"poll_interval_seconds", poll_seconds},
                                                              {"secret", odoo.options().api_key}});
    ASSERT_EQ(call(&admin_, "PUT", "/api/v1/connector", settings).status, 200);
    ASSERT_EQ(call(&admin_, "POST", "/api/v1/sync/run").status, 202);
    wait_status([](const json::object& s) {
      if (s.at("state") != "ok") return false;
      for (const auto& m : s.at("models").as_array())
        if (m.at("model") == "maintenance.request" && m.at("records").as_int64() == 20) return true;
      return false;
    });
  }
};

// Finding 3.
TEST_F(SyncCli, CommandsLeaveTheServersLeaseAloneAndReportItsState) {
  OdooDouble odoo;
  connect_and_import(odoo, 1);
  const std::string server = holder(lease());
  ASSERT_FALSE(server.empty());

  const Run status = cli({"sync", "status"});
  ASSERT_EQ(status.code, 0) << status.err;
  const auto s = status.json();
  EXPECT_EQ(s.at("state").as_string(), "ok") << status.out;
  EXPECT_TRUE(s.at("running").as_bool()) << status.out;
  EXPECT_FALSE(s.at("last_success_at").is_null()) << status.out;
  EXPECT_EQ(holder(lease()), server);

  const Run test = cli({"connector", "test"});
  EXPECT_EQ(test.code, 0) << test.out << test.err;
  EXPECT_EQ(holder(lease()), server);

  // While the server syncs, a one-off cycle waits its turn.
  const Run once = cli({"sync", "--once"});
  EXPECT_EQ(once.code, 1);
  EXPECT_NE((once.out + once.err).find("another Visor instance"), std::string::npos) << once.out << once.err;
  EXPECT_EQ(holder(lease()), server);

  // The server is still the one syncing.
  odoo.modify("maintenance.request", 4, {{"name", "Renamed after the CLI ran"}});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    const auto t = app_->store().read_value([](storage::Tx& tx) { return tx.tasks().get_by_odoo(OdooId(4)); });
    seen = t && t->title == "Renamed after the CLI ran";
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(seen);
}

// Finding 6: what a one-off cycle removed and reconciled is printed.
TEST_F(SyncCli, SyncOncePrintsRemovedAndReconciledCounts) {
  OdooDouble odoo;
  connect_and_import(odoo, 3600);
  app_->stop();  // the CLI alone from now on
  if (runner_.joinable()) runner_.join();
  odoo.unlink("maintenance.request", 20);
  const Run once = cli({"sync", "--once", "--reconcile"});
  ASSERT_EQ(once.code, 0) << once.out << once.err;
  const auto out = once.json();
  ASSERT_TRUE(out.contains("reconciles")) << once.out;
  std::int64_t removed = -1;
  for (const auto& r : out.at("reconciles").as_array())
    if (r.at("model") == "maintenance.request") removed = r.at("removed").as_int64();
  EXPECT_EQ(removed, 1) << once.out;
  for (const auto& p : out.at("pulls").as_array()) EXPECT_TRUE(p.as_object().contains("removed")) << once.out;
}

// The mass-deletion guard from the command line: listed, confirmed, applied.
TEST_F(SyncCli, HeldDeletionsAreListedAndConfirmedFromTheCommandLine) {
  OdooDouble odoo;
  connect_and_import(odoo, 3600);
  app_->stop();
  if (runner_.joinable()) runner_.join();
  for (int id : {1, 2, 3, 4, 5, 6, 7}) odoo.unlink("maintenance.request", id);
  const Run held = cli({"sync", "--once", "--reconcile"});
  EXPECT_EQ(held.json().at("held_deletions").as_int64(), 7) << held.out;
  const Run list = cli({"sync", "deletions"});
  ASSERT_EQ(list.code, 0) << list.err;
  const auto items = list.json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << list.out;
  EXPECT_EQ(items[0].at("model").as_string(), "maintenance.request");
  EXPECT_EQ(items[0].at("count").as_int64(), 7);
  EXPECT_EQ(cli({"sync", "status"}).json().at("state").as_string(), "alert");
  EXPECT_EQ(cli({"sync", "confirm-deletions", "--model", "maintenance.equipment"}).code, 1);  // nothing held there
  const Run confirm = cli({"sync", "confirm-deletions"});
  ASSERT_EQ(confirm.code, 0) << confirm.err;
  EXPECT_EQ(confirm.json().at("confirmed").as_int64(), 7);
  const Run applied = cli({"sync", "--once", "--reconcile"});
  ASSERT_EQ(applied.code, 0) << applied.out << applied.err;
  std::int64_t removed = 0;
  const auto out = applied.json();
  for (const auto& r : out.at("reconciles").as_array())
    if (r.at("model") == "maintenance.request") removed = r.at("removed").as_int64();
  EXPECT_EQ(removed, 7) << applied.out;
  EXPECT_TRUE(cli({"sync", "deletions"}).json().at("items").as_array().empty());
}

// Finding 5: the account reaches Odoo without waiting for the next poll.
TEST_F(SyncCli, UserCreatedForOdooIsPushedAtOnce) {
  OdooDouble odoo;
  connect_and_import(odoo, 3600);
  const Http created = call(&admin_, "POST", "/api/v1/users",
                            R"({"login": "newtech", "name": "New Technician", "password": "a long enough password",
                                "create_in_odoo": true})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool arrived = false;
  while (!arrived && std::chrono::steady_clock::now() < deadline) {
    for (const auto& c : odoo.calls("model=res.users&method=create"))
      arrived |= c.at("committed").as_bool();
    if (!arrived) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(arrived) << "the user waited for the next poll (3600 s)";
}

}  // namespace
}  // namespace visor::testing
