#include "auth/pairing.hpp"

#include <gtest/gtest.h>

#include "auth/authenticator.hpp"
#include "auth/tokens.hpp"
#include "store_fixture.hpp"

namespace visor::auth {
namespace {

using namespace std::chrono_literals;
using testing::error_code;

class PairingTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    tech_ = add_user("tech");
    manager_ = add_user("boss", Role::manager);
    admin_ = add_user("root", Role::admin);
    PairingOptions o;
    o.public_base_url = "https://visor.example.com/";
    pairing_ = std::make_unique<PairingService>(*store_, clock_, o);
  }

  Acting as(const User& u) { return Acting{Actor{u.id, u.role, u.team_id}, u.login, "192.0.2.50"}; }

  PairingCode create_for_tech() { return pairing_->create(as(manager_), tech_.id, "Navigator 520", "see-through"); }

  User tech_, manager_, admin_;
  std::unique_ptr<PairingService> pairing_;
};

TEST_F(PairingTest, CreateGivesACodeAndItsQrText) {
  const PairingCode c = create_for_tech();
  EXPECT_EQ(c.code.size(), 6u);
  EXPECT_TRUE(normalize_pairing_code(c.code));
  EXPECT_EQ(c.expires_at, clock_.now() + 5min);
  EXPECT_EQ(c.qr_text, "https://visor.example.com/hud/#pair=" + c.code);
  const auto entries = audit("device.pairing_create");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, manager_.id);
  EXPECT_EQ(entries[0].detail.find(c.code), std::string::npos) << "the code is not logged";
}

TEST_F(PairingTest, RedeemIssuesAWorkingDeviceToken) {
  const PairingCode c = create_for_tech();
  std::string typed = c.code;
  for (char& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const IssuedDevice d = pairing_->redeem(typed.substr(0, 3) + "-" + typed.substr(3), "10.0.0.7");
  EXPECT_TRUE(looks_like_device_token(d.token.reveal()));
  EXPECT_EQ(d.device.user_id, tech_.id);
  EXPECT_EQ(d.device.name, "Navigator 520");
  EXPECT_EQ(d.device.profile, "see-through");
  EXPECT_EQ(d.device.token_hash, hash_token(d.token));

  AuthOptions o;
  o.password_cost = PasswordCost::minimum();
  Authenticator auth(*store_, clock_, o);
  const auto p = auth.authenticate(Credentials{std::nullopt, d.token.reveal()});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, tech_.id);
  EXPECT_EQ(p->device, d.device.id);

  const auto entries = audit("device.pair");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, tech_.id);
  EXPECT_EQ(entries[0].remote_addr, "10.0.0.7");
  EXPECT_EQ(entries[0].detail.find(d.token.reveal()), std::string::npos);
}

TEST_F(PairingTest, CodesAreSingleUse) {
  const PairingCode c = create_for_tech();
  pairing_->redeem(c.code, "10.0.0.7");
  std::string detail;
  EXPECT_EQ(error_code([&] { pairing_->redeem(c.code, "10.0.0.7"); }, &detail), ErrorCode::not_found);
  EXPECT_EQ(detail, "This pairing code is unknown, used or expired. Create a new one in the console.");
}

TEST_F(PairingTest, CodesExpireAfterFiveMinutes) {
  const PairingCode a = create_for_tech();
  const PairingCode b = create_for_tech();
  advance(5min - 1s);
  EXPECT_NO_THROW(pairing_->redeem(a.code, "10.0.0.7"));
  advance(1s);
  EXPECT_EQ(error_code([&] { pairing_->redeem(b.code, "10.0.0.7"); }), ErrorCode::not_found);
}

TEST_F(PairingTest, WrongCodesAreThrottledPerAddress) {
  const PairingCode c = create_for_tech();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(error_code([&] { pairing_->redeem(i % 2 ? "ZZZZZZ" : "not a code", "10.0.0.66"); }),
              ErrorCode::not_found);
  }
  try {
    pairing_->redeem(c.code, "10.0.0.66");
    FAIL() << "expected throttling";
  } catch (const RateLimited& e) {
    EXPECT_EQ(e.retry_after(), 15min);
    EXPECT_EQ(e.detail(), "Too many wrong pairing codes. Try again in 15 minutes.");
  }
  const PairingCode other = create_for_tech();
  EXPECT_NO_THROW(pairing_->redeem(other.code, "10.0.0.67")) << "another address is not affected";
  advance(15min);
  const PairingCode later = create_for_tech();
  EXPECT_NO_THROW(pairing_->redeem(later.code, "10.0.0.66"));
}

TEST_F(PairingTest, ValidatesProfileAndName) {
  std::string detail;
  EXPECT_EQ(error_code([&] { pairing_->create(as(manager_), tech_.id, "x", "hologram"); }, &detail),
            ErrorCode::invalid_input);
  EXPECT_EQ(detail, "Unknown device profile \"hologram\": use one of see-through, opaque, dark-opaque, phone.");
  EXPECT_EQ(error_code([&] { pairing_->create(as(manager_), tech_.id, "  ", "phone"); }), ErrorCode::invalid_input);
  EXPECT_EQ(error_code([&] { pairing_->create(as(manager_), tech_.id, std::string(65, 'x'), "phone"); }),
            ErrorCode::invalid_input);
  EXPECT_EQ(error_code([&] { pairing_->create(as(manager_), tech_.id, "a\nb", "phone"); }), ErrorCode::invalid_input);
  for (std::string_view profile : kDeviceProfiles) {
    EXPECT_NO_THROW(pairing_->create(as(manager_), tech_.id, "ok", profile));
  }
}

TEST_F(PairingTest, ThePlantsGlassesProfileIsRememberedForTheNextPairing) {
  EXPECT_EQ(pairing_->fleet_profile(), "see-through") << "until a profile is chosen";
  const PairingCode first = pairing_->create(as(manager_), tech_.id, "Navigator 1", "dark-opaque");
  EXPECT_EQ(first.profile, "dark-opaque");
  const PairingCode next = pairing_->create(as(manager_), tech_.id, "Navigator 2");
  EXPECT_EQ(next.profile, "dark-opaque") << "no profile named: the fleet's";
  EXPECT_EQ(pairing_->redeem(next.code, "10.0.0.8").device.profile, "dark-opaque");
  pairing_->create(as(manager_), tech_.id, "Phone", "phone");
  EXPECT_EQ(pairing_->fleet_profile(), "dark-opaque") << "a phone says nothing about the glasses";
  store_->write([](storage::Tx& tx) { remember_fleet_profile(tx, "opaque"); });  // switched on a device
  EXPECT_EQ(pairing_->create(as(manager_), tech_.id, "Navigator 3").profile, "opaque");
  EXPECT_EQ(error_code([&] { store_->write([](storage::Tx& tx) { remember_fleet_profile(tx, "hologram"); }); }),
            ErrorCode::invalid_input);
  EXPECT_EQ(pairing_->fleet_profile(), "opaque");
}

TEST_F(PairingTest, WhoMayPairForWhom) {
  EXPECT_EQ(error_code([&] { pairing_->create(as(tech_), tech_.id, "mine", "phone"); }), ErrorCode::forbidden)
      << "technicians hold no device_pair";
  EXPECT_EQ(error_code([&] { pairing_->create(as(manager_), admin_.id, "x", "phone"); }), ErrorCode::forbidden)
      << "a manager must not mint an admin's token";
  EXPECT_NO_THROW(pairing_->create(as(manager_), manager_.id, "own", "phone"));
  EXPECT_NO_THROW(pairing_->create(as(admin_), manager_.id, "x", "phone"));
  EXPECT_EQ(error_code([&] { pairing_->create(as(admin_), UserId(999), "x", "phone"); }), ErrorCode::not_found);
}

TEST_F(PairingTest, RevokeAndList) {
  const IssuedDevice d = pairing_->redeem(create_for_tech().code, "10.0.0.7");
  const User other = add_user("other");
  EXPECT_EQ(error_code([&] { pairing_->revoke(as(other), d.device.id); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code([&] { pairing_->revoke(as(tech_), DeviceId(999)); }), ErrorCode::not_found);
  pairing_->revoke(as(tech_), d.device.id);  // the owner may
  pairing_->revoke(as(manager_), d.device.id);  // idempotent
  const auto mine = pairing_->list(tech_.id);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].revoked_at, clock_.now());
  EXPECT_TRUE(pairing_->list(other.id).empty());
  EXPECT_EQ(pairing_->list(std::nullopt).size(), 1u);
  EXPECT_EQ(audit("device.revoke").size(), 1u);
}

TEST_F(PairingTest, CliTokens) {
  const IssuedDevice d = pairing_->create_token(Acting::system(), tech_.id, "Bench phone", "phone");
  EXPECT_TRUE(d.token.reveal().starts_with("vdt_"));
  const auto entries = audit("device.token_create");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor_label, "system");
  EXPECT_EQ(error_code([&] { pairing_->create_token(Acting::system(), UserId(999), "x", "phone"); }), ErrorCode::not_found);
}

TEST_F(PairingTest, DisabledUsersGetNoDevices) {
  const PairingCode c = create_for_tech();
  store_->write([&](storage::Tx& tx) { disable_user(tx, tech_.id, Acting::system(), clock_.now()); });
  EXPECT_EQ(error_code([&] { pairing_->redeem(c.code, "10.0.0.7"); }), ErrorCode::not_found);
  EXPECT_EQ(error_code([&] { create_for_tech(); }), ErrorCode::conflict);
  EXPECT_EQ(error_code([&] { pairing_->create_token(Acting::system(), tech_.id, "x", "phone"); }), ErrorCode::conflict);
}

}  // namespace
}  // namespace visor::auth
