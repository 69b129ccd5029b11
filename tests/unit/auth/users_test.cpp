#include "auth/users.hpp"

#include <gtest/gtest.h>

#include "auth/authenticator.hpp"
#include "auth/pairing.hpp"
#include "store_fixture.hpp"

namespace visor::auth {
namespace {

using namespace std::chrono_literals;
using testing::error_code;
using testing::kPassword;

class UsersTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    admin_ = add_user("root", Role::admin);
    manager_ = add_user("boss", Role::manager);
    tech_ = add_user("tech");
  }

  Acting as(const User& u) { return Acting{Actor{u.id, u.role, u.team_id}, u.login, "192.0.2.80"}; }

  NewUser new_user(std::string login, Role role = Role::technician) {
    NewUser u;
    u.login = std::move(login);
    u.name = "Jeanne Dupont";
    u.email = "jeanne@example.com";
    u.role = role;
    u.locale = "fr";
    u.password = Secret("une phrase de passe");
    return u;
  }

  User create(const NewUser& u, const Acting& by) {
    return store_->write_value(
        [&](storage::Tx& tx) { return create_user(tx, u, by, clock_.now(), PasswordCost::minimum()); });
  }
  void write(const std::function<void(storage::Tx&)>& fn) { store_->write(fn); }

  std::string create_error(NewUser u) {
    std::string detail;
    EXPECT_EQ(error_code([&] { create(u, as(admin_)); }, &detail), ErrorCode::invalid_input);
    return detail;
  }

  bool can_login(const std::string& login, std::string_view password) {
    AuthOptions o;
    o.password_cost = PasswordCost::minimum();
    Authenticator auth(*store_, clock_, o);
    try {
      auth.login(login, Secret(std::string(password)), "192.0.2.1");
      return true;
    } catch (const Error&) {
      return false;
    }
  }

  User admin_, manager_, tech_;
};

TEST_F(UsersTest, CreateNormalisesAndStores) {
  NewUser input = new_user("  Jeanne.Dupont@Site-2 ");
  input.name = "  Jeanne Dupont ";
  const User u = create(input, as(admin_));
  EXPECT_EQ(u.login, "jeanne.dupont@site-2");
  EXPECT_EQ(u.name, "Jeanne Dupont");
  const auto stored = user(u.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->login, "jeanne.dupont@site-2");
  EXPECT_EQ(stored->locale, "fr");
  EXPECT_EQ(stored->email, "jeanne@example.com");
  EXPECT_TRUE(stored->active);
  EXPECT_TRUE(can_login("jeanne.dupont@site-2", "une phrase de passe"));

  const auto entries = audit("user.create");
  ASSERT_FALSE(entries.empty());
  const auto& e = entries.front();  // newest first
  EXPECT_EQ(e.actor, admin_.id);
  EXPECT_EQ(e.actor_label, "root");
  EXPECT_EQ(e.remote_addr, "192.0.2.80");
  EXPECT_EQ(e.target_id, std::to_string(u.id.value));
  EXPECT_EQ(e.detail.find("une phrase"), std::string::npos);
}

TEST_F(UsersTest, ValidationMessages) {
  EXPECT_EQ(create_error(new_user("ab")), "The login must be 3 to 64 characters long.");
  EXPECT_EQ(create_error(new_user(std::string(65, 'a'))), "The login must be 3 to 64 characters long.");
  EXPECT_EQ(create_error(new_user("jean dupont")), "The login may contain only letters a–z, digits and . _ @ -");
  EXPECT_EQ(create_error(new_user("jéan")), "The login may contain only letters a–z, digits and . _ @ -");
  NewUser u = new_user("jeanne");
  u.name = "";
  EXPECT_EQ(create_error(u), "The name must be 1 to 100 characters long.");
  u.name = std::string(101, 'x');
  EXPECT_EQ(create_error(u), "The name must be 1 to 100 characters long.");
  u.name = "Jeanne";
  for (std::string bad : {"jeanne", "@example.com", "a@b", "a@@example.com", "a b@example.com", "a@example.",
                          "a@.example.com"}) {
    u.email = bad;
    EXPECT_EQ(create_error(u), "The email address is not valid (expected name@example.com, or leave it empty).") << bad;
  }
  u.email = "";
  u.locale = "de";
  EXPECT_EQ(create_error(u), "The language must be \"en\" or \"fr\".");
  u.locale = "en";
  u.password = Secret("short");
  EXPECT_EQ(create_error(u), "The password is too short: use at least 10 characters.");
  u.login = "jeanne.dupont";
  u.password = Secret("Jeanne.Dupont");
  EXPECT_EQ(create_error(u), "The password must not be the same as the login.");
  u.password = Secret(std::string(kPassword));
  EXPECT_NO_THROW(create(u, as(admin_))) << "empty email is fine";
}

TEST_F(UsersTest, LoginsAreUnique) {
  create(new_user("jeanne"), as(admin_));
  EXPECT_EQ(error_code([&] { create(new_user("JEANNE"), as(admin_)); }), ErrorCode::conflict);
}

TEST_F(UsersTest, UnknownTeamIsRejected) {
  NewUser u = new_user("jeanne");
  u.team = TeamId(4242);
  EXPECT_EQ(error_code([&] { create(u, as(admin_)); }), ErrorCode::not_found);
}

TEST_F(UsersTest, WhoMayCreateWhom) {
  EXPECT_NO_THROW(create(new_user("tech1"), as(manager_)));
  EXPECT_EQ(error_code([&] { create(new_user("admin1", Role::admin), as(manager_)); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code([&] { create(new_user("manager1", Role::manager), as(manager_)); }), ErrorCode::forbidden);
  EXPECT_EQ(error_code([&] { create(new_user("tech2"), as(tech_)); }), ErrorCode::forbidden);
  EXPECT_NO_THROW(create(new_user("admin2", Role::admin), as(admin_)));
  EXPECT_NO_THROW(create(new_user("admin3", Role::admin), Acting::system()));
}

TEST_F(UsersTest, LastActiveAdminCannotBeDemotedOrDisabled) {
  std::string detail;
  EXPECT_EQ(error_code([&] { write([&](auto& tx) { set_role(tx, admin_.id, Role::manager, Acting::system(), clock_.now()); }); },
                       &detail),
            ErrorCode::conflict);
  EXPECT_NE(detail.find("last active administrator"), std::string::npos) << detail;
  EXPECT_EQ(error_code([&] { write([&](auto& tx) { disable_user(tx, admin_.id, Acting::system(), clock_.now()); }); }),
            ErrorCode::conflict);
  EXPECT_EQ(user(admin_.id)->role, Role::admin);

  const User second = add_user("root2", Role::admin);
  write([&](auto& tx) { set_role(tx, admin_.id, Role::manager, as(second), clock_.now()); });
  EXPECT_EQ(user(admin_.id)->role, Role::manager);
  EXPECT_EQ(error_code([&] { write([&](auto& tx) { disable_user(tx, second.id, Acting::system(), clock_.now()); }); }),
            ErrorCode::conflict)
      << "second is now the last one";
  const auto entries = audit("user.set_role");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(entries[0].detail.find("\"from\":\"admin\""), std::string::npos);
}

TEST_F(UsersTest, OnlyAdminsChangeRoles) {
  EXPECT_EQ(error_code([&] { write([&](auto& tx) { set_role(tx, tech_.id, Role::manager, as(manager_), clock_.now()); }); }),
            ErrorCode::forbidden);
  write([&](auto& tx) { set_role(tx, tech_.id, Role::manager, as(admin_), clock_.now()); });
  EXPECT_EQ(user(tech_.id)->role, Role::manager);
}

TEST_F(UsersTest, DisableEndsSessionsRevokesDevicesAndEnableRestores) {
  PairingService pairing(*store_, clock_);
  const IssuedDevice d = pairing.create_token(Acting::system(), tech_.id, "Phone", "phone");
  ASSERT_TRUE(can_login("tech", kPassword));
  EXPECT_EQ(error_code([&] { write([&](auto& tx) { disable_user(tx, tech_.id, as(tech_), clock_.now()); }); }),
            ErrorCode::forbidden)
      << "technicians hold no user_manage";
  EXPECT_EQ(error_code([&] { write([&](auto& tx) { disable_user(tx, manager_.id, as(manager_), clock_.now()); }); }),
            ErrorCode::conflict)
      << "nobody disables themselves";
  EXPECT_EQ(error_code([&] { write([&](auto& tx) { disable_user(tx, admin_.id, as(manager_), clock_.now()); }); }),
            ErrorCode::forbidden);

  write([&](auto& tx) { disable_user(tx, tech_.id, as(manager_), clock_.now()); });
  EXPECT_FALSE(user(tech_.id)->active);
  EXPECT_TRUE(pairing.list(tech_.id).at(0).revoked_at);
  EXPECT_EQ(store_->read_value([&](storage::Tx& tx) { return tx.auth().devices(tech_.id); }).size(), 1u);
  EXPECT_FALSE(can_login("tech", kPassword));
  const auto entries = audit("user.disable");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(entries[0].detail.find("\"devices_revoked\":\"1\""), std::string::npos);

  write([&](auto& tx) { enable_user(tx, tech_.id, as(manager_), clock_.now()); });
  EXPECT_TRUE(user(tech_.id)->active);
  EXPECT_TRUE(can_login("tech", kPassword));
  EXPECT_EQ(audit("user.enable").size(), 1u);
  (void)d;
}

TEST_F(UsersTest, PasswordResetAndChange) {
  const Secret fresh("a brand new passphrase");
  write([&](auto& tx) { set_password(tx, tech_.id, fresh, as(manager_), clock_.now(), PasswordCost::minimum()); });
  EXPECT_FALSE(can_login("tech", kPassword));
  EXPECT_TRUE(can_login("tech", fresh.reveal()));

  EXPECT_EQ(error_code([&] {
              write([&](auto& tx) { set_password(tx, admin_.id, fresh, as(manager_), clock_.now(), PasswordCost::minimum()); });
            }),
            ErrorCode::forbidden);
  EXPECT_EQ(error_code([&] {
              write([&](auto& tx) { set_password(tx, tech_.id, fresh, as(tech_), clock_.now(), PasswordCost::minimum()); });
            }),
            ErrorCode::forbidden)
      << "one's own password needs the current one";

  std::string detail;
  EXPECT_EQ(error_code(
                [&] {
                  write([&](auto& tx) {
                    change_own_password(tx, tech_.id, Secret("wrong current"), Secret("another passphrase"), as(tech_),
                                        clock_.now(), PasswordCost::minimum());
                  });
                },
                &detail),
            ErrorCode::invalid_input);
  EXPECT_EQ(detail, "The current password is incorrect.");
  write([&](auto& tx) {
    change_own_password(tx, tech_.id, fresh, Secret("another passphrase"), as(tech_), clock_.now(),
                        PasswordCost::minimum());
  });
  EXPECT_TRUE(can_login("tech", "another passphrase"));
  EXPECT_EQ(audit("user.set_password").size(), 2u);
}

TEST_F(UsersTest, PasswordResetEndsSessions) {
  AuthOptions o;
  o.password_cost = PasswordCost::minimum();
  Authenticator auth(*store_, clock_, o);
  const LoginResult r = auth.login("tech", Secret(std::string(kPassword)), "192.0.2.1");
  write([&](auto& tx) {
    set_password(tx, tech_.id, Secret("a brand new passphrase"), as(admin_), clock_.now(), PasswordCost::minimum());
  });
  advance(5s);
  EXPECT_FALSE(auth.authenticate(Credentials{r.session_token.reveal(), std::nullopt}));
}

}  // namespace
}  // namespace visor::auth
