#include "auth/tokens.hpp"

#include <gtest/gtest.h>

#include <set>

namespace visor::auth {
namespace {

bool base64url_only(std::string_view s) {
  return s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
         std::string_view::npos;
}

TEST(Tokens, RandomTokensAre43Base64urlCharactersAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const Secret t = random_token();
    ASSERT_EQ(t.reveal().size(), kTokenChars);
    ASSERT_TRUE(base64url_only(t.reveal()));
    ASSERT_TRUE(looks_like_session_token(t.reveal()));
    seen.emplace(t.reveal());
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Tokens, DeviceTokensCarryTheGreppablePrefix) {
  const Secret t = new_device_token();
  EXPECT_TRUE(t.reveal().starts_with("vdt_"));
  EXPECT_EQ(t.reveal().size(), 4 + kTokenChars);
  EXPECT_TRUE(looks_like_device_token(t.reveal()));
  EXPECT_FALSE(looks_like_session_token(t.reveal()));
  EXPECT_FALSE(looks_like_device_token(random_token().reveal()));
  EXPECT_FALSE(looks_like_device_token("vdt_short"));
  EXPECT_FALSE(looks_like_device_token("vdt_" + std::string(42, 'a') + "="));
}

TEST(Tokens, CsrfTokensAreTokenShaped) {
  const std::string a = new_csrf_token();
  EXPECT_EQ(a.size(), kTokenChars);
  EXPECT_NE(a, new_csrf_token());
}

TEST(Tokens, HashIsStableLowercaseHexSha256) {
  // SHA-256("abc"), FIPS 180-2 test vector.
  EXPECT_EQ(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash_token(Secret("abc")), hash_token("abc"));
  const Secret t = random_token();
  EXPECT_EQ(hash_token(t), hash_token(t));
  EXPECT_EQ(hash_token(t).size(), 64u);
  EXPECT_NE(hash_token(t), hash_token(random_token()));
}

TEST(Tokens, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("", "a"));
}

TEST(PairingCodes, SixCharactersFromTheUnambiguousAlphabet) {
  EXPECT_EQ(kPairingAlphabet.size(), 31u);
  for (char c : std::string_view("0O1IL")) EXPECT_EQ(kPairingAlphabet.find(c), std::string_view::npos) << c;
  std::set<std::string> seen;
  std::set<char> used;
  for (int i = 0; i < 2000; ++i) {
    const std::string code = new_pairing_code();
    ASSERT_EQ(code.size(), 6u);
    for (char c : code) {
      ASSERT_NE(kPairingAlphabet.find(c), std::string_view::npos) << code;
      used.insert(c);
    }
    seen.insert(code);
  }
  EXPECT_GE(seen.size(), 1999u);
  EXPECT_EQ(used.size(), kPairingAlphabet.size()) << "every symbol should appear in 12000 draws";
}

TEST(PairingCodes, NormalizeIsCaseInsensitiveAndIgnoresSpacing) {
  EXPECT_EQ(normalize_pairing_code("K7M2QX"), "K7M2QX");
  EXPECT_EQ(normalize_pairing_code("k7m-2qx"), "K7M2QX");
  EXPECT_EQ(normalize_pairing_code(" k7m 2qx "), "K7M2QX");
  EXPECT_EQ(normalize_pairing_code("K7M2Q"), std::nullopt);
  EXPECT_EQ(normalize_pairing_code("K7M2QXA"), std::nullopt);
  EXPECT_EQ(normalize_pairing_code("K7M2Q0"), std::nullopt);  // 0 is not in the alphabet
  EXPECT_EQ(normalize_pairing_code(""), std::nullopt);
}

TEST(PairingCodes, HashIsStableAndDistinctFromTokenHash) {
  EXPECT_EQ(hash_pairing_code("K7M2QX"), hash_pairing_code("K7M2QX"));
  EXPECT_NE(hash_pairing_code("K7M2QX"), hash_pairing_code("K7M2QY"));
  EXPECT_NE(hash_pairing_code("K7M2QX"), hash_token("K7M2QX"));
  EXPECT_EQ(hash_pairing_code("K7M2QX").size(), 64u);
}

}  // namespace
}  // namespace visor::auth
