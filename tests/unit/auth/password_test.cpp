#include "auth/password.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

namespace visor::auth {
namespace {

const PasswordCost kCost = PasswordCost::minimum();

TEST(Password, HashesWithArgon2idAndVerifies) {
  const Secret pw("correct horse battery");
  const std::string hash = hash_password(pw, kCost);
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$"));
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(verify_password(hash, pw));
}

TEST(Password, WrongPasswordDoesNotVerify) {
  const std::string hash = hash_password(Secret("correct horse battery"), kCost);
  EXPECT_FALSE(verify_password(hash, Secret("correct horse batterY")));
  EXPECT_FALSE(verify_password(hash, Secret("")));
}

TEST(Password, SaltsDiffer) {
  const Secret pw("correct horse battery");
  EXPECT_NE(hash_password(pw, kCost), hash_password(pw, kCost));
}

TEST(Password, MalformedHashIsAMismatch) {
  EXPECT_FALSE(verify_password("", Secret("whatever1234")));
  EXPECT_FALSE(verify_password("$argon2id$garbage", Secret("whatever1234")));
  EXPECT_FALSE(verify_password(std::string(500, 'x'), Secret("whatever1234")));
}

TEST(Password, NeedsRehashWhenCostChanges) {
  const std::string hash = hash_password(Secret("correct horse battery"), kCost);
  EXPECT_FALSE(needs_rehash(hash, kCost));
  EXPECT_TRUE(needs_rehash(hash, PasswordCost{kCost.ops + 1, kCost.mem}));
  EXPECT_TRUE(needs_rehash(hash, PasswordCost{kCost.ops, kCost.mem * 2}));
  EXPECT_TRUE(needs_rehash("not a hash", kCost));
}

TEST(Password, ProductionCostIsThreePassesOver64MiB) {
  const PasswordCost c = PasswordCost::production();
  EXPECT_EQ(c.ops, 3u);
  EXPECT_EQ(c.mem, std::size_t{64} << 20);
}

std::string policy_message(const std::string& password, std::string_view login = "alice") {
  try {
    check_password_policy(Secret(password), login);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    if (password.size() >= 8) {
      EXPECT_EQ(e.detail().find(password), std::string::npos) << "a policy message must not echo the password";
    }
    return e.detail();
  }
  return "";
}

TEST(PasswordPolicy, AcceptsReasonablePasswords) {
  EXPECT_EQ(policy_message("0123456789"), "");
  EXPECT_EQ(policy_message(std::string(256, 'a')), "");
  EXPECT_EQ(policy_message("mot de passe très sûr"), "");
}

TEST(PasswordPolicy, ExplainsEachRule) {
  EXPECT_EQ(policy_message("short"), "The password is too short: use at least 10 characters.");
  EXPECT_EQ(policy_message(std::string(257, 'a')), "The password is too long: use at most 256 bytes.");
  EXPECT_EQ(policy_message("abcdefghij\xff"), "The password is not valid UTF-8 text.");
  EXPECT_EQ(policy_message("technician01", "technician01"), "The password must not be the same as the login.");
  EXPECT_EQ(policy_message("Technician01", "technician01"), "The password must not be the same as the login.");
}

TEST(PasswordPolicy, CountsBytesNotCharacters) {
  // 5 two-byte characters = 10 bytes: accepted; 129 of them = 258 bytes: too long.
  std::string five;
  for (int i = 0; i < 5; ++i) five += "é";
  EXPECT_EQ(policy_message(five), "");
  std::string many;
  for (int i = 0; i < 129; ++i) many += "é";
  EXPECT_EQ(policy_message(many), "The password is too long: use at most 256 bytes.");
}

}  // namespace
}  // namespace visor::auth
