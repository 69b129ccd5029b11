// Issue 10: what an adversarial review found, each held to its fix over
// real HTTP. Findings 1 (streams outlive their credential), 2 (profile
// rights and audit detail), 3 (stream caps), 4 (cross-site requests and
// media types), 6 (atomic throttles), 7 (logout's cookie), 8 (audit gaps),
// 11 (instruction links), 12 (trusted proxies) and 13 (photos' media type,
// public cards, orphan uploads). The rest are in tests/unit/http (5, 13),
// tests/storage (6 on PostgreSQL) and tests/ops (3's descriptor limit, 8's
// CLI user, 9, 10).
//
// Each test changes the server (revokes, throttles, disables, configures
// it): ctest runs every test in a process of its own (gtest_discover_tests);
// the tests that configure the server skip when it is already running.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server.hpp"
#include "storage/store.hpp"

namespace visor::apitest {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr auto kWithinASecond = 1000ms;

std::string bearer(const std::string& token) { return "Bearer " + token; }

std::vector<storage::AuditEntry> audit_rows(TestServer& s, std::string_view action) {
  storage::AuditQuery q;
  q.action = std::string(action);
  q.limit = 1000;
  return s.store().read_value([&](storage::Tx& tx) { return tx.audit().list(q); });
}

// A live stream for `headers`, open and past its first bytes.
std::unique_ptr<EventStream> open_stream(TestServer& s, const Headers& headers) {
  auto stream = std::make_unique<EventStream>(s.port(), "/api/v1/events", headers);
  EXPECT_EQ(stream->status(), 200);
  EXPECT_TRUE(stream->wait_for("retry:", within(2s)));
  return stream;
}

// A task assigned to `user`, created after the change: the stream must
// never carry it.
std::string new_task_event(TestServer& s, UserId user) {
  return "\"id\":" + std::to_string(s.create_task(user, std::nullopt).value);
}

// A task of `team` (its technicians see it), for users that can no longer
// be assigned one.
std::string new_team_task_event(TestServer& s, TeamId team) {
  return "\"id\":" + std::to_string(s.create_task(std::nullopt, team).value);
}

struct Device {
  std::string token;
  DeviceId id;
};

Device new_device(TestServer& s, UserId user) {
  Device d;
  d.token = s.new_device(user, &d.id);
  return d;
}

// ---------------------------------------------------------------- finding 1
TEST(StreamsEnd, WhenTheirDeviceIsRevoked) {
  TestServer& s = TestServer::get();
  const UserId alice = s.identity(Who::technician).user;
  const Device glasses = new_device(s, alice);
  auto stream = open_stream(s, {{"Authorization", bearer(glasses.token)}});
  const std::string before = new_task_event(s, alice);
  ASSERT_TRUE(stream->wait_for(before, within(2s))) << "the stream works before the change";

  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(s.call(Who::admin, "DELETE", "/api/v1/devices/" + std::to_string(glasses.id.value)).status, 204);
  const std::string after = new_task_event(s, alice);
  EXPECT_TRUE(stream->wait_closed(within(kWithinASecond))) << "still open after the device was revoked";
  EXPECT_LE(std::chrono::steady_clock::now() - t0, kWithinASecond);
  EXPECT_EQ(stream->received().find(after), std::string::npos) << "an event after the revocation was delivered";
}

TEST(StreamsEnd, WhenTheirSessionLogsOut) {
  TestServer& s = TestServer::get();
  const UserId alice = s.identity(Who::technician).user;
  const Session session = s.new_session(alice);
  auto stream = open_stream(s, {{"Cookie", session.cookie}});
  ASSERT_EQ(s.raw_call("DELETE", "/api/v1/session", {{"Cookie", session.cookie}, {"X-CSRF-Token", session.csrf}})
                .status,
            204);
  const std::string after = new_task_event(s, alice);
  EXPECT_TRUE(stream->wait_closed(within(kWithinASecond)));
  EXPECT_EQ(stream->received().find(after), std::string::npos);
}

TEST(StreamsEnd, WhenTheAccountIsDisabled) {
  TestServer& s = TestServer::get();
  const UserId bruno = s.identity(Who::other_technician).user;
  const Device glasses = new_device(s, bruno);
  auto by_device = open_stream(s, {{"Authorization", bearer(glasses.token)}});
  auto by_session = open_stream(s, {{"Cookie", s.new_session(bruno).cookie}});
  ASSERT_EQ(s.call(Who::admin, "PATCH", "/api/v1/users/" + std::to_string(bruno.value), R"({"active":false})").status,
            200);
  const std::string after = new_team_task_event(s, s.electrical());
  EXPECT_TRUE(by_device->wait_closed(within(kWithinASecond)));
  EXPECT_TRUE(by_session->wait_closed(within(kWithinASecond)));
  EXPECT_EQ(by_device->received().find(after), std::string::npos);
  EXPECT_EQ(by_session->received().find(after), std::string::npos);
}

// A password reset ends the user's sessions, not their paired glasses.
TEST(StreamsEnd, WhenAPasswordResetEndsTheirSession) {
  TestServer& s = TestServer::get();
  const UserId alice = s.identity(Who::technician).user;
  auto by_session = open_stream(s, {{"Cookie", s.new_session(alice).cookie}});
  auto by_device = open_stream(s, {{"Authorization", bearer(new_device(s, alice).token)}});
  ASSERT_EQ(s.call(Who::admin, "PATCH", "/api/v1/users/" + std::to_string(alice.value),
                   R"({"password":"a brand new passphrase 42"})")
                .status,
            200);
  const std::string after = new_task_event(s, alice);
  EXPECT_TRUE(by_session->wait_closed(within(kWithinASecond)));
  EXPECT_EQ(by_session->received().find(after), std::string::npos);
  EXPECT_TRUE(by_device->wait_for(after, within(2s))) << "the glasses keep their stream";
}

TEST(StreamsEnd, WhenTheRoleChanges) {
  TestServer& s = TestServer::get();
  const UserId bruno = s.identity(Who::other_technician).user;
  auto stream = open_stream(s, {{"Cookie", s.identity(Who::other_technician).session.cookie}});
  ASSERT_EQ(
      s.call(Who::admin, "PATCH", "/api/v1/users/" + std::to_string(bruno.value), R"({"role":"manager"})").status, 200);
  EXPECT_TRUE(stream->wait_closed(within(kWithinASecond))) << "a stream admitted as a technician outlived the role";
}

// Another process (the CLI, or a second instance on PostgreSQL) revokes:
// this server learns it from the store's credential revision.
TEST(StreamsEnd, WhenAnotherProcessRevokesTheDevice) {
  TestServer& s = TestServer::get();
  const UserId alice = s.identity(Who::technician).user;
  const Device glasses = new_device(s, alice);
  auto stream = open_stream(s, {{"Authorization", bearer(glasses.token)}});
  auto other = storage::open_store(s.app().config().db_url);
  const auto t0 = std::chrono::steady_clock::now();
  other->write([&](storage::Tx& tx) { tx.auth().revoke_device(glasses.id, s.clock().now()); });
  EXPECT_TRUE(stream->wait_closed(within(kWithinASecond)));
  EXPECT_LE(std::chrono::steady_clock::now() - t0, kWithinASecond);
}

TEST(StreamsEnd, WhenTheirSessionExpires) {
  TestServer& s = TestServer::get();
  const Session session = s.new_session(s.identity(Who::technician).user);
  auto stream = open_stream(s, {{"Cookie", session.cookie}});
  s.advance(13h);  // past the 12 h idle timeout
  EXPECT_TRUE(stream->wait_closed(within(kWithinASecond)));
}

// ---------------------------------------------------------------- finding 3
TEST(StreamCaps, PerUserAndInTotal) {
  if (!TestServer::configure([](app::Config& c) {
        c.max_streams = 20;
        c.max_streams_per_user = 16;
      }))
    GTEST_SKIP() << "configures the server: run it in a process of its own (ctest does)";
  TestServer& s = TestServer::get();
  const Device glasses = new_device(s, s.identity(Who::technician).user);
  std::vector<std::unique_ptr<EventStream>> open;
  for (int i = 0; i < 16; ++i) open.push_back(open_stream(s, {{"Authorization", bearer(glasses.token)}}));
  EventStream over(s.port(), "/api/v1/events", {{"Authorization", bearer(glasses.token)}});
  EXPECT_EQ(over.status(), 429);
  EXPECT_TRUE(over.wait_for("live streams open", within(2s))) << over.received();
  EXPECT_EQ(s.call(Who::anonymous, "GET", "/healthz").status, 200);
  // Other users still get streams, up to the total.
  for (int i = 0; i < 4; ++i) open.push_back(open_stream(s, s.auth_headers(Who::manager, "GET")));
  EventStream full(s.port(), "/api/v1/events", s.auth_headers(Who::admin, "GET"));
  EXPECT_EQ(full.status(), 503);
  EXPECT_TRUE(full.wait_for("as many live streams as it can", within(2s))) << full.received();
  EXPECT_EQ(s.call(Who::anonymous, "GET", "/healthz").status, 200);
  // A closed stream frees its place.
  open.pop_back();
  bool admitted = false;
  for (const auto deadline = within(2s); !admitted && std::chrono::steady_clock::now() < deadline;) {
    EventStream again(s.port(), "/api/v1/events", s.auth_headers(Who::admin, "GET"));
    admitted = again.status() == 200;
  }
  EXPECT_TRUE(admitted);
}

// ---------------------------------------------------------------- finding 2
TEST(ProfileRights, ManagersEditTechniciansNotAdminsOrOtherManagers) {
  TestServer& s = TestServer::get();
  const UserId admin = s.identity(Who::admin).user;
  const Reply other_manager = s.call(Who::admin, "POST", "/api/v1/users",
                                     R"({"login":"second.manager","name":"Second","role":"manager",
                                         "password":"a long enough passphrase 1"})");
  ASSERT_EQ(other_manager.status, 201) << other_manager.describe();
  const std::int64_t peer = other_manager.json().at("id").as_int64();
  for (const std::string& target : {std::to_string(admin.value), std::to_string(peer)}) {
    for (const char* body : {R"({"name":"Renamed"})", R"({"email":"x@example.com"})", R"({"locale":"fr"})",
                             R"({"team_id":null})"}) {
      const Reply r = s.call(Who::manager, "PATCH", "/api/v1/users/" + target, body);
      EXPECT_EQ(r.status, 403) << target << " " << body << ": " << r.describe();
    }
  }
  const auto admin_after = s.store().read_value([&](storage::Tx& tx) { return tx.users().get(admin); });
  EXPECT_NE(admin_after->name, "Renamed");
  EXPECT_NE(admin_after->locale, "fr");
  // Technicians, and their own profile, they may.
  const UserId alice = s.identity(Who::technician).user;
  EXPECT_EQ(s.call(Who::manager, "PATCH", "/api/v1/users/" + std::to_string(alice.value),
                   R"({"name":"Alice Martin-Dupont","locale":"fr"})")
                .status,
            200);
  EXPECT_EQ(s.call(Who::admin, "PATCH", "/api/v1/users/" + std::to_string(peer), R"({"name":"Second Manager"})").status,
            200);
  // The audit entry names each changed field, before and after.
  const auto rows = audit_rows(s, "user.profile");
  ASSERT_FALSE(rows.empty());
  bool found = false;
  for (const auto& row : rows) {
    if (row.target_id != std::to_string(alice.value)) continue;
    const json::object d = json::parse(row.detail).as_object();
    EXPECT_EQ(d.at("name").at("to"), "Alice Martin-Dupont") << row.detail;
    EXPECT_TRUE(d.at("name").as_object().contains("from")) << row.detail;
    EXPECT_EQ(d.at("locale").at("to"), "fr") << row.detail;
    EXPECT_FALSE(d.contains("email")) << "unchanged fields are not listed: " << row.detail;
    found = true;
  }
  EXPECT_TRUE(found);
}

// ---------------------------------------------------------------- finding 4
TEST(CrossSite, SignInFromAnotherSiteIsRefused) {
  TestServer& s = TestServer::get();
  const Identity& alice = s.identity(Who::technician);
  const std::string body = R"({"login":")" + alice.login + R"(","password":")" + alice.password + R"("})";
  // The attack: a text/plain form on another site.
  Reply r = s.raw_call("POST", "/api/v1/session",
                       {{"Content-Type", "text/plain"}, {"Origin", "https://evil.example"},
                        {"Sec-Fetch-Site", "cross-site"}},
                       body);
  EXPECT_EQ(r.status, 403) << r.describe();
  EXPECT_FALSE(r.header("Set-Cookie").has_value());
  r = s.raw_call("POST", "/api/v1/session", {{"Content-Type", "application/json"}, {"Origin", "https://evil.example"}},
                 body);
  EXPECT_EQ(r.status, 403) << r.describe();
  r = s.raw_call("POST", "/api/v1/session", {{"Content-Type", "application/json"}, {"Sec-Fetch-Site", "same-site"}},
                 body);
  EXPECT_EQ(r.status, 403) << r.describe();
  r = s.raw_call("POST", "/api/v1/session", {{"Content-Type", "application/json"}, {"Origin", "null"}}, body);
  EXPECT_EQ(r.status, 403) << r.describe();
  // A text/plain body without any browser header: not JSON, 415.
  r = s.raw_call("POST", "/api/v1/session", {{"Content-Type", "text/plain"}}, body);
  EXPECT_EQ(r.status, 415) << r.describe();
  // Visor's own page, and clients that are not browsers.
  const std::string own = "http://127.0.0.1:" + std::to_string(s.port());
  for (const Headers& h : {Headers{{"Content-Type", "application/json"}, {"Origin", own}, {"Sec-Fetch-Site", "same-origin"}},
                           Headers{{"Content-Type", "application/json"}, {"Origin", "http://visor.test"}},
                           Headers{{"Content-Type", "application/json; charset=utf-8"}},
                           Headers{{"Content-Type", "Application/JSON"}}}) {
    r = s.raw_call("POST", "/api/v1/session", h, body);
    EXPECT_EQ(r.status, 200) << h.front().second << ": " << r.describe();
  }
}

TEST(CrossSite, CookieRequestsAndThePublicFormFromAnotherSiteAreRefused) {
  TestServer& s = TestServer::get();
  const std::string code = s.any_equipment().code;
  Headers evil = s.auth_headers(Who::manager, "POST");  // cookie and CSRF token
  evil.emplace_back("Origin", "https://evil.example");
  evil.emplace_back("Content-Type", "application/json");
  const Reply task = s.raw_call("POST", "/api/v1/tasks", evil, R"({"title":"Planted"})");
  EXPECT_EQ(task.status, 403) << task.describe();
  const Reply report = s.raw_call("POST", "/api/v1/public/equipment/" + code + "/report",
                                  {{"Content-Type", "application/json"}, {"Sec-Fetch-Site", "cross-site"}},
                                  R"({"title":"Spam"})");
  EXPECT_EQ(report.status, 403) << report.describe();
  // A bearer token is no ambient credential: the glasses are not browsers.
  const Reply device = s.call(Who::technician_device, "POST", "/api/v1/tasks/report",
                              R"({"equipment_code":")" + code + R"(","title":"Noise"})",
                              Req{{{"Origin", "https://elsewhere.example"}}});
  EXPECT_EQ(device.status, 201) << device.describe();
  // GETs are not changes.
  EXPECT_EQ(s.call(Who::manager, "GET", "/api/v1/me", "", Req{{{"Sec-Fetch-Site", "cross-site"}}}).status, 200);
}

TEST(MediaTypes, JsonRoutesNeedJsonAndPhotosAnyCase) {
  TestServer& s = TestServer::get();
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "application/json; charset=latin1", ""}) {
    const Reply r = s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x"})", Req{{}, true, type});
    EXPECT_EQ(r.status, 415) << "'" << type << "': " << r.describe();
    EXPECT_TRUE(r.is_problem());
  }
  const TaskId id = s.create_task(s.identity(Who::technician).user, s.mechanical());
  s.call(Who::technician, "POST", "/api/v1/tasks/" + std::to_string(id.value) + "/start", "{}");
  for (const char* type : {"IMAGE/PNG", "image/png; charset=binary", "Image/Png"}) {
    const Reply r = s.call(Who::technician, "POST", "/api/v1/tasks/" + std::to_string(id.value) + "/photos",
                           tiny_png(), Req{{}, true, type});
    EXPECT_EQ(r.status, 201) << type << ": " << r.describe();
  }
}

// ---------------------------------------------------------------- finding 6
// Parallel attempts: exactly the limit pass, however they interleave.
std::map<int, int> in_parallel(int n, const std::function<Reply(int)>& call) {
  std::vector<int> statuses(std::size_t(n), 0);
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < n) std::this_thread::yield();
      statuses[std::size_t(i)] = call(i).status;
    });
  }
  for (auto& t : threads) t.join();
  std::map<int, int> count;
  for (int st : statuses) ++count[st];
  return count;
}

TEST(AtomicThrottles, WrongPasswordsInParallelPassTheLimitOnce) {
  TestServer& s = TestServer::get();
  const std::string body = R"({"login":")" + s.identity(Who::manager).login + R"(","password":"not it"})";
  const auto count = in_parallel(40, [&](int) { return s.call(Who::anonymous, "POST", "/api/v1/session", body); });
  EXPECT_EQ(count.at(401), 5) << "the per-account limit is 5";
  EXPECT_EQ(count.at(429), 35);
  EXPECT_EQ(count.size(), 2u) << "nothing but 401 and 429";
  // Finding 8: every refusal is audited.
  EXPECT_EQ(audit_rows(s, "auth.login_failed").size(), 5u);
  EXPECT_EQ(audit_rows(s, "auth.login_throttled").size(), 35u);
}

// Per address: 30 failures a quarter of an hour. 25 are already recorded
// (unknown logins are checked at the production Argon2 cost, so the test
// does not pay for 30 of them); 40 parallel attempts on 40 logins leave 5.
TEST(AtomicThrottles, OneAddressInParallelPassesItsLimitOnce) {
  TestServer& s = TestServer::get();
  s.store().write([&](storage::Tx& tx) {
    for (int i = 0; i < 25; ++i) tx.auth().record_login_failure("addr:127.0.0.1", s.clock().now());
  });
  auto count = in_parallel(40, [&](int i) {
    return s.call(Who::anonymous, "POST", "/api/v1/session",
                  R"({"login":"nobody)" + std::to_string(i) + R"(","password":"not it"})");
  });
  std::string seen;
  for (const auto& [status, n] : count) seen += std::to_string(status) + "x" + std::to_string(n) + " ";
  EXPECT_EQ(count[401], 5) << "the per-address limit is 30; got " << seen;
  EXPECT_EQ(count[429], 35) << seen;
  EXPECT_EQ(count.size(), 2u) << seen;
}

TEST(AtomicThrottles, PublicReportsInParallelPassTheLimitOnce) {
  TestServer& s = TestServer::get();
  const std::string target = "/api/v1/public/equipment/" + s.any_equipment().code + "/report";
  const auto count = in_parallel(24, [&](int) { return s.call(Who::anonymous, "POST", target, R"({"title":"Leak"})"); });
  EXPECT_EQ(count.at(201), 10) << "the per-address limit is 10 an hour";
  EXPECT_EQ(count.at(429), 14);
  EXPECT_EQ(count.size(), 2u) << "nothing but 201 and 429";
}

// ---------------------------------------------------------------- finding 8
TEST(Audit, WrongAndThrottledPairingCodesAreAudited) {
  TestServer& s = TestServer::get();
  int refused = 0;
  for (int i = 0; i < 14; ++i) {
    const Reply r = s.call(Who::anonymous, "POST", "/api/v1/pairings/redeem", R"({"code":"ZZZZZZ"})");
    ASSERT_TRUE(r.status == 404 || r.status == 429) << r.describe();
    refused += r.status == 429;
  }
  EXPECT_EQ(refused, 4) << "10 wrong codes per 15 minutes";
  EXPECT_EQ(audit_rows(s, "device.pairing_failed").size(), 10u);
  EXPECT_EQ(audit_rows(s, "device.pairing_throttled").size(), 4u);
  for (const auto& row : audit_rows(s, "device.pairing_failed")) EXPECT_EQ(row.remote_addr, "127.0.0.1");
}

// ---------------------------------------------------------------- finding 7
TEST(Logout, EndsExactlyTheSessionNamedInTheCookie) {
  TestServer& s = TestServer::get();
  const Session session = s.new_session(s.identity(Who::technician).user);
  const std::string token = session.cookie.substr(session.cookie.find('=') + 1);
  const Reply out = s.raw_call("DELETE", "/api/v1/session",
                               {{"Cookie", "xvisor_session=zzz; visor_session=" + token}, {"X-CSRF-Token", session.csrf}});
  EXPECT_EQ(out.status, 204) << out.describe();
  EXPECT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", session.cookie}}).status, 401) << "the session still works";
}

// --------------------------------------------------------------- finding 11
TEST(InstructionLinks, OnlyHttpsOrAPathOnThisServer) {
  TestServer& s = TestServer::get();
  for (const char* url : {"//evil.example/x", "/\\\\evil.example/x", "http://evil.example/", "javascript:alert(1)"}) {
    const std::string body = R"({"title":"x","instructions":{"kind":"pdf","url":")" + std::string(url) + R"("}})";
    const Reply r = s.call(Who::manager, "POST", "/api/v1/tasks", body);
    EXPECT_EQ(r.status, 400) << url << ": " << r.describe();
    EXPECT_NE(r.detail().find("instructions.url"), std::string::npos) << r.describe();
  }
  EXPECT_EQ(s.call(Who::manager, "POST", "/api/v1/tasks",
                   R"({"title":"x","instructions":{"kind":"pdf","url":"/api/v1/media/1"}})")
                .status,
            201);
}

// --------------------------------------------------------------- finding 12
TEST(Proxies, ForwardedHeadersAreBelievedFromTrustedProxiesOnly) {
  if (!TestServer::configure([](app::Config& c) {
        c.public_url = "https://visor.test";
        c.trusted_proxies = {"127.0.0.0/8"};
      }))
    GTEST_SKIP() << "configures the server: run it in a process of its own (ctest does)";
  TestServer& s = TestServer::get();
  const Headers forwarded{{"Content-Type", "application/json"},
                          {"X-Forwarded-For", "198.51.100.9, 203.0.113.7"},
                          {"X-Forwarded-Proto", "https"}};
  const Reply r = s.raw_call("POST", "/api/v1/session", forwarded, R"({"login":"nobody.proxy","password":"x"})");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("Strict-Transport-Security").value_or(""), "max-age=31536000") << "https at the proxy";
  const auto rows = audit_rows(s, "auth.login_failed");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].remote_addr, "203.0.113.7") << "the client is the nearest address the proxy saw";
  // Throttles count per client, not per proxy.
  for (int i = 0; i < 30; ++i)
    s.raw_call("POST", "/api/v1/session",
               {{"Content-Type", "application/json"}, {"X-Forwarded-For", "198.51.100.20"}},
               R"({"login":"someone)" + std::to_string(i) + R"(","password":"x"})");
  EXPECT_EQ(s.raw_call("POST", "/api/v1/session",
                       {{"Content-Type", "application/json"}, {"X-Forwarded-For", "198.51.100.20"}},
                       R"({"login":"someone.else","password":"x"})")
                .status,
            429);
  EXPECT_EQ(s.raw_call("POST", "/api/v1/session",
                       {{"Content-Type", "application/json"}, {"X-Forwarded-For", "198.51.100.21"}},
                       R"({"login":"someone.else","password":"x"})")
                .status,
            401)
      << "another client behind the same proxy has its own budget";
  // The public URL is https: the session cookie is Secure, behind the proxy too.
  const Identity& alice = s.identity(Who::technician);
  const Reply in = s.raw_call("POST", "/api/v1/session", {{"Content-Type", "application/json"}},
                              R"({"login":")" + alice.login + R"(","password":")" + alice.password + R"("})");
  ASSERT_EQ(in.status, 200) << in.describe();
  EXPECT_NE(in.header("Set-Cookie").value_or("").find("; Secure"), std::string::npos) << *in.header("Set-Cookie");
}

TEST(Proxies, ForwardedHeadersFromAnyoneElseAreIgnored) {
  if (!TestServer::configure([](app::Config& c) { c.trusted_proxies = {"10.0.0.1"}; }))
    GTEST_SKIP() << "configures the server: run it in a process of its own (ctest does)";
  TestServer& s = TestServer::get();
  const Reply r = s.raw_call("POST", "/api/v1/session",
                             {{"Content-Type", "application/json"},
                              {"X-Forwarded-For", "203.0.113.7"},
                              {"X-Forwarded-Proto", "https"}},
                             R"({"login":"nobody.direct","password":"x"})");
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(r.header("Strict-Transport-Security").has_value());
  const auto rows = audit_rows(s, "auth.login_failed");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].remote_addr, "127.0.0.1");
}

// --------------------------------------------------------------- finding 13
TEST(PublicCards, UnknownCodesAreRateLimitedPerAddress) {
  TestServer& s = TestServer::get();
  const std::string known = s.any_equipment().code;
  for (int i = 0; i < 50; ++i) ASSERT_EQ(s.call(Who::anonymous, "GET", "/api/v1/public/equipment/" + known).status, 200);
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(s.call(Who::anonymous, "GET", "/api/v1/public/equipment/M-GUESS" + std::to_string(i)).status, 404) << i;
  const Reply limited = s.call(Who::anonymous, "GET", "/api/v1/public/equipment/" + known);
  EXPECT_EQ(limited.status, 429) << limited.describe();
  EXPECT_TRUE(limited.header("Retry-After").has_value());
  s.advance(16min);
  EXPECT_EQ(s.call(Who::anonymous, "GET", "/api/v1/public/equipment/" + known).status, 200);
}

TEST(OrphanUploads, AreRemovedAtStart) {
  namespace fs = std::filesystem;
  static fs::path orphan, live;
  const bool fresh = TestServer::configure([](app::Config& c) {
    const fs::path dir = c.data_dir / "media" / "ab";
    fs::create_directories(dir);
    orphan = dir / "abcdef.jpg.tmp999999999";  // no such process
    live = dir / ("abcdef.jpg.tmp" + std::to_string(::getppid()));  // a live process that is not us
    std::ofstream(orphan) << "half a photo";
    std::ofstream(live) << "an upload in progress elsewhere";
  });
  if (!fresh) GTEST_SKIP() << "configures the server: run it in a process of its own (ctest does)";
  TestServer::get();
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(live));
}

}  // namespace
}  // namespace visor::apitest
