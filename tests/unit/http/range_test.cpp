// Range requests (http/range.hpp): one byte range honoured, anything else
// answered with the whole representation, out-of-bounds ranges refused.
#include "http/range.hpp"

#include <gtest/gtest.h>

namespace visor::http {
namespace {

using K = RangeAnswer::Kind;
constexpr std::string_view kTag = "\"abc\"";

RangeAnswer ask(std::string_view range, std::optional<std::string_view> if_range = std::nullopt,
                std::uint64_t size = 1000) {
  return select_range(range, if_range, kTag, size);
}

TEST(Range, OneRangeInItsForms) {
  auto r = ask("bytes=0-99");
  ASSERT_EQ(r.kind, K::partial);
  EXPECT_EQ(r.range.first, 0u);
  EXPECT_EQ(r.range.last, 99u);
  EXPECT_EQ(content_range(r, 1000), "bytes 0-99/1000");
  r = ask("bytes=990-");
  EXPECT_EQ(content_range(r, 1000), "bytes 990-999/1000");
  r = ask("bytes=-10");
  EXPECT_EQ(content_range(r, 1000), "bytes 990-999/1000");
  r = ask("bytes=-5000");  // longer than the file: all of it
  EXPECT_EQ(content_range(r, 1000), "bytes 0-999/1000");
  r = ask("Bytes = 10-2000");  // the end clipped to the size
  EXPECT_EQ(content_range(r, 1000), "bytes 10-999/1000");
}

TEST(Range, AnythingElseIsTheWhole) {
  EXPECT_EQ(select_range(std::nullopt, std::nullopt, kTag, 1000).kind, K::whole);
  for (std::string_view h : {"bytes=0-1,5-9", "items=0-9", "bytes=9-1", "bytes=a-b", "bytes 0-9", "bytes=-",
                             "bytes=99999999999999999999-"})
    EXPECT_EQ(ask(h).kind, K::whole) << h;
  // If-Range: only the exact current ETag keeps the range.
  EXPECT_EQ(ask("bytes=0-9", "\"abc\"").kind, K::partial);
  EXPECT_EQ(ask("bytes=0-9", "\"old\"").kind, K::whole);
  EXPECT_EQ(ask("bytes=0-9", "W/\"abc\"").kind, K::whole);
  EXPECT_EQ(ask("bytes=0-9", "Tue, 01 Dec 2026 10:00:00 GMT").kind, K::whole);
}

TEST(Range, BeyondTheEndIsUnsatisfiable) {
  const auto r = ask("bytes=1000-");
  EXPECT_EQ(r.kind, K::unsatisfiable);
  EXPECT_EQ(content_range(r, 1000), "bytes */1000");
  EXPECT_EQ(ask("bytes=-0").kind, K::unsatisfiable);
  EXPECT_EQ(ask("bytes=0-", std::nullopt, 0).kind, K::unsatisfiable);
}

}  // namespace
}  // namespace visor::http
