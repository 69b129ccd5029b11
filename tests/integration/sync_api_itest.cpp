// The sync through the real server: an in-process Visor (app::Application on
// 127.0.0.1:0) configured over its API against the stand-in Odoo — connector
// settings (the secret write-only), connection test, "sync now", status with
// the expired-key alert, the outbox with a parked message and its requeue,
// conflicts and their review, and the permission each route needs.
#include "odoo_double.hpp"
#include "services/tasks.hpp"
#include "sync_api_fixture.hpp"

namespace visor::testing {
namespace {
namespace json = boost::json;

TEST_F(SyncApi, ConfigureSyncWatchAndRepair) {
  OdooDouble odoo;
  // Not configured: status says so, "sync now" is a conflict.
  EXPECT_FALSE(call(&admin_, "GET", "/api/v1/sync/status").json().at("configured").as_bool());
  EXPECT_EQ(call(&admin_, "POST", "/api/v1/sync/run").status, 409);

  // Settings: admins only, strictly read, the secret never comes back.
  const std::string settings = json::serialize(json::object{{"url", odoo.url()},
                                                            {"database", "odoo"},
                                                            {"login", "admin"},
                                                            {"protocol", "auto"},
                                                            {"poll_interval_seconds", 1},
                                                            {"secret", odoo.options().api_key}});
  EXPECT_EQ(call(&manager_, "PUT", "/api/v1/connector", settings).status, 403);
  EXPECT_EQ(call(&admin_, "PUT", "/api/v1/connector", R"({"url": "http://x", "colour": "red"})").status, 400);
  const Http put = call(&admin_, "PUT", "/api/v1/connector", settings);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_TRUE(put.json().at("secret_set").as_bool());
  EXPECT_EQ(put.body.find(odoo.options().api_key), std::string::npos);
  const Http got = call(&admin_, "GET", "/api/v1/connector");
  EXPECT_EQ(got.body.find(odoo.options().api_key), std::string::npos);
  EXPECT_FALSE(got.json().as_object().contains("secret"));
  EXPECT_EQ(call(&manager_, "GET", "/api/v1/connector").status, 403);
  const Http test = call(&admin_, "POST", "/api/v1/connector/test");
  EXPECT_TRUE(test.json().at("ok").as_bool()) << test.body;
  EXPECT_NE(std::string(test.json().at("server").as_string()).find("json2"), std::string::npos);
  const Http bad_key = call(&admin_, "POST", "/api/v1/connector/test", R"({"secret": "wrong"})");
  EXPECT_FALSE(bad_key.json().at("ok").as_bool());
  EXPECT_EQ(bad_key.json().at("message").as_string(), "Odoo API key invalid or expired");
  // Nothing in the store or the audit log holds the key in clear.
  app_->store().read([&](storage::Tx& tx) {
    storage::AuditQuery q;
    q.action = "connector.update";
    const auto entries = tx.audit().list(q);
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries[0].detail.find(odoo.options().api_key), std::string::npos);
    EXPECT_EQ(tx.settings().get("cmms.secret")->find(odoo.options().api_key), std::string::npos);
  });

  // The engine picks the settings up and imports; managers may read the status.
  EXPECT_EQ(call(&admin_, "POST", "/api/v1/sync/run").status, 202);
  const auto s = wait_status([](const json::object& s) {
    if (s.at("state") != "ok") return false;
    for (const auto& m : s.at("models").as_array())
      if (m.at("model") == "maintenance.request" && m.at("records").as_int64() == 20) return true;
    return false;
  });
  EXPECT_EQ(s.at("state").as_string(), "ok");
  EXPECT_EQ(call(&manager_, "GET", "/api/v1/sync/status").status, 200);

  // A note on a request Odoo deleted meanwhile cannot be delivered: parked, visible, requeueable.
  const auto t7 = app_->store().read_value([](storage::Tx& tx) { return tx.tasks().get_by_odoo(OdooId(7)); });
  ASSERT_TRUE(t7);
  odoo.unlink("maintenance.request", 7);
  services::Deps deps{app_->store(), app_->bus(), clock_};
  const auto boss = app_->store().read_value([](storage::Tx& tx) { return tx.users().get_by_login("boss"); });
  services::add_note(deps, services::Caller{Actor{boss->id, Role::manager, std::nullopt}, "boss", "", std::nullopt},
                     t7->id, "Paper jam cleared", {});
  wait_status([](const json::object& s) { return s.at("outbox").at("failed").as_int64() == 1; });
  const Http failed = call(&manager_, "GET", "/api/v1/sync/outbox?status=failed");
  const json::value failed_items = failed.json().at("items");
  ASSERT_EQ(failed_items.as_array().size(), 1u) << call(&manager_, "GET", "/api/v1/sync/outbox").body;
  const json::object item = failed_items.as_array()[0].as_object();
  EXPECT_EQ(item.at("model").as_string(), "task");  // in Visor's terms
  EXPECT_EQ(item.at("operation").as_string(), "note");
  EXPECT_NE(std::string(item.at("last_error").as_string()).find("missing"), std::string::npos);
  EXPECT_EQ(call(&admin_, "GET", "/api/v1/sync/outbox?colour=red").status, 400);
  const std::string requeue = "/api/v1/sync/outbox/" + std::to_string(item.at("id").as_int64()) + "/requeue";
  EXPECT_EQ(call(&manager_, "POST", requeue).status, 403);  // sync_admin
  EXPECT_EQ(call(&admin_, "POST", requeue).status, 204);
  // Still impossible: tried again at once and parked again.
  wait_status([](const json::object& s) { return s.at("outbox").at("failed").as_int64() == 1; });
  EXPECT_EQ(call(&admin_, "POST", "/api/v1/sync/outbox/999999/requeue").status, 404);

  // Conflicts are listed for managers and reviewed by admins.
  storage::Conflict c;
  c.task_id = t7->id;
  c.field = "schedule_start";
  c.local_value = "\"2026-12-20T08:00:00Z\"";
  c.remote_value = "\"2026-12-24T06:00:00Z\"";
  c.resolution = "cmms_wins";
  c.at = clock_.now();
  app_->store().write([&](storage::Tx& tx) { tx.sync().add_conflict(c); });
  const Http list = call(&manager_, "GET", "/api/v1/sync/conflicts?unreviewed=true");
  ASSERT_EQ(list.status, 200);
  ASSERT_FALSE(list.json().at("items").as_array().empty());
  const std::string review = "/api/v1/sync/conflicts/" + std::to_string(c.id) + "/review";
  EXPECT_EQ(call(&admin_, "POST", review).status, 204);
  bool still = false;
  const json::value unreviewed = call(&admin_, "GET", "/api/v1/sync/conflicts?unreviewed=true").json();
  for (const auto& x : unreviewed.at("items").as_array()) still |= x.at("id").as_int64() == c.id;
  EXPECT_FALSE(still);

  // The key expires: the status shows the admin alert.
  odoo.control("POST", "api_key", {{"expired", true}});
  const auto alert = wait_status([](const json::object& s) { return s.at("alert").is_object(); });
  EXPECT_EQ(alert.at("alert").at("message").as_string(), "Odoo API key invalid or expired");
  EXPECT_EQ(alert.at("state").as_string(), "alert");
}

}  // namespace
}  // namespace visor::testing
