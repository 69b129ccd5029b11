// The incremental pull's watermark: `>=` on the mark's second, ids seen at
// that second skipped, and the fallback for very crowded seconds.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "connectors/odoo/watermark.hpp"
#include "util/time.hpp"

namespace visor::odoo {
namespace {
namespace json = boost::json;

TimePoint t(const char* s) { return *parse_odoo_datetime(s); }
Stamp st(std::int64_t id, const char* when) { return {id, t(when)}; }

TEST(Watermark, NoMarkMeansEverything) { EXPECT_TRUE(incremental_domain(storage::Watermark{}).empty()); }

TEST(Watermark, DomainUsesGreaterOrEqualAndSkipsSeenIds) {
  storage::Watermark m{"maintenance.request", t("2026-11-24 16:24:33"), {4, 9}};
  EXPECT_EQ(json::serialize(incremental_domain(m)),
            R"(["|",["write_date",">","2026-11-24 16:24:33"],"&",["write_date","=","2026-11-24 16:24:33"],)"
            R"(["id","not in",[4,9]]])");
  m.ids_at_mark.clear();
  EXPECT_EQ(json::serialize(incremental_domain(m)), R"([["write_date",">=","2026-11-24 16:24:33"]])");
}

TEST(Watermark, AdvanceKeepsIdsOfTheNewestSecond) {
  storage::Watermark m{"x", t("2026-11-24 10:00:00"), {3}};
  m = advance(m, {st(5, "2026-11-24 10:00:00"), st(1, "2026-11-24 10:00:01"), st(7, "2026-11-24 10:00:01")}, 100);
  EXPECT_EQ(m.write_date, t("2026-11-24 10:00:01"));
  EXPECT_EQ(m.ids_at_mark, (std::vector<std::int64_t>{1, 7}));
  // Another record written in that same second later (a lower id) is still new.
  m = advance(m, {st(2, "2026-11-24 10:00:01")}, 100);
  EXPECT_EQ(m.ids_at_mark, (std::vector<std::int64_t>{1, 7, 2}));
  // Same second carried over from the old mark.
  storage::Watermark same{"x", t("2026-11-24 10:00:00"), {3}};
  same = advance(same, {st(5, "2026-11-24 10:00:00")}, 100);
  EXPECT_EQ(same.ids_at_mark, (std::vector<std::int64_t>{3, 5}));
}

TEST(Watermark, CrowdedSecondFallsBackToAfterId) {
  storage::Watermark m{"x", std::nullopt, {}};
  std::vector<Stamp> stamps;
  for (int id = 1; id <= 10; ++id) stamps.push_back(st(id, "2026-11-24 10:00:00"));
  m = advance(m, stamps, 4);
  EXPECT_EQ(m.ids_at_mark, (std::vector<std::int64_t>{-10}));
  EXPECT_EQ(json::serialize(incremental_domain(m)),
            R"(["|",["write_date",">","2026-11-24 10:00:00"],"&",["write_date","=","2026-11-24 10:00:00"],)"
            R"(["id",">",10]])");
  m = advance(m, {st(11, "2026-11-24 10:00:00"), st(12, "2026-11-24 10:00:00")}, 4);
  EXPECT_EQ(m.ids_at_mark, (std::vector<std::int64_t>{-12}));
  // A newer second starts a fresh list.
  m = advance(m, {st(3, "2026-11-24 10:00:05")}, 4);
  EXPECT_EQ(m.ids_at_mark, (std::vector<std::int64_t>{3}));
}

TEST(Watermark, RowsWithoutWriteDateDoNotMoveTheMark) {
  storage::Watermark m{"x", t("2026-11-24 10:00:00"), {1}};
  m = advance(m, {Stamp{9, std::nullopt}}, 10);
  EXPECT_EQ(m.ids_at_mark, (std::vector<std::int64_t>{1}));
}

}  // namespace
}  // namespace visor::odoo
