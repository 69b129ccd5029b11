// Issue 10: how a request that arrives badly is answered. The body's time
// limit follows its progress (finding 5): a body that keeps arriving may take
// longer than any fixed deadline; one that stalls or trickles is answered 408
// instead of being cut without an answer. A malformed chunk size and a
// missing or repeated Host are 400s (finding 13).
#include <gtest/gtest.h>

#include <thread>

#include "client.hpp"
#include "fixture.hpp"
#include "http/router.hpp"

namespace visor::http {
namespace {
using namespace std::chrono_literals;
using test::Conn;

constexpr std::uint32_t kUpload = 1;

class RequestLimits : public ::testing::Test {
 protected:
  void start(ServerOptions o = test::test_options()) {
    o.max_body_bytes = 1024;
    o.max_upload_bytes = 4096;
    router.add({Method::get, "/items/{id}", "item.get",
                [](Request& req) { return Response::text(200, "item " + req.params.at("id")); }});
    router.add({Method::post, "/items", "item.create",
                [](Request& req) { return Response::text(201, "got " + std::to_string(req.body.size())); }});
    router.add({Method::post, "/upload", "upload",
                [](Request& req) { return Response::text(200, "stored " + std::to_string(req.body.size())); },
                kUpload});
    o.is_upload = router.flag_predicate(kUpload);
    server = std::make_unique<test::TestServer>(o, [this](Request& req) { return router.dispatch(req); });
  }
  std::uint16_t port() const { return server->port(); }

  Router router;
  std::unique_ptr<test::TestServer> server;
};

ServerOptions paced_options() {
  auto o = test::test_options();
  o.body_idle_timeout = 400ms;
  o.body_rate_grace = 300ms;
  o.body_min_rate = 1000;  // bytes per second
  return o;
}

// Sends `total` bytes of body in pieces of `piece` every `every`.
bool send_paced(Conn& c, std::size_t total, std::size_t piece, std::chrono::milliseconds every) {
  auto next = std::chrono::steady_clock::now();
  for (std::size_t sent = 0; sent < total; sent += piece) {
    std::this_thread::sleep_until(next);  // the pace is the scenario, not a wait for the server
    if (!c.send(std::string(std::min(piece, total - sent), 'u'))) return false;
    next += every;
  }
  return true;
}

TEST_F(RequestLimits, SteadyUploadLongerThanTheIdleTimeoutSucceeds) {
  start(paced_options());
  Conn c(port());
  ASSERT_TRUE(c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 3000\r\n\r\n"));
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(send_paced(c, 3000, 250, 100ms));  // 2500 B/s for 1.1 s: nearly 3 idle timeouts long
  const auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "stored 3000");
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 1000ms);
}

TEST_F(RequestLimits, StalledBodyIsAnswered408) {
  start(paced_options());
  Conn c(port());
  ASSERT_TRUE(c.send("POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly a little"));
  const auto r = c.read_reply(test::in(5s));
  ASSERT_TRUE(r) << "a stalled body must be answered, not dropped";
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(r->header("Content-Type"), "application/problem+json");
  EXPECT_NE(r->body.find("stopped arriving"), std::string::npos) << r->body;
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(RequestLimits, TricklingBodyIsAnswered408) {
  start(paced_options());
  Conn c(port());
  ASSERT_TRUE(c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 4000\r\n\r\n"));
  // 100 B/s: every piece comes well within the idle timeout, but far below the minimum rate.
  std::optional<test::Reply> r;
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < 40 && c.send(std::string(10, 'u')); ++i) {
    next += 100ms;
    std::this_thread::sleep_until(next);
    if (r = c.read_reply(std::chrono::steady_clock::now()); r) break;
  }
  if (!r) r = c.read_reply(test::in(5s));
  ASSERT_TRUE(r) << "a trickling body must be answered, not dropped";
  EXPECT_EQ(r->status, 408);
  EXPECT_NE(r->body.find("too slowly"), std::string::npos) << r->body;
}

// Finding 13: a chunk size beyond 64 bits is a malformed body, answered 400.
TEST_F(RequestLimits, OverflowingChunkSizeIsAnswered400) {
  start();
  Conn c(port());
  ASSERT_TRUE(c.send("POST /items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "fffffffffffffffffffff\r\nxx\r\n0\r\n\r\n"));
  const auto r = c.read_reply();
  ASSERT_TRUE(r) << "an overflowing chunk size must be answered";
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.wait_closed());
}

// Finding 13: RFC 9112 3.2 — exactly one Host in HTTP/1.1.
TEST_F(RequestLimits, MissingOrRepeatedHostIsAnswered400) {
  start();
  for (const char* raw : {"GET /items/1 HTTP/1.1\r\n\r\n", "GET /items/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                          "GET /items/1 HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"}) {
    Conn c(port());
    ASSERT_TRUE(c.send(raw));
    const auto r = c.read_reply();
    ASSERT_TRUE(r) << raw;
    EXPECT_EQ(r->status, 400) << raw;
    EXPECT_NE(r->body.find("Host"), std::string::npos) << r->body;
  }
  Conn old(port());
  ASSERT_TRUE(old.send("GET /items/1 HTTP/1.0\r\n\r\n"));  // HTTP/1.0 may omit it
  const auto r = old.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace visor::http
