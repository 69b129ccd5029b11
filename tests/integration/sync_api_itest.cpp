// The sync through the real server: an in-process Visor (app::Application on
// 127.0.0.1:0) configured over its API against the stand-in Odoo — connector
// settings (the secret write-only), connection test, "sync now", status with
// the expired-key alert, the outbox with a parked message and its requeue,
// conflicts and their review, and the permission each route needs.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/application.hpp"
#include "app/config.hpp"
#include "auth/tokens.hpp"
#include "auth/users.hpp"
#include "odoo_double.hpp"
#include "services/tasks.hpp"
#include "storage/store.hpp"

namespace visor::testing {
namespace {
namespace json = boost::json;

struct Http {
  int status = 0;
  std::string body;
  std::string set_cookie;
  json::value json() const {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    return ec ? json::value() : v;
  }
};

std::size_t on_body(char* p, std::size_t n, std::size_t m, void* out) {
  static_cast<std::string*>(out)->append(p, n * m);
  return n * m;
}
std::size_t on_header(char* p, std::size_t n, std::size_t m, void* out) {
  std::string line(p, n * m);
  if (line.rfind("Set-Cookie:", 0) == 0 || line.rfind("set-cookie:", 0) == 0) {
    auto v = line.substr(11);
    v = v.substr(v.find_first_not_of(' '));
    *static_cast<std::string*>(out) = v.substr(0, v.find(';'));
  }
  return n * m;
}

class SyncApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    char tmpl[] = "/tmp/visor-sync-api-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    app::Config c;
    c.host = "127.0.0.1";
    c.port = 0;
    c.data_dir = dir_;
    c.db_url = "sqlite://" + (dir_ / "visor.db").string();
    c.web_root = VISOR_WEB_ROOT;
    c.threads = 2;
    c.poll_interval = std::chrono::seconds(1);
    c.log_level = "warn";
    app_ = std::make_unique<app::Application>(c, clock_);
    app_->start();
    runner_ = std::thread([this] { app_->run_until_signal(); });
    for (auto [login, role] : {std::pair{"root", Role::admin}, std::pair{"boss", Role::manager}}) {
      auth::NewUser u;
      u.login = login;
      u.name = login;
      u.role = role;
      u.password = Secret("correct horse battery staple");
      app_->store().write([&](storage::Tx& tx) {
        auth::create_user(tx, u, auth::Acting::system(), clock_.now(), auth::PasswordCost::minimum());
      });
    }
    admin_ = login("root");
    manager_ = login("boss");
  }

  void TearDown() override {
    app_->stop();
    if (runner_.joinable()) runner_.join();
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  struct Session {
    std::string cookie, csrf;
  };

  Http call(const Session* s, const std::string& method, const std::string& path, const std::string& body = {}) {
    Http out;
    CURL* h = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(app_->port()) + path;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (s) {
      headers = curl_slist_append(headers, ("Cookie: " + s->cookie).c_str());
      headers = curl_slist_append(headers, ("X-CSRF-Token: " + s->csrf).c_str());
    }
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method != "GET") curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &out.set_cookie);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    if (curl_easy_perform(h) == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      out.status = int(status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    EXPECT_LT(out.status, 500) << method << " " << path << ": " << out.body;
    return out;
  }

  // A browser session written as login writes it (no Argon2 in tests; the
  // login endpoint itself is the access suite's).
  Session login(const std::string& name) {
    const auto user = app_->store().read_value([&](storage::Tx& tx) { return tx.users().get_by_login(name); });
    const Secret token = auth::random_token();
    storage::SessionRecord s;
    s.token_hash = auth::hash_token(token);
    s.user_id = user->id;
    s.csrf_token = auth::new_csrf_token();
    s.created_at = s.last_seen_at = clock_.now();
    s.expires_at = clock_.now() + std::chrono::hours(12);
    s.remote_addr = "127.0.0.1";
    app_->store().write([&](storage::Tx& tx) { tx.auth().insert_session(s); });
    return Session{"visor_session=" + std::string(token.reveal()), s.csrf_token};
  }

  // Polls GET /api/v1/sync/status until `ok(status)` or the deadline.
  json::object wait_status(const std::function<bool(const json::object&)>& ok) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    json::object s;
    while (std::chrono::steady_clock::now() < deadline) {
      s = call(&admin_, "GET", "/api/v1/sync/status").json().as_object();
      if (ok(s)) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "status never reached the expected state: " << json::serialize(s);
    return s;
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<app::Application> app_;
  std::thread runner_;
  Session admin_, manager_;
};

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
  EXPECT_EQ(item.at("operation").as_string(), "message_post");
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
