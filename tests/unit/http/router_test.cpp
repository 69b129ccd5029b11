#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace visor::http {
namespace {

Handler says(std::string text) {
  return [text](Request&) { return Response::text(200, text); };
}

Router sample() {
  Router r;
  r.add({Method::get, "/api/v1/tasks", "tasks.list", says("list")});
  r.add({Method::post, "/api/v1/tasks", "tasks.create", says("create")});
  r.add({Method::get, "/api/v1/tasks/{id}", "task.get", says("get")});
  r.add({Method::get, "/api/v1/tasks/today", "tasks.today", says("today")});
  r.add({Method::put, "/api/v1/tasks/{id}/steps/{n}", "step.put", says("step"), 4});
  r.add({Method::get, "/files/{rest*}", "files", says("files")});
  r.add({Method::get, "/", "root", says("root")});
  return r;
}

TEST(Router, CapturesParametersInOrder) {
  Router r = sample();
  PathParams p;
  const Route* route = r.match(Method::put, "/api/v1/tasks/17/steps/3", p);
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->name, "step.put");
  EXPECT_EQ(p.at("id"), "17");
  EXPECT_EQ(p.at("n"), "3");
  EXPECT_FALSE(p.find("x").has_value());
}

TEST(Router, LiteralSegmentBeatsParameterWhateverTheOrder) {
  Router r = sample();
  PathParams p;
  EXPECT_EQ(r.match(Method::get, "/api/v1/tasks/today", p)->name, "tasks.today");
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(r.match(Method::get, "/api/v1/tasks/tomorrow", p)->name, "task.get");
  EXPECT_EQ(p.at("id"), "tomorrow");
}

TEST(Router, RestParameterTakesTheRemainder) {
  Router r = sample();
  PathParams p;
  ASSERT_NE(r.match(Method::get, "/files/a/b/c.js", p), nullptr);
  EXPECT_EQ(p.at("rest"), "a/b/c.js");
  PathParams q;
  ASSERT_NE(r.match(Method::get, "/files", q), nullptr);
  EXPECT_EQ(q.at("rest"), "");
}

TEST(Router, RootAndTrailingSlashAreDistinct) {
  Router r = sample();
  PathParams p;
  EXPECT_EQ(r.match(Method::get, "/", p)->name, "root");
  EXPECT_EQ(r.match(Method::get, "/api/v1/tasks/", p), nullptr);  // empty {id} does not match
}

TEST(Router, HeadFallsBackToGet) {
  Router r = sample();
  PathParams p;
  const Route* route = r.match(Method::head, "/api/v1/tasks/5", p);
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->name, "task.get");
}

TEST(Router, ReportsAllowedMethodsFor405) {
  Router r = sample();
  PathParams p;
  std::vector<Method> allowed;
  EXPECT_EQ(r.match(Method::delete_, "/api/v1/tasks", p, &allowed), nullptr);
  EXPECT_EQ(allowed, (std::vector<Method>{Method::get, Method::post}));
  std::vector<Method> none;
  EXPECT_EQ(r.match(Method::get, "/nope/nothing", p, &none), nullptr);
  EXPECT_TRUE(none.empty());
}

TEST(Router, DispatchAnswersProblems) {
  Router r = sample();
  Request req;
  req.method = Method::delete_;
  req.path = "/api/v1/tasks";
  Response res = r.dispatch(req);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("Allow"), "GET, HEAD, POST");
  EXPECT_EQ(res.header("Content-Type"), "application/problem+json");

  Request missing;
  missing.path = "/nope";
  EXPECT_EQ(r.dispatch(missing).status, 404);

  Request ok;
  ok.path = "/api/v1/tasks/9";
  Response got = r.dispatch(ok);
  EXPECT_EQ(got.body, "get");
  EXPECT_EQ(ok.route, "task.get");
  EXPECT_EQ(ok.params.at("id"), "9");
}

TEST(Router, FlagPredicateLooksUpTheRoute) {
  Router r = sample();
  const auto upload = r.flag_predicate(4);
  EXPECT_TRUE(upload(Method::put, "/api/v1/tasks/1/steps/2"));
  EXPECT_FALSE(upload(Method::get, "/api/v1/tasks/1"));
  EXPECT_FALSE(upload(Method::put, "/unknown"));
}

TEST(Router, RejectsMalformedAndDuplicatePatterns) {
  Router r;
  EXPECT_THROW(r.add({Method::get, "no-slash", "x", says("")}), std::invalid_argument);
  EXPECT_THROW(r.add({Method::get, "/a/{", "x", says("")}), std::invalid_argument);
  EXPECT_THROW(r.add({Method::get, "/a/{}", "x", says("")}), std::invalid_argument);
  EXPECT_THROW(r.add({Method::get, "/a/x{id}", "x", says("")}), std::invalid_argument);
  EXPECT_THROW(r.add({Method::get, "/a/{rest*}/b", "x", says("")}), std::invalid_argument);
  EXPECT_THROW(r.add({Method::get, "/a/{id}/{id}", "x", says("")}), std::invalid_argument);
  r.add({Method::get, "/a/{id}", "x", says("")});
  EXPECT_THROW(r.add({Method::get, "/a/{other}", "y", says("")}), std::invalid_argument);
  EXPECT_NO_THROW(r.add({Method::post, "/a/{other}", "y", says("")}));
}

}  // namespace
}  // namespace visor::http
