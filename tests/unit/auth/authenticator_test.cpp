#include "auth/authenticator.hpp"

#include <gtest/gtest.h>

#include "auth/pairing.hpp"
#include "auth/tokens.hpp"
#include "store_fixture.hpp"

namespace visor::auth {
namespace {

using namespace std::chrono_literals;
using testing::error_code;
using testing::kPassword;

class AuthenticatorTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    alice_ = add_user("alice");
    auth_ = std::make_unique<Authenticator>(*store_, clock_, options());
  }

  AuthOptions options() const {
    AuthOptions o;
    o.password_cost = PasswordCost::minimum();
    return o;
  }

  LoginResult login(std::string_view who = "alice", std::string_view password = kPassword,
                    std::string_view addr = "192.0.2.1") {
    return auth_->login(who, Secret(std::string(password)), addr);
  }

  std::optional<Principal> by_cookie(const Secret& token) {
    return auth_->authenticate(Credentials{token.reveal(), std::nullopt});
  }
  std::optional<Principal> by_bearer(const Secret& token) {
    return auth_->authenticate(Credentials{std::nullopt, token.reveal()});
  }

  storage::SessionRecord session(const Secret& token) {
    return *store_->read_value([&](storage::Tx& tx) { return tx.auth().find_session(hash_token(token)); });
  }

  User alice_;
  std::unique_ptr<Authenticator> auth_;
};

TEST_F(AuthenticatorTest, LoginOpensASessionThatAuthenticates) {
  const LoginResult r = login();
  EXPECT_TRUE(looks_like_session_token(r.session_token.reveal()));
  EXPECT_EQ(r.principal.user, alice_.id);
  EXPECT_EQ(r.principal.login, "alice");
  EXPECT_EQ(r.principal.via, Principal::Via::session);
  EXPECT_EQ(r.principal.csrf_token, r.csrf_token);
  EXPECT_EQ(r.expires_at, clock_.now() + 12h);

  const auto p = by_cookie(r.session_token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, alice_.id);
  EXPECT_EQ(p->role, Role::technician);
  EXPECT_EQ(p->name, "User alice");
  EXPECT_EQ(p->csrf_token, r.csrf_token);
  EXPECT_FALSE(p->device);
  EXPECT_EQ(p->actor().user, alice_.id);

  // The store keeps only the hash.
  const auto s = session(r.session_token);
  EXPECT_EQ(s.token_hash, hash_token(r.session_token));
  EXPECT_EQ(s.remote_addr, "192.0.2.1");
}

TEST_F(AuthenticatorTest, LoginIgnoresCaseAndSurroundingSpaces) {
  EXPECT_EQ(login("  ALICE ").principal.user, alice_.id);
}

TEST_F(AuthenticatorTest, CookieHeaders) {
  const LoginResult r = login();
  EXPECT_EQ(r.set_cookie_header(), "visor_session=" + std::string(r.session_token.reveal()) +
                                       "; Path=/; Max-Age=604800; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(auth_->clear_cookie_header(), "visor_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");

  AuthOptions plain = options();
  plain.secure_cookie = false;
  Authenticator http(*store_, clock_, plain);
  const LoginResult r2 = http.login("alice", Secret(std::string(kPassword)), "192.0.2.1");
  EXPECT_EQ(r2.set_cookie_header().find("Secure"), std::string::npos);
  EXPECT_EQ(http.clear_cookie_header().find("Secure"), std::string::npos);
}

TEST_F(AuthenticatorTest, UnknownLoginAndWrongPasswordLookTheSame) {
  std::string unknown, wrong;
  EXPECT_EQ(error_code([&] { login("nobody"); }, &unknown), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code([&] { login("alice", "not the password"); }, &wrong), ErrorCode::unauthenticated);
  EXPECT_EQ(unknown, "Login or password is incorrect.");
  EXPECT_EQ(wrong, unknown);
}

TEST_F(AuthenticatorTest, EmptyInputIsInvalid) {
  EXPECT_EQ(error_code([&] { login("", kPassword); }), ErrorCode::invalid_input);
  EXPECT_EQ(error_code([&] { login("alice", ""); }), ErrorCode::invalid_input);
}

TEST_F(AuthenticatorTest, DisabledUserCannotLogIn) {
  store_->write([&](storage::Tx& tx) { disable_user(tx, alice_.id, Acting::system(), clock_.now()); });
  std::string detail;
  EXPECT_EQ(error_code([&] { login(); }, &detail), ErrorCode::forbidden);
  EXPECT_NE(detail.find("disabled"), std::string::npos);
  // A wrong password still gets the generic answer (no account probing).
  EXPECT_EQ(error_code([&] { login("alice", "not the password"); }), ErrorCode::unauthenticated);
}

TEST_F(AuthenticatorTest, LogoutEndsTheSessionAtOnce) {
  const LoginResult r = login();
  ASSERT_TRUE(by_cookie(r.session_token));  // now cached
  auth_->logout(r.session_token.reveal(), "192.0.2.1");
  EXPECT_FALSE(by_cookie(r.session_token));
  EXPECT_EQ(audit("auth.logout").size(), 1u);
  auth_->logout(r.session_token.reveal());  // again: ignored
  auth_->logout("garbage");
}

TEST_F(AuthenticatorTest, SessionExpiresAfterIdleTimeout) {
  const LoginResult r = login();
  advance(12h - 1s);
  EXPECT_TRUE(by_cookie(r.session_token)) << "just before expiry";
  // That request slid the expiry: 12 h from now.
  advance(12h - 1s);
  EXPECT_TRUE(by_cookie(r.session_token));
  advance(12h);
  EXPECT_FALSE(by_cookie(r.session_token));
}

TEST_F(AuthenticatorTest, SlidingExpiryIsWrittenAtMostOncePerMinute) {
  const LoginResult r = login();
  const TimePoint t0 = clock_.now();
  advance(30s);  // past the cache TTL: the store is read, but not written
  ASSERT_TRUE(by_cookie(r.session_token));
  EXPECT_EQ(session(r.session_token).last_seen_at, t0);
  EXPECT_EQ(session(r.session_token).expires_at, t0 + 12h);
  advance(31s);
  ASSERT_TRUE(by_cookie(r.session_token));
  EXPECT_EQ(session(r.session_token).last_seen_at, t0 + 61s);
  EXPECT_EQ(session(r.session_token).expires_at, t0 + 61s + 12h);
  advance(2s);  // cached: nothing changes
  ASSERT_TRUE(by_cookie(r.session_token));
  EXPECT_EQ(session(r.session_token).last_seen_at, t0 + 61s);
}

TEST_F(AuthenticatorTest, SessionNeverOutlivesTheAbsoluteMaximum) {
  const LoginResult r = login();
  for (int i = 0; i < 15; ++i) {  // active every 11 h: 165 h < 168 h
    advance(11h);
    ASSERT_TRUE(by_cookie(r.session_token)) << i;
  }
  EXPECT_LE(session(r.session_token).expires_at, r.expires_at - 12h + 168h);
  advance(3h);  // 168 h after login
  EXPECT_FALSE(by_cookie(r.session_token));
}

TEST_F(AuthenticatorTest, ThrottlesPerAccountAndSaysWhenToRetry) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(error_code([&] { login("alice", "wrong password"); }), ErrorCode::unauthenticated);
  try {
    login();  // even the right password
    FAIL() << "expected throttling";
  } catch (const RateLimited& e) {
    EXPECT_EQ(e.code(), ErrorCode::rate_limited);
    EXPECT_EQ(e.retry_after(), 15min);
    EXPECT_EQ(e.detail(), "Too many failed sign-in attempts. Try again in 15 minutes.");
  }
  EXPECT_EQ(error_code([&] { login("ALICE", kPassword, "198.51.100.7"); }), ErrorCode::rate_limited)
      << "per account, whatever the address or case";
  advance(10min);
  try {
    login();
    FAIL();
  } catch (const RateLimited& e) {
    EXPECT_EQ(e.retry_after(), 5min);
  }
  advance(5min);
  EXPECT_NO_THROW(login());
}

TEST_F(AuthenticatorTest, SuccessResetsTheAccountCounter) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(error_code([&] { login("alice", "wrong password"); }), ErrorCode::unauthenticated);
  EXPECT_NO_THROW(login());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(error_code([&] { login("alice", "wrong password"); }), ErrorCode::unauthenticated);
  EXPECT_NO_THROW(login());
}

TEST_F(AuthenticatorTest, ThrottlesPerAddress) {
  add_user("bob");
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(error_code([&] { login("user" + std::to_string(i), "wrong password", "203.0.113.9"); }),
              ErrorCode::unauthenticated);
  }
  EXPECT_EQ(error_code([&] { login("bob", kPassword, "203.0.113.9"); }), ErrorCode::rate_limited);
  EXPECT_NO_THROW(login("bob", kPassword, "203.0.113.10"));
  advance(15min);
  EXPECT_NO_THROW(login("bob", kPassword, "203.0.113.9"));
}

TEST_F(AuthenticatorTest, RehashesWhenTheCostChanged) {
  const std::string before = store_->read_value([&](storage::Tx& tx) { return tx.users().password_hash(alice_.id); });
  AuthOptions stronger = options();
  stronger.password_cost = PasswordCost{2, std::size_t{64} << 10};
  Authenticator auth(*store_, clock_, stronger);
  auth.login("alice", Secret(std::string(kPassword)), "192.0.2.1");
  const std::string after = store_->read_value([&](storage::Tx& tx) { return tx.users().password_hash(alice_.id); });
  EXPECT_NE(after, before);
  EXPECT_FALSE(needs_rehash(after, stronger.password_cost));
  EXPECT_TRUE(verify_password(after, Secret(std::string(kPassword))));
  EXPECT_NE(audit("auth.login").front().detail.find("\"rehashed\":\"true\""), std::string::npos);
}

TEST_F(AuthenticatorTest, AuditsLoginsWithoutSecrets) {
  const LoginResult r = login();
  EXPECT_EQ(error_code([&] { login("alice", "my wrong password"); }), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code([&] { login("ghost", "my wrong password"); }), ErrorCode::unauthenticated);

  const auto ok = audit("auth.login");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].actor, alice_.id);
  EXPECT_EQ(ok[0].actor_label, "alice");
  EXPECT_EQ(ok[0].remote_addr, "192.0.2.1");
  EXPECT_EQ(ok[0].at, clock_.now());

  const auto failed = audit("auth.login_failed");
  ASSERT_EQ(failed.size(), 2u);
  for (const auto& e : audit("auth.")) {
    EXPECT_EQ(e.detail.find("password battery"), std::string::npos);
    EXPECT_EQ(e.detail.find("my wrong password"), std::string::npos);
    EXPECT_EQ(e.detail.find(r.session_token.reveal()), std::string::npos);
    EXPECT_EQ(e.detail.find(hash_token(r.session_token)), std::string::npos);
  }
  bool saw_unknown = false;
  for (const auto& e : failed) saw_unknown |= e.detail.find("\"reason\":\"unknown_login\"") != std::string::npos;
  EXPECT_TRUE(saw_unknown);
}

TEST_F(AuthenticatorTest, CsrfIsCheckedForSessionsOnUnsafeMethods) {
  const LoginResult r = login();
  const Principal p = *by_cookie(r.session_token);
  for (std::string_view m : {"GET", "HEAD", "OPTIONS"}) EXPECT_NO_THROW(auth_->check_csrf(p, m, std::nullopt));
  for (std::string_view m : {"POST", "PUT", "PATCH", "DELETE"}) {
    std::string detail;
    EXPECT_EQ(error_code([&] { auth_->check_csrf(p, m, std::nullopt); }, &detail), ErrorCode::forbidden);
    EXPECT_EQ(detail, "Missing or invalid CSRF token.");
    EXPECT_EQ(error_code([&] { auth_->check_csrf(p, m, std::string_view("wrong")); }), ErrorCode::forbidden);
    EXPECT_EQ(error_code([&] { auth_->check_csrf(p, m, std::string_view("")); }), ErrorCode::forbidden);
    EXPECT_NO_THROW(auth_->check_csrf(p, m, std::string_view(r.csrf_token)));
  }
}

TEST_F(AuthenticatorTest, DeviceTokensAuthenticateAndAreCsrfExempt) {
  PairingService pairing(*store_, clock_);
  const IssuedDevice d = pairing.create_token(Acting::system(), alice_.id, "Navigator 520", "see-through");
  const auto p = by_bearer(d.token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->via, Principal::Via::device);
  EXPECT_EQ(p->device, d.device.id);
  EXPECT_EQ(p->user, alice_.id);
  EXPECT_EQ(p->audit_label(), "device:Navigator 520");
  EXPECT_NO_THROW(auth_->check_csrf(*p, "POST", std::nullopt));
}

TEST_F(AuthenticatorTest, RevokedDeviceStopsWorkingWithinTheCacheTtl) {
  PairingService pairing(*store_, clock_);
  const IssuedDevice d = pairing.create_token(Acting::system(), alice_.id, "Navigator 520", "see-through");
  ASSERT_TRUE(by_bearer(d.token));
  pairing.revoke(Acting::system(), d.device.id);  // as if on another instance
  advance(4s);
  EXPECT_TRUE(by_bearer(d.token)) << "still cached";
  advance(1s);
  EXPECT_FALSE(by_bearer(d.token)) << "revocation visible once the entry is 5 s old";
}

TEST_F(AuthenticatorTest, ForgetDeviceTakesEffectAtOnce) {
  PairingService pairing(*store_, clock_);
  const IssuedDevice d = pairing.create_token(Acting::system(), alice_.id, "Phone", "phone");
  ASSERT_TRUE(by_bearer(d.token));
  pairing.revoke(Acting::system(), d.device.id);
  auth_->forget_device(d.device.id);
  EXPECT_FALSE(by_bearer(d.token));
}

TEST_F(AuthenticatorTest, DeviceLastUsedIsWrittenAtMostOncePerMinute) {
  PairingService pairing(*store_, clock_);
  const IssuedDevice d = pairing.create_token(Acting::system(), alice_.id, "Phone", "phone");
  const auto last_used = [&] {
    return store_->read_value([&](storage::Tx& tx) { return tx.auth().device(d.device.id)->last_used_at; });
  };
  const TimePoint t0 = clock_.now();
  ASSERT_TRUE(by_bearer(d.token));
  EXPECT_EQ(last_used(), t0);
  advance(30s);
  ASSERT_TRUE(by_bearer(d.token));
  EXPECT_EQ(last_used(), t0);
  advance(31s);
  ASSERT_TRUE(by_bearer(d.token));
  EXPECT_EQ(last_used(), t0 + 61s);
}

TEST_F(AuthenticatorTest, DisablingAUserEndsSessionsAndDevices) {
  PairingService pairing(*store_, clock_);
  const IssuedDevice d = pairing.create_token(Acting::system(), alice_.id, "Phone", "phone");
  const LoginResult r = login();
  ASSERT_TRUE(by_cookie(r.session_token));
  ASSERT_TRUE(by_bearer(d.token));
  store_->write([&](storage::Tx& tx) { disable_user(tx, alice_.id, Acting::system(), clock_.now()); });
  advance(5s);
  EXPECT_FALSE(by_cookie(r.session_token));
  EXPECT_FALSE(by_bearer(d.token));
}

TEST_F(AuthenticatorTest, BadCredentialsAreJustAnonymous) {
  const LoginResult r = login();
  EXPECT_FALSE(auth_->authenticate(Credentials{}));
  EXPECT_FALSE(auth_->authenticate(Credentials{std::string_view("garbage"), std::nullopt}));
  EXPECT_FALSE(auth_->authenticate(Credentials{std::nullopt, std::string_view("vdt_garbage")}));
  EXPECT_FALSE(by_cookie(random_token()));
  EXPECT_FALSE(by_bearer(new_device_token()));
  EXPECT_FALSE(by_bearer(r.session_token)) << "a session token is not a bearer token";
  // A bearer token wins and does not fall back to the cookie.
  EXPECT_FALSE(auth_->authenticate(Credentials{r.session_token.reveal(), std::string_view("vdt_bad")}));
}

TEST_F(AuthenticatorTest, RejectsACacheTtlAboveFiveSeconds) {
  AuthOptions o = options();
  o.cache_ttl = Millis(5001);
  EXPECT_EQ(error_code([&] { Authenticator a(*store_, clock_, o); }), ErrorCode::invalid_input);
}

}  // namespace
}  // namespace visor::auth
