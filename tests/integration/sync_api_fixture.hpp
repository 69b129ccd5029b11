#pragma once
// An in-process Visor (app::Application on 127.0.0.1:0, SQLite in a fresh
// data directory) with an admin and a manager signed in, for the suites that
// drive the sync through the API and the CLI.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/application.hpp"
#include "app/config.hpp"
#include "auth/tokens.hpp"
#include "auth/users.hpp"
#include "storage/store.hpp"

namespace visor::testing {
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

inline std::size_t on_body(char* p, std::size_t n, std::size_t m, void* out) {
  static_cast<std::string*>(out)->append(p, n * m);
  return n * m;
}
inline std::size_t on_header(char* p, std::size_t n, std::size_t m, void* out) {
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
    app::Config& c = config_;
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
  app::Config config_;
  SystemClock clock_;
  std::unique_ptr<app::Application> app_;
  std::thread runner_;
  Session admin_, manager_;
};


}  // namespace visor::testing
