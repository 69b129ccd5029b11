#pragma once
// Signing in and recognising callers. HTTP-free: the HTTP layer passes the
// cookie value, the bearer token, the method and the remote address as plain
// values, and writes the Set-Cookie value it gets back.
//
//  - Browsers: `login` checks the password (Argon2id) and opens a session; the
//    session token is the `visor_session` cookie (HttpOnly, SameSite=Strict,
//    Secure under TLS). Sessions slide: 12 h after the last request, never
//    more than 7 days after login. State-changing requests also carry the
//    session's CSRF token in X-CSRF-Token (`check_csrf`).
//  - Glasses: a device token (`vdt_…`, see pairing.hpp) as a bearer token;
//    valid until revoked.
//
// `authenticate` runs on every API request: it keeps token-hash → Principal
// for a few seconds (PrincipalCache) and writes "last seen" at most once a
// minute per session or device.
#include <chrono>
#include <functional>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "auth/password.hpp"
#include "auth/principal.hpp"
#include "auth/principal_cache.hpp"
#include "auth/throttle.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"
#include "util/secret.hpp"

namespace visor::auth {

struct AuthOptions {
  /// A session ends this long after its last request…
  std::chrono::seconds session_idle{std::chrono::hours(12)};
  /// …and at the latest this long after login.
  std::chrono::seconds session_max{std::chrono::hours(24 * 7)};
  std::string cookie_name = "visor_session";
  /// Adds `Secure` to the cookie; set when Visor (or its proxy) serves TLS.
  bool secure_cookie = true;
  ThrottleRule per_account{5, std::chrono::minutes(15)};
  ThrottleRule per_address{30, std::chrono::minutes(15)};
  PasswordCost password_cost = PasswordCost::production();
  /// At most this many Argon2 computations at once (each takes `mem`); more
  /// logins wait. Bounds memory under a login flood.
  int max_concurrent_hashes = 2;
  /// How long a resolved credential is trusted without the store (≤ 5 s).
  Millis cache_ttl{5000};
  std::size_t cache_capacity = 10000;
  /// "Last seen" of sessions and devices is written at most this often.
  std::chrono::seconds touch_interval{60};
};

/// What a successful login hands to the HTTP layer.
struct LoginResult {
  /// The cookie value. Only ever sent in the Set-Cookie header.
  Secret session_token;
  /// Given to the page (e.g. in the /me response) for X-CSRF-Token.
  std::string csrf_token;
  Principal principal;
  TimePoint expires_at{};

  /// The value of the Set-Cookie header:
  /// `visor_session=<token>; Path=/; Max-Age=<session_max>; HttpOnly;
  /// SameSite=Strict[; Secure]`. The cookie outlives the idle timeout on
  /// purpose: the server decides expiry, the browser keeps no longer than
  /// a session can live.
  std::string set_cookie_header() const;

  std::string cookie_name;
  bool cookie_secure = true;
  std::chrono::seconds cookie_max_age{};
};

/// What changed about credentials in this process (reported to observers
/// such as LiveStreams after the change is committed).
struct CredentialChange {
  enum class Kind { user, device, session, all };
  Kind kind = Kind::all;
  UserId user;             // Kind::user: anything about the account
  DeviceId device;         // Kind::device: the device's token
  std::string token_hash;  // Kind::session: that session (logout)
};

/// What a principal resolved straight from the store: the principal and,
/// for sessions, when the session ends unless it is used.
struct Resolved {
  Principal principal;
  std::optional<TimePoint> expires_at;
};

/// What a request presents. Both are raw values: the cookie's value (not the
/// whole Cookie header) and the token after "Bearer ".
struct Credentials {
  std::optional<std::string_view> session_cookie;
  std::optional<std::string_view> bearer;
};

class Authenticator {
 public:
  Authenticator(storage::Store& store, const IClock& clock, AuthOptions options = {});
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  /// Checks login and password and opens a session. Blocks for one Argon2
  /// verification (~80 ms): call from a worker thread, not an I/O thread.
  /// Errors: unauthenticated "Login or password is incorrect." (unknown
  /// login and wrong password alike, with the same timing); forbidden when
  /// the password is right but the account is disabled; RateLimited (429)
  /// after too many failures for this login or this address;
  /// invalid_input when login or password is empty.
  LoginResult login(std::string_view login, const Secret& password, std::string_view remote_addr);

  /// Ends the session (unknown or expired tokens are ignored).
  void logout(std::string_view session_token, std::string_view remote_addr = {});
  /// Set-Cookie value that deletes the session cookie.
  std::string clear_cookie_header() const;

  /// The caller behind a request, or nullopt when the credentials are
  /// missing, malformed, expired or revoked. A bearer token takes precedence
  /// over the cookie (and does not fall back to it when invalid).
  /// Throws Error(unavailable) only when the store cannot be read.
  std::optional<Principal> authenticate(const Credentials& credentials);
  /// The same from the cache alone, never touching the store: the outer
  /// optional is empty when the answer is not known without it (a quick
  /// attempt on an I/O thread then defers to a worker).
  std::optional<std::optional<Principal>> authenticate_cached(const Credentials& credentials) const;

  /// For a session principal and a method other than GET/HEAD/OPTIONS/TRACE,
  /// `header_value` (X-CSRF-Token) must equal the session's CSRF token.
  /// Throws Error(forbidden, "Missing or invalid CSRF token."). Device
  /// principals are exempt (no ambient credential to forge).
  void check_csrf(const Principal& principal, std::string_view method,
                  std::optional<std::string_view> header_value) const;

  /// Drop cached principals now (this instance) after a revocation, a role
  /// change or a disable, and tell the observer (open streams end); other
  /// instances catch up through the store's credential revision, which
  /// their LiveStreams watcher polls (every 250 ms) and answers with
  /// forget_all().
  void forget_user(UserId user);
  void forget_device(DeviceId device);
  void forget_all();

  /// What `token_hash` (of a session cookie or a device token) resolves to
  /// now, read from the store without the cache and without touching "last
  /// seen"; nullopt when it no longer resolves (ended, revoked, expired,
  /// account disabled). Throws Error(unavailable) when the store cannot be
  /// read.
  std::optional<Resolved> resolve(Principal::Via via, const std::string& token_hash);

  /// Sets the one observer of credential changes (or clears it with an
  /// empty function). It is called after the change, on the changing thread.
  void observe(std::function<void(const CredentialChange&)> observer);

  /// Deletes expired sessions (call periodically); returns nothing.
  void purge_expired_sessions();

  const AuthOptions& options() const { return options_; }

 private:
  std::optional<Principal> authenticate_session(std::string_view token);
  std::optional<Principal> authenticate_device(std::string_view token);
  void notify(const CredentialChange& change);
  const std::string& dummy_hash();
  [[noreturn]] void reject_login(std::string_view login, std::optional<UserId> user, std::string_view reason,
                                 std::string_view remote_addr);

  storage::Store& store_;
  const IClock& clock_;
  AuthOptions options_;
  PrincipalCache cache_;
  std::counting_semaphore<> hashing_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::mutex observer_mutex_;
  std::function<void(const CredentialChange&)> observer_;
};

}  // namespace visor::auth
