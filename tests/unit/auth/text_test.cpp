#include "auth/text.hpp"

#include <gtest/gtest.h>

namespace visor::auth {
namespace {

TEST(Text, Utf8Length) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("été"), 3u);
  EXPECT_EQ(utf8_length("\xF0\x9F\x94\xA7"), 1u);  // 🔧
  EXPECT_EQ(utf8_length("\xff"), std::nullopt);
  EXPECT_EQ(utf8_length("\xC3"), std::nullopt);              // truncated
  EXPECT_EQ(utf8_length("\xC0\xAF"), std::nullopt);          // overlong '/'
  EXPECT_EQ(utf8_length("\xED\xA0\x80"), std::nullopt);      // surrogate
  EXPECT_EQ(utf8_length("\xF4\x90\x80\x80"), std::nullopt);  // > U+10FFFF
  EXPECT_EQ(utf8_length("a\xE2\x82"), std::nullopt);         // truncated at the end
}

TEST(Text, ControlChars) {
  EXPECT_FALSE(has_control_chars("Pump A — été"));
  EXPECT_TRUE(has_control_chars("a\nb"));
  EXPECT_TRUE(has_control_chars("a\x7f"));
  EXPECT_TRUE(has_control_chars("a\xC2\x85"));  // NEL
}

TEST(Text, LowerAndTrim) {
  EXPECT_EQ(ascii_lower("Alice.B@X"), "alice.b@x");
  EXPECT_EQ(trim("  a b \t"), "a b");
  EXPECT_EQ(trim("   "), "");
}

}  // namespace
}  // namespace visor::auth
