// The server over real loopback sockets: routing, keep-alive, limits,
// timeouts, error mapping, headers, request ids and metrics.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>

#include "client.hpp"
#include "fixture.hpp"
#include "http/router.hpp"
#include "util/error.hpp"

namespace visor::http {
namespace {
using namespace std::chrono_literals;
using test::Conn;
using test::fetch;
using test::request_text;

constexpr std::uint32_t kUpload = 1;

Router app_routes() {
  Router r;
  r.add({Method::get, "/items/{id}", "item.get",
         [](Request& req) { return Response::text(200, "item " + req.params.at("id")); }});
  r.add({Method::post, "/items", "item.create",
         [](Request& req) { return Response::text(201, "got " + std::to_string(req.body.size())); }});
  r.add({Method::post, "/upload", "upload",
         [](Request& req) { return Response::text(200, "stored " + std::to_string(req.body.size())); }, kUpload});
  r.add({Method::get, "/echo", "echo", [](Request& req) {
           return Response::text(200, req.query("q").value_or("<none>") + "|" + req.path + "|" + req.remote_addr);
         }});
  r.add({Method::get, "/conflict", "conflict",
         [](Request&) -> Response { throw Error(ErrorCode::conflict, "Already done."); }});
  r.add({Method::get, "/login", "login",
         [](Request&) -> Response { throw Error(ErrorCode::unauthenticated, "Sign in."); }});
  r.add({Method::get, "/bug", "bug",
         [](Request&) -> Response { throw std::runtime_error("secret internals at 0xdead"); }});
  r.add({Method::get, "/inject", "inject", [](Request&) {
           Response res = Response::text(200, "x");
           res.set_header("X-Evil", "a\r\nSet-Cookie: pwned=1");
           return res;
         }});
  r.add({Method::get, "/empty", "empty", [](Request&) { return Response::no_content(); }});
  r.add({Method::get, "/weird", "weird", [](Request&) { return Response::text(1234, "?"); }});
  return r;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions o = test::test_options()) {
    o.max_body_bytes = 1024;
    o.max_upload_bytes = 4096;
    o.is_upload = router.flag_predicate(kUpload);
    server = std::make_unique<test::TestServer>(o, [this](Request& req) { return router.dispatch(req); });
  }
  std::uint16_t port() const { return server->port(); }

  Router router = app_routes();
  std::unique_ptr<test::TestServer> server;
};

void expect_security_headers(const test::Reply& r) {
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src "
            "'self'; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.header("Permissions-Policy"), "camera=(self), microphone=(self), geolocation=()");
  EXPECT_FALSE(r.header("Strict-Transport-Security").has_value());  // plain HTTP
  EXPECT_TRUE(r.header("Date").has_value());
  EXPECT_TRUE(r.header("X-Request-Id").has_value());
}

TEST_F(ServerTest, RoutesWithParametersAndAnswersProblems) {
  start();
  const auto ok = fetch(port(), "GET", "/items/42");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "item 42");
  expect_security_headers(*ok);

  const auto missing = fetch(port(), "GET", "/nothing/here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->header("Content-Type"), "application/problem+json");
  expect_security_headers(*missing);
  const auto body = boost::json::parse(missing->body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://visor.dev/problems/not-found");
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("instance").as_string(), "/nothing/here");
  EXPECT_EQ(body.at("request_id").as_string(), *missing->header("X-Request-Id"));

  const auto wrong = fetch(port(), "DELETE", "/items/1");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->header("Allow"), "GET, HEAD");
}

TEST_F(ServerTest, HeadSendsTheLengthButNoBody) {
  start();
  Conn c(port());
  // HEAD then GET on one connection: if HEAD leaked body bytes, the GET
  // reply would not parse.
  ASSERT_TRUE(c.send(request_text("HEAD", "/items/12345") + request_text("GET", "/items/7")));
  const auto head = c.read_reply(test::soon(), true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), "10");  // "item 12345"
  const auto get = c.read_reply();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, "item 7");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  start();
  Conn c(port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.send(request_text("GET", "/items/" + std::to_string(i))));
    const auto r = c.read_reply();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->body, "item " + std::to_string(i));
    EXPECT_NE(r->header("Connection"), "close");
  }
  // Pipelined: two requests in one write.
  ASSERT_TRUE(c.send(request_text("GET", "/items/a") + request_text("GET", "/items/b")));
  EXPECT_EQ(c.read_reply()->body, "item a");
  EXPECT_EQ(c.read_reply()->body, "item b");
  // Connection: close is honoured.
  ASSERT_TRUE(c.send(request_text("GET", "/items/z", {}, {}, true)));
  const auto last = c.read_reply();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("Connection"), "close");
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(ServerTest, HugeHeadersGet431AndClose) {
  start();
  Conn c(port());
  ASSERT_TRUE(c.send(request_text("GET", "/items/1", {{"X-Big", std::string(20000, 'a')}})));
  const auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->header("Content-Type"), "application/problem+json");
  expect_security_headers(*r);
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(ServerTest, BodyOverContentLengthLimitGets413) {
  start();
  Conn c(port());
  const std::string body(2000, 'x');
  ASSERT_TRUE(c.send(request_text("POST", "/items", {}, body)));
  const auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.wait_closed());

  // Just under the limit is fine.
  const auto fine = fetch(port(), "POST", "/items", {}, std::string(1024, 'y'));
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 201);
  EXPECT_EQ(fine->body, "got 1024");
}

TEST_F(ServerTest, ExpectContinueIsAnsweredOrRefused) {
  start();
  Conn big(port());
  ASSERT_TRUE(big.send("POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n"));
  const auto refused = big.read_reply();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);  // without a 100 first

  Conn small(port());
  ASSERT_TRUE(small.send("POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  const auto cont = small.read_reply();
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100);
  ASSERT_TRUE(small.send("abc"));
  const auto done = small.read_reply();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->body, "got 3");
}

TEST_F(ServerTest, ChunkedBodyOverLimitGets413) {
  start();
  Conn c(port());
  std::string req = "POST /items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 6; ++i) req += "200\r\n" + std::string(512, 'z') + "\r\n";  // 3 KiB > 1 KiB
  req += "0\r\n\r\n";
  ASSERT_TRUE(c.send(req));
  const auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.wait_closed());

  Conn ok(port());
  ASSERT_TRUE(ok.send("POST /items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  EXPECT_EQ(ok.read_reply()->body, "got 5");
}

TEST_F(ServerTest, UploadRoutesGetTheLargerLimit) {
  start();
  const auto up = fetch(port(), "POST", "/upload", {}, std::string(3000, 'u'));
  ASSERT_TRUE(up);
  EXPECT_EQ(up->status, 200);
  EXPECT_EQ(up->body, "stored 3000");
  const auto too_big = fetch(port(), "POST", "/upload", {}, std::string(5000, 'u'));
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
}

TEST_F(ServerTest, SlowClientIsCutOffAfterTheHeaderTimeout) {
  auto o = test::test_options();
  o.header_timeout = 200ms;
  start(o);
  Conn c(port());
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.send("GET /items/1 HTTP/1.1\r\nHost: t\r\n"));  // never finishes the headers
  EXPECT_TRUE(c.wait_closed(test::in(5s)));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
}

TEST_F(ServerTest, RejectsAmbiguousMessageFraming) {
  start();
  // Request smuggling vectors: both framings, or two different lengths.
  for (const char* raw : {"POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "0\r\n\r\n",
                          "POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                          "POST /items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\nxx",
                          "POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n"}) {
    Conn c(port());
    ASSERT_TRUE(c.send(raw));
    const auto r = c.read_reply();
    ASSERT_TRUE(r) << raw;
    EXPECT_EQ(r->status, 400) << raw;
    EXPECT_TRUE(c.wait_closed()) << raw;
  }
  Conn gzip(port());
  ASSERT_TRUE(gzip.send("POST /items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"));
  const auto r = gzip.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 501);
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  start();
  Conn c(port());
  ASSERT_TRUE(c.send("GET /items/1 HTTP/1.0\r\n\r\n"));
  const auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "item 1");
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  auto o = test::test_options();
  o.idle_timeout = 200ms;
  start(o);
  Conn c(port());
  ASSERT_TRUE(c.send(request_text("GET", "/items/1")));
  ASSERT_TRUE(c.read_reply());
  EXPECT_TRUE(c.wait_closed(test::in(5s)));
}

TEST_F(ServerTest, MapsHandlerExceptionsToProblems) {
  start();
  const auto conflict = fetch(port(), "GET", "/conflict");
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->status, 409);
  const auto body = boost::json::parse(conflict->body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://visor.dev/problems/conflict");
  EXPECT_EQ(body.at("detail").as_string(), "Already done.");

  const auto login = fetch(port(), "GET", "/login");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 401);
  EXPECT_EQ(login->header("WWW-Authenticate"), "Bearer");

  const auto bug = fetch(port(), "GET", "/bug");
  ASSERT_TRUE(bug);
  EXPECT_EQ(bug->status, 500);
  EXPECT_EQ(bug->body.find("secret internals"), std::string::npos);
  EXPECT_NE(bug->body.find("request id"), std::string::npos);

  const auto inject = fetch(port(), "GET", "/inject");
  ASSERT_TRUE(inject);
  EXPECT_EQ(inject->status, 500);
  EXPECT_FALSE(inject->header("Set-Cookie").has_value());

  const auto weird = fetch(port(), "GET", "/weird");
  ASSERT_TRUE(weird);
  EXPECT_EQ(weird->status, 500);

  const auto empty = fetch(port(), "GET", "/empty");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 204);
}

TEST_F(ServerTest, RejectsMalformedRequests) {
  start();
  for (const char* target : {"/items/%zz", "/items/%2e%2e/x", "/a/../items/1", "/items/%00", "/items/a%2Fb",
                             "/echo?q=%zz", "http://elsewhere/items/1"}) {
    const auto r = fetch(port(), "GET", target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_EQ(r->header("Content-Type"), "application/problem+json") << target;
  }
  const auto brew = fetch(port(), "BREW", "/items/1");
  ASSERT_TRUE(brew);
  EXPECT_EQ(brew->status, 501);

  Conn garbage(port());
  ASSERT_TRUE(garbage.send("this is not http\r\n\r\n"));
  const auto r = garbage.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(garbage.wait_closed());
}

TEST_F(ServerTest, DecodesQueryAndReportsRemoteAddress) {
  start();
  const auto r = fetch(port(), "GET", "/echo?q=a%20b+c&other=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "a b c|/echo|127.0.0.1");
}

TEST_F(ServerTest, EchoesSaneRequestIdsOnly) {
  start();
  const auto sane = fetch(port(), "GET", "/nothing", {{"X-Request-Id", "client-id_1.2"}});
  ASSERT_TRUE(sane);
  EXPECT_EQ(sane->header("X-Request-Id"), "client-id_1.2");
  EXPECT_EQ(boost::json::parse(sane->body).at("request_id").as_string(), "client-id_1.2");

  for (const std::string& bad : {std::string("has space"), std::string(80, 'a'), std::string("a;b")}) {
    const auto r = fetch(port(), "GET", "/items/1", {{"X-Request-Id", bad}});
    ASSERT_TRUE(r);
    const auto id = r->header("X-Request-Id");
    ASSERT_TRUE(id);
    EXPECT_NE(*id, bad);
    EXPECT_EQ(id->size(), 16u);
  }
  const auto a = fetch(port(), "GET", "/items/1");
  const auto b = fetch(port(), "GET", "/items/1");
  EXPECT_NE(a->header("X-Request-Id"), b->header("X-Request-Id"));
}

TEST_F(ServerTest, RecordsMetrics) {
  start();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(fetch(port(), "GET", "/items/1")->status, 200);
  ASSERT_EQ(fetch(port(), "GET", "/nope")->status, 404);
  Conn open(port());
  ASSERT_TRUE(open.send(request_text("GET", "/items/1")));
  ASSERT_TRUE(open.read_reply());
  // Metrics are recorded just after the response is written: wait for them.
  const auto has = [&](const std::string& line) {
    return test::eventually([&] { return server->registry.render().find(line + "\n") != std::string::npos; });
  };
  EXPECT_TRUE(has("visor_http_requests_total{route=\"item.get\",method=\"GET\",status=\"200\"} 4"))
      << server->registry.render();
  EXPECT_TRUE(has("visor_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"));
  EXPECT_TRUE(has("visor_http_request_duration_seconds_count{route=\"item.get\"} 4"));
  EXPECT_TRUE(test::eventually([&] {
    return server->registry.render().find("visor_http_open_connections 1\n") != std::string::npos;
  }));
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequests) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  router.add({Method::get, "/slow", "slow", [&](Request&) {
                entered.set_value();
                released.wait();
                return Response::text(200, "finished");
              }});
  start();
  Conn idle(port());  // a keep-alive connection between requests
  ASSERT_TRUE(idle.send(request_text("GET", "/items/1")));
  ASSERT_TRUE(idle.read_reply());

  Conn busy(port());
  ASSERT_TRUE(busy.send(request_text("GET", "/slow")));
  ASSERT_EQ(entered.get_future().wait_for(5s), std::future_status::ready);
  server->server.stop();

  EXPECT_TRUE(idle.wait_closed(test::in(5s)));
  // New connections are refused once the listener is closed.
  EXPECT_TRUE(test::eventually([&] {
    try {
      Conn late(port());
      return late.send(request_text("GET", "/items/1")) && !late.read_reply(test::in(1s));
    } catch (const std::exception&) {
      return true;
    }
  }));
  release.set_value();
  const auto r = busy.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(server->join_within(5s));
}

TEST_F(ServerTest, DrainTimeoutClosesStragglers) {
  auto o = test::test_options();
  o.drain_timeout = 100ms;
  start(o);
  Conn reading(port());  // stuck in the middle of a request body
  ASSERT_TRUE(reading.send("POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  ASSERT_TRUE(test::eventually([&] {
    return server->registry.render().find("visor_http_open_connections 1\n") != std::string::npos;
  }));
  server->server.stop();
  EXPECT_TRUE(reading.wait_closed(test::in(5s)));
  EXPECT_TRUE(server->join_within(5s));
}

}  // namespace
}  // namespace visor::http
