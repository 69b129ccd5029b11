// The one query reader: declared names only, no repeats, typed values with
// the parameter named in the error, and empty pieces ('?a=1&') ignored.
#include <gtest/gtest.h>

#include "api/query.hpp"
#include "util/error.hpp"

namespace visor::api {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.detail();
  }
  return "";
}

TEST(Query, OnlyDeclaredNamesOnce) {
  const QueryNames names{"limit", "q", "include_done"};
  EXPECT_EQ(error_of([&] { Query(Pairs{{"limti", "3"}}, names); }),
            "Unknown query parameter 'limti'. Use limit, q or include_done.");
  EXPECT_EQ(error_of([&] { Query(Pairs{{"x", ""}}, {}); }), "This endpoint takes no query parameters.");
  EXPECT_EQ(error_of([&] { Query(Pairs{{"q", "a"}, {"q", "b"}}, names); }),
            "Query parameter 'q' is given more than once.");
  // "?limit=3&" and "?&&limit=3": empty pieces are no parameters (issue 8).
  EXPECT_EQ(error_of([&] { Query(Pairs{{"limit", "3"}, {"", ""}}, names); }), "");
  EXPECT_EQ(error_of([&] { Query(Pairs{{"", ""}, {"", ""}}, {}); }), "");
  EXPECT_EQ(error_of([&] { Query(Pairs{{"", "x"}}, names); }), "Unknown query parameter ''. Use limit, q or include_done.");
}

TEST(Query, TypedValues) {
  const Query q(Pairs{{"limit", "30"}, {"id", "7"}, {"flag", "1"}, {"at", "2026-11-25T00:00:00Z"}, {"sort", "new"},
                      {"text", "hello"}},
                {"limit", "id", "flag", "at", "sort", "text", "absent"});
  EXPECT_EQ(q.integer("limit", 1, 500), 30);
  EXPECT_EQ(q.id("id"), 7);
  EXPECT_EQ(q.flag("flag"), true);
  EXPECT_TRUE(q.time("at"));
  EXPECT_EQ(q.text("text", 10), "hello");
  EXPECT_FALSE(q.integer("absent", 1, 2));
  EXPECT_FALSE(q.has("absent"));
  EXPECT_EQ(error_of([&] { q.integer("limit", 1, 20); }), "limit must be between 1 and 20.");
  EXPECT_EQ(error_of([&] { q.text("text", 3); }), "text must be at most 3 characters.");
  EXPECT_EQ(error_of([&] { q.choice("sort", {"newest", "oldest"}); }), "sort must be newest or oldest.");
  const Query bad(Pairs{{"id", "0"}, {"flag", "yes"}, {"at", "yesterday"}, {"n", "1e3"}}, {"id", "flag", "at", "n"});
  EXPECT_EQ(error_of([&] { bad.id("id"); }), "id must be a positive id, not '0'.");
  EXPECT_EQ(error_of([&] { bad.flag("flag"); }), "flag must be true or false.");
  EXPECT_NE(error_of([&] { bad.time("at"); }).find("at must be an ISO 8601 date-time"), std::string::npos);
  EXPECT_EQ(error_of([&] { bad.integer("n", 0, INT64_MAX); }), "n must be a whole number of at least 0.");
}

}  // namespace
}  // namespace visor::api
