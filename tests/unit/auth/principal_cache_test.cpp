#include "auth/principal_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace visor::auth {
namespace {

using Instant = PrincipalCache::Instant;
const Instant t0{std::chrono::sys_days(std::chrono::year(2026) / 1 / 1)};

PrincipalCache::Entry entry(std::int64_t user, std::optional<DeviceId> device = {}) {
  Principal p;
  p.user = UserId(user);
  p.device = device;
  return {p, std::nullopt};
}

TEST(PrincipalCache, HitsWithinTtlOnly) {
  PrincipalCache cache(Millis(5000), 100);
  cache.put("h1", entry(1), t0);
  ASSERT_TRUE(cache.find("h1", t0 + Millis(4999)));
  EXPECT_EQ(cache.find("h1", t0 + Millis(4999))->principal.user, UserId(1));
  EXPECT_FALSE(cache.find("h1", t0 + Millis(5000)));
  EXPECT_FALSE(cache.find("h1", t0 - Millis(1))) << "a clock set back does not extend an entry";
  EXPECT_FALSE(cache.find("other", t0));
}

TEST(PrincipalCache, BoundedSize) {
  PrincipalCache cache(Millis(5000), 64);
  for (int i = 0; i < 10000; ++i) cache.put("hash" + std::to_string(i), entry(i), t0);
  EXPECT_LE(cache.size(), 64u);
  EXPECT_GT(cache.size(), 0u);
}

TEST(PrincipalCache, EraseAndEraseIf) {
  PrincipalCache cache(Millis(5000), 100);
  cache.put("a", entry(1), t0);
  cache.put("b", entry(1, DeviceId(7)), t0);
  cache.put("c", entry(2), t0);
  cache.erase("a");
  EXPECT_FALSE(cache.find("a", t0));
  cache.erase_if([](const Principal& p) { return p.device == DeviceId(7); });
  EXPECT_FALSE(cache.find("b", t0));
  EXPECT_TRUE(cache.find("c", t0));
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PrincipalCache, ZeroTtlDisablesCaching) {
  PrincipalCache cache(Millis(0), 100);
  cache.put("a", entry(1), t0);
  EXPECT_FALSE(cache.find("a", t0));
}

TEST(PrincipalCache, ConcurrentUse) {
  PrincipalCache cache(Millis(5000), 1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) {
        const std::string key = "k" + std::to_string((i * 7 + t) % 1500);
        if (i % 3 == 0) {
          cache.put(key, entry(i), t0);
        } else if (auto hit = cache.find(key, t0)) {
          ASSERT_GE(hit->principal.user.value, 0);
        }
        if (i % 500 == 0) cache.erase_if([](const Principal& p) { return p.user.value % 2 == 0; });
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 1000u + 16u);
}

}  // namespace
}  // namespace visor::auth
