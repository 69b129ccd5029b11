// The Beast-free pieces: validation, Request helpers, problems, dates, SSE
// framing and the metrics registry.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/date.hpp"
#include "http/message.hpp"
#include "http/problem.hpp"
#include "http/stream.hpp"
#include "http/validate.hpp"
#include "util/metrics.hpp"

namespace visor::http {
namespace {

TEST(DecodePath, DecodesAndValidates) {
  EXPECT_EQ(decode_path("/a%20b/c"), "/a b/c");
  EXPECT_EQ(decode_path("/caf%C3%A9"), "/café");
  EXPECT_EQ(decode_path("/"), "/");
  EXPECT_EQ(decode_path("/a/./b"), "/a/./b");
  for (const char* bad : {"", "a/b", "/a%", "/a%2", "/a%zz", "/a%00b", "/a%2Fb", "/a%2fb", "/../x", "/a/..",
                          "/a/%2e%2e/b", "/a/%2E%2E", "/a/.%2e/b", "/%C3", "/%FF", "/a\tb", "/a%0Ab", "/a%7Fb"}) {
    EXPECT_FALSE(decode_path(bad).has_value()) << bad;
  }
  EXPECT_TRUE(decode_path("/a..b/...").has_value());  // only whole `..` segments are traversal
}

TEST(Validate, QueryAndRequestId) {
  EXPECT_TRUE(valid_query(""));
  EXPECT_TRUE(valid_query("a=1&b=%20x+y"));
  EXPECT_FALSE(valid_query("a=%zz"));
  EXPECT_TRUE(valid_query("q=%C3%A9t%C3%A9"));  // "été"
  EXPECT_FALSE(valid_query("q=%FF"));           // not UTF-8
  EXPECT_FALSE(valid_query("%C0%AF=1"));        // an overlong '/' as a key
  EXPECT_FALSE(valid_query("q=a%00b"));         // NUL
  EXPECT_TRUE(sane_request_id("abc-DEF_1.2"));
  EXPECT_FALSE(sane_request_id(""));
  EXPECT_FALSE(sane_request_id("has space"));
  EXPECT_FALSE(sane_request_id(std::string(65, 'a')));
  EXPECT_TRUE(valid_utf8("h\xC3\xA9"));
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));
}

TEST(Request, HeadersQueryAndSlots) {
  Request req;
  req.headers = {{"Content-Type", "application/json"}, {"X-Thing", "1"}, {"x-thing", "2"}};
  req.query_string = "q=a%20b+c&flag&q=second&empty=";
  EXPECT_EQ(req.header("content-type"), "application/json");
  EXPECT_EQ(req.header("X-THING"), "1");
  EXPECT_FALSE(req.header("Missing").has_value());
  EXPECT_EQ(req.query("q"), "a b c");
  EXPECT_EQ(req.query("flag"), "");
  EXPECT_EQ(req.query("empty"), "");
  EXPECT_FALSE(req.query("nope").has_value());
  EXPECT_EQ(req.query_pairs().size(), 4u);

  struct Actor {
    int id;
  };
  EXPECT_EQ(req.get<Actor>(), nullptr);
  req.set(Actor{7});
  req.set(std::string("token"));
  ASSERT_NE(req.get<Actor>(), nullptr);
  EXPECT_EQ(req.get<Actor>()->id, 7);
  req.set(Actor{8});
  EXPECT_EQ(req.get<Actor>()->id, 8);
  EXPECT_EQ(*req.get<std::string>(), "token");
}

TEST(Response, Helpers) {
  Response r = Response::json(201, "{}");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("content-type"), "application/json");
  r.set_header("content-type", "text/csv");
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.header("Content-Type"), "text/csv");
  r.add_header("Set-Cookie", "a=1").add_header("Set-Cookie", "b=2");
  EXPECT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(Response::no_content().status, 204);
  EXPECT_EQ(Response::text(200, "x").header("Content-Type"), "text/plain; charset=utf-8");
}

TEST(Problem, MapsErrorsToStatusAndBody) {
  Request req;
  req.path = "/api/v1/tasks/3";
  req.request_id = "rid-1";
  const Response r = problem(Error(ErrorCode::conflict, "The task is done."), req);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://visor.dev/problems/conflict");
  EXPECT_EQ(body.at("title").as_string(), "Conflict");
  EXPECT_EQ(body.at("status").as_int64(), 409);
  EXPECT_EQ(body.at("detail").as_string(), "The task is done.");
  EXPECT_EQ(body.at("instance").as_string(), "/api/v1/tasks/3");
  EXPECT_EQ(body.at("request_id").as_string(), "rid-1");

  EXPECT_EQ(problem(Error(ErrorCode::unauthenticated, "x"), req).header("WWW-Authenticate"), "Bearer");
  const Response limited = problem(Error(ErrorCode::rate_limited, "slow down"), req, std::chrono::seconds(30));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("Retry-After"), "30");
  const Response internal = problem(Error(ErrorCode::internal, "db exploded", "sqlite: disk I/O"), req);
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("exploded"), std::string::npos);
  EXPECT_EQ(internal.body.find("sqlite"), std::string::npos);

  const std::pair<ErrorCode, int> table[] = {
      {ErrorCode::invalid_input, 400}, {ErrorCode::forbidden, 403},         {ErrorCode::not_found, 404},
      {ErrorCode::precondition_failed, 412}, {ErrorCode::payload_too_large, 413},
      {ErrorCode::unsupported_media, 415},   {ErrorCode::unavailable, 503}};
  for (const auto& [code, status] : table) EXPECT_EQ(status_for(code), status);

  const Response transport = problem(431, "Request Header Fields Too Large", "big");
  const auto tb = boost::json::parse(transport.body).as_object();
  EXPECT_EQ(tb.at("type").as_string(), "https://visor.dev/problems/request-header-fields-too-large");
  EXPECT_FALSE(tb.contains("instance"));
}

TEST(HttpDate, FormatsAndParsesImfFixdate) {
  using namespace std::chrono;
  const sys_seconds t = sys_days(1994y / November / 6) + 8h + 49min + 37s;
  EXPECT_EQ(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), t);
  EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").has_value());
  EXPECT_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT").has_value());
}

TEST(Sse, FramesEventsAndNeutralisesLineBreaks) {
  EXPECT_EQ(sse_event("7", "task.changed", "{\"a\":1}"), "id: 7\nevent: task.changed\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(sse_event("", "", "a\nb\r\nc\rd"), "data: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(sse_event("1\nevent: evil", "x\r", "d"), "id: 1event: evil\nevent: x\ndata: d\n\n");
}

TEST(QueueStream, DeliversInOrderAndWakes) {
  QueueStream q;
  int wakes = 0;
  q.on_wake([&] { ++wakes; });
  q.push("a");
  q.push("b");
  EXPECT_EQ(wakes, 2);
  EXPECT_EQ(q.next_chunk(), "ab");  // pending chunks come out together, in order
  q.push("c");
  q.finish();
  EXPECT_FALSE(q.finished());  // "c" is still pending
  EXPECT_EQ(q.next_chunk(), "c");
  EXPECT_TRUE(q.finished());
  EXPECT_FALSE(q.next_chunk().has_value());
  q.on_close();
  EXPECT_TRUE(q.closed());
  q.push("late");  // no wake function any more: must not crash
  EXPECT_EQ(wakes, 4);
}

TEST(Metrics, RendersPrometheusText) {
  metrics::Registry reg;
  auto& requests = reg.counter("visor_test_requests_total", "Requests.\nSecond line", {"route", "status"});
  requests.with({"task.get", "200"}).inc();
  requests.with({"task.get", "200"}).inc(2);
  requests.with({"say \"hi\"\\", "500"}).inc();
  reg.gauge("visor_test_open", "Open things.").get().set(5);
  auto& h = reg.histogram("visor_test_seconds", "Durations.", {"route"}, {0.1, 1});
  h.with({"r"}).observe(0.05);
  h.with({"r"}).observe(0.1);  // le is inclusive
  h.with({"r"}).observe(3);
  const std::string text = reg.render();
  EXPECT_EQ(text,
            "# HELP visor_test_open Open things.\n"
            "# TYPE visor_test_open gauge\n"
            "visor_test_open 5\n"
            "# HELP visor_test_requests_total Requests.\\nSecond line\n"
            "# TYPE visor_test_requests_total counter\n"
            "visor_test_requests_total{route=\"say \\\"hi\\\"\\\\\",status=\"500\"} 1\n"
            "visor_test_requests_total{route=\"task.get\",status=\"200\"} 3\n"
            "# HELP visor_test_seconds Durations.\n"
            "# TYPE visor_test_seconds histogram\n"
            "visor_test_seconds_bucket{route=\"r\",le=\"0.1\"} 2\n"
            "visor_test_seconds_bucket{route=\"r\",le=\"1\"} 2\n"
            "visor_test_seconds_bucket{route=\"r\",le=\"+Inf\"} 3\n"
            "visor_test_seconds_sum{route=\"r\"} 3.15\n"
            "visor_test_seconds_count{route=\"r\"} 3\n");
}

TEST(Metrics, RejectsInconsistentRegistration) {
  metrics::Registry reg;
  auto& a = reg.counter("visor_x_total", "x", {"a"});
  EXPECT_EQ(&a, &reg.counter("visor_x_total", "x", {"a"}));
  EXPECT_THROW(reg.gauge("visor_x_total", "x", {"a"}), std::invalid_argument);
  EXPECT_THROW(reg.counter("visor_x_total", "x", {"b"}), std::invalid_argument);
  EXPECT_THROW(reg.counter("bad name", "x"), std::invalid_argument);
  EXPECT_THROW(a.with({"1", "2"}), std::invalid_argument);
}

}  // namespace
}  // namespace visor::http
