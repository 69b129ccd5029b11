#include "util/time.hpp"

#include <gtest/gtest.h>

using namespace visor;
using namespace std::chrono;

TEST(Time, OdooDatetimeRoundTrip) {
  const auto t = parse_odoo_datetime("2026-12-02 07:30:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_odoo_datetime(*t), "2026-12-02 07:30:00");
  EXPECT_EQ(format_iso8601(*t), "2026-12-02T07:30:00Z");
}

TEST(Time, OdooDatetimeRejectsIsoForms) {
  EXPECT_FALSE(parse_odoo_datetime("2026-12-02T07:30:00"));
  EXPECT_FALSE(parse_odoo_datetime("2026-12-02 07:30:00Z"));
  EXPECT_FALSE(parse_odoo_datetime("2026-13-02 07:30:00"));
  EXPECT_FALSE(parse_odoo_datetime("2026-02-30 07:30:00"));
  EXPECT_FALSE(parse_odoo_datetime(""));
}

TEST(Time, Iso8601AcceptsZoneForms) {
  const auto z = parse_iso8601("2026-12-02T07:30:00Z");
  const auto frac = parse_iso8601("2026-12-02T07:30:00.250Z");
  const auto plus = parse_iso8601("2026-12-02T08:30:00+01:00");
  const auto minus = parse_iso8601("2026-12-02T02:30:00-05:00");
  ASSERT_TRUE(z && frac && plus && minus);
  EXPECT_EQ(*z, *frac);
  EXPECT_EQ(*z, *plus);
  EXPECT_EQ(*z, *minus);
}

TEST(Time, Iso8601RejectsMissingZoneAndGarbage) {
  EXPECT_FALSE(parse_iso8601("2026-12-02T07:30:00"));
  EXPECT_FALSE(parse_iso8601("2026-12-02 07:30:00Z"));
  EXPECT_FALSE(parse_iso8601("2026-12-02T25:30:00Z"));
  EXPECT_FALSE(parse_iso8601("2026-12-02T07:30:00+1:00"));
  EXPECT_FALSE(parse_iso8601("2026-12-02T07:30:00.Z"));
  EXPECT_FALSE(parse_iso8601("'; DROP TABLE tasks; --"));
}

TEST(Time, Dates) {
  const auto d = parse_date("2024-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(format_date(*d), "2024-02-29");
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2023-2-1"));
  EXPECT_EQ(from_days(to_days(*d)), *d);
}

#include "util/utf8.hpp"

TEST(Utf8, AcceptsWellFormedAndRejectsMalformed) {
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("Sécurité — 20°C ⚠ 𝄞"));
  EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("ok\xFFok"));
  EXPECT_FALSE(valid_utf8("\xE2\x82"));          // truncated 3-byte
}

TEST(Time, FormatsEveryFieldWithLeadingZeros) {
  EXPECT_EQ(format_iso8601(from_unix(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(from_unix(-1)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_odoo_datetime(*parse_odoo_datetime("2028-02-29 23:59:59")), "2028-02-29 23:59:59");
  EXPECT_EQ(format_iso8601(*parse_iso8601("0001-01-01T00:00:00Z")), "0001-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("9999-12-31T23:59:59Z")), "9999-12-31T23:59:59Z");
  EXPECT_EQ(format_iso8601(from_unix(1'796'083'205)), "2026-12-01T00:00:05Z");
}
