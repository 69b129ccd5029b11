#include "util/body_cache.hpp"

#include <gtest/gtest.h>

using namespace visor;

namespace {

double count(metrics::Registry& r, std::string_view result) {
  return r.counter("visor_body_cache_total", "", {"cache", "result"}).with({"test", result}).value();
}

}  // namespace

TEST(BodyCache, FindsWhatWasPutAndCountsHitsAndMisses) {
  metrics::Registry registry;
  BodyCache cache(registry, "test");
  EXPECT_EQ(cache.find("r1|a"), nullptr);
  cache.put("r1|a", {"{\"items\":[]}", "W/\"r1\""});
  const auto found = cache.find("r1|a");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->body, "{\"items\":[]}");
  EXPECT_EQ(found->etag, "W/\"r1\"");
  EXPECT_EQ(cache.find("r2|a"), nullptr);  // another revision is another key
  EXPECT_EQ(count(registry, "hit"), 1);
  EXPECT_EQ(count(registry, "miss"), 2);
}

TEST(BodyCache, EvictsTheLeastRecentlyUsedBeyondItsBudget) {
  metrics::Registry registry;
  BodyCache cache(registry, "test", 8 * 1000);
  const std::string body(500, 'x');  // with its key and overhead, ~600 bytes
  for (int i = 0; i < 13; ++i) cache.put("k" + std::to_string(i), {body, ""});
  ASSERT_NE(cache.find("k0"), nullptr);  // k0 is now the most recently used
  cache.put("k13", {body, ""});
  cache.put("k14", {body, ""});
  EXPECT_LE(cache.bytes(), 8u * 1000);
  EXPECT_NE(cache.find("k0"), nullptr);
  EXPECT_EQ(cache.find("k1"), nullptr);
  EXPECT_NE(cache.find("k14"), nullptr);
}

TEST(BodyCache, KeepsNoBodyLargerThanAnEighthOfItsBudget) {
  metrics::Registry registry;
  BodyCache cache(registry, "test", 8 * 1000);
  cache.put("big", {std::string(1000, 'x'), ""});
  EXPECT_EQ(cache.find("big"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(BodyCache, ASecondPutOfTheSameKeyKeepsTheFirstBody) {
  metrics::Registry registry;
  BodyCache cache(registry, "test");
  cache.put("k", {"first", ""});
  cache.put("k", {"second", ""});
  EXPECT_EQ(cache.find("k")->body, "first");
  EXPECT_EQ(cache.size(), 1u);
}
