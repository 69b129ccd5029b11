#include "auth/authenticator.hpp"

#include <algorithm>

#include "auth/audit.hpp"
#include "auth/text.hpp"
#include "auth/tokens.hpp"
#include "util/log.hpp"

namespace visor::auth {
namespace {

constexpr std::string_view kBadCredentials = "Login or password is incorrect.";
constexpr std::size_t kMaxLoginBytes = 256;

// Releases an Argon2 slot on every path.
class HashingSlot {
 public:
  explicit HashingSlot(std::counting_semaphore<>& s) : s_(s) { s_.acquire(); }
  ~HashingSlot() { s_.release(); }
  HashingSlot(const HashingSlot&) = delete;
  HashingSlot& operator=(const HashingSlot&) = delete;

 private:
  std::counting_semaphore<>& s_;
};

Principal principal_of(const User& u) {
  Principal p;
  p.user = u.id;
  p.role = u.role;
  p.team = u.team_id;
  p.login = u.login;
  p.name = u.name;
  p.locale = u.locale;
  return p;
}

// The attempted login as it may appear in the audit log: bounded, and valid
// UTF-8 so that the detail stays valid JSON.
std::string printable_login(std::string_view login) {
  if (login.size() > 64) login = login.substr(0, 64);
  while (!login.empty() && !utf8_length(login)) login.remove_suffix(1);
  return has_control_chars(login) ? std::string("(unprintable)") : std::string(login);
}

bool is_safe_method(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE"; }

}  // namespace

std::string LoginResult::set_cookie_header() const {
  std::string h = cookie_name + "=" + std::string(session_token.reveal()) +
                  "; Path=/; Max-Age=" + std::to_string(cookie_max_age.count()) + "; HttpOnly; SameSite=Strict";
  if (cookie_secure) h += "; Secure";
  return h;
}

Authenticator::Authenticator(storage::Store& store, const IClock& clock, AuthOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      cache_(options_.cache_ttl, options_.cache_capacity),
      hashing_(std::max(1, options_.max_concurrent_hashes)) {
  if (options_.cache_ttl > Millis(5000)) invalid("The credential cache TTL must be at most 5 seconds.");
  if (options_.session_idle <= std::chrono::seconds(0) || options_.session_max < options_.session_idle) {
    invalid("Session lifetimes must be positive, the maximum at least the idle timeout.");
  }
}

Authenticator::~Authenticator() = default;

const std::string& Authenticator::dummy_hash() {
  std::call_once(dummy_once_, [&] {
    HashingSlot slot(hashing_);
    dummy_hash_ = hash_password(random_token(), options_.password_cost);
  });
  return dummy_hash_;
}

LoginResult Authenticator::login(std::string_view login, const Secret& password, std::string_view remote_addr) {
  const std::string name = ascii_lower(trim(login));
  if (name.empty() || password.empty()) invalid("Enter your login and password.");
  const TimePoint now = clock_.now();

  // The attempt is recorded, per account and per address, in the same step
  // as the check (throttle.hpp): under concurrency no extra attempt passes.
  // It counts as a failure until the password turns out right.
  struct Snapshot {
    std::optional<User> user;
    std::string hash;
    std::chrono::seconds wait{0};
    std::optional<std::int64_t> address_attempt;
  };
  const AuditSource anonymous{std::nullopt, "public", std::string(remote_addr)};
  Snapshot snap = store_.write_value([&](storage::Tx& tx) {
    Snapshot s;
    const Attempt account = try_attempt(tx.auth(), account_key(name), options_.per_account, now);
    const Attempt address = try_attempt(tx.auth(), address_key(remote_addr), options_.per_address, now);
    if (!account.allowed() || !address.allowed()) {
      if (account.id) tx.auth().forget_failure(*account.id);
      if (address.id) tx.auth().forget_failure(*address.id);
      s.wait = std::max(account.wait, address.wait);
      audit(tx, now, anonymous, "auth.login_throttled", "user", std::string(),
            {{"login", printable_login(name)},
             {"limit", !account.allowed() ? "account" : "address"},
             {"retry_after", std::to_string(s.wait.count())}});
      return s;
    }
    s.address_attempt = address.id;
    if (name.size() > kMaxLoginBytes) return s;
    s.user = tx.users().get_by_login(name);
    if (s.user) s.hash = tx.users().password_hash(s.user->id);
    return s;
  });
  if (snap.wait > std::chrono::seconds(0)) {
    log::warn("auth", "login throttled", {{"remote", remote_addr}});
    throw RateLimited("Too many failed sign-in attempts. " + retry_phrase(snap.wait), snap.wait);
  }

  // Unknown logins (and accounts without a local password) are verified
  // against a dummy hash of the same cost: same answer, same time.
  const bool has_hash = snap.user && !snap.hash.empty();
  const std::string& hash = has_hash ? snap.hash : dummy_hash();
  bool match = false;
  {
    HashingSlot slot(hashing_);
    match = verify_password(hash, password) && has_hash;
  }
  if (!match) {
    reject_login(name, snap.user ? std::optional(snap.user->id) : std::nullopt,
                 snap.user ? "wrong_password" : "unknown_login", remote_addr);
  }
  const User& user = *snap.user;
  const AuditSource source{user.id, user.login, std::string(remote_addr)};
  if (!user.active) {
    store_.write([&](storage::Tx& tx) {
      audit(tx, now, source, "auth.login_denied", "user", std::to_string(user.id.value), {{"reason", "disabled"}});
    });
    fail(ErrorCode::forbidden, "This account is disabled. Ask an administrator to enable it.");
  }

  std::optional<std::string> new_hash;
  if (needs_rehash(snap.hash, options_.password_cost)) {
    HashingSlot slot(hashing_);
    new_hash = hash_password(password, options_.password_cost);
  }

  LoginResult result;
  result.session_token = random_token();
  result.csrf_token = new_csrf_token();
  storage::SessionRecord session;
  session.token_hash = hash_token(result.session_token);
  session.user_id = user.id;
  session.csrf_token = result.csrf_token;
  session.created_at = now;
  session.expires_at = now + std::min(options_.session_idle, options_.session_max);
  session.last_seen_at = now;
  session.remote_addr = std::string(remote_addr);
  store_.write([&](storage::Tx& tx) {
    tx.auth().insert_session(session);
    tx.auth().clear_login_failures(account_key(name));
    if (snap.address_attempt) tx.auth().forget_failure(*snap.address_attempt);
    if (new_hash) tx.users().set_password_hash(user.id, *new_hash);
    audit(tx, now, source, "auth.login", "user", std::to_string(user.id.value),
          {{"via", "password"}, {"rehashed", new_hash ? "true" : "false"}});
  });

  result.principal = principal_of(user);
  result.principal.via = Principal::Via::session;
  result.principal.csrf_token = result.csrf_token;
  result.expires_at = session.expires_at;
  result.cookie_name = options_.cookie_name;
  result.cookie_secure = options_.secure_cookie;
  result.cookie_max_age = options_.session_max;
  return result;
}

void Authenticator::reject_login(std::string_view login, std::optional<UserId> user, std::string_view reason,
                                 std::string_view remote_addr) {
  const TimePoint now = clock_.now();
  store_.write([&](storage::Tx& tx) {
    // The attempt was recorded as a failure when it was let through.
    audit(tx, now, AuditSource{std::nullopt, "public", std::string(remote_addr)}, "auth.login_failed", "user",
          user ? std::to_string(user->value) : std::string(),
          {{"login", printable_login(login)}, {"reason", std::string(reason)}});
  });
  fail(ErrorCode::unauthenticated, std::string(kBadCredentials));
}

void Authenticator::logout(std::string_view session_token, std::string_view remote_addr) {
  if (!looks_like_session_token(session_token)) return;
  const std::string hash = hash_token(session_token);
  cache_.erase(hash);
  const TimePoint now = clock_.now();
  store_.write([&](storage::Tx& tx) {
    const auto session = tx.auth().find_session(hash);
    if (!session) return;
    tx.auth().delete_session(hash);
    const auto user = tx.users().get(session->user_id);
    audit(tx, now, AuditSource{session->user_id, user ? user->login : std::string(), std::string(remote_addr)},
          "auth.logout", "user", std::to_string(session->user_id.value));
  });
  CredentialChange change;
  change.kind = CredentialChange::Kind::session;
  change.token_hash = hash;
  notify(change);
}

std::string Authenticator::clear_cookie_header() const {
  std::string h = options_.cookie_name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
  if (options_.secure_cookie) h += "; Secure";
  return h;
}

std::optional<Principal> Authenticator::authenticate(const Credentials& credentials) {
  if (credentials.bearer) return authenticate_device(*credentials.bearer);
  if (credentials.session_cookie) return authenticate_session(*credentials.session_cookie);
  return std::nullopt;
}

std::optional<std::optional<Principal>> Authenticator::authenticate_cached(const Credentials& credentials) const {
  const auto now_ms = clock_.now_ms();
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(now_ms);
  if (credentials.bearer) {
    if (!looks_like_device_token(*credentials.bearer)) return std::optional<Principal>{};
    if (auto hit = cache_.find(hash_token(*credentials.bearer), now_ms)) return std::optional(std::move(hit->principal));
    return std::nullopt;
  }
  if (credentials.session_cookie) {
    if (!looks_like_session_token(*credentials.session_cookie)) return std::optional<Principal>{};
    auto hit = cache_.find(hash_token(*credentials.session_cookie), now_ms);
    if (hit && hit->expires_at && now < *hit->expires_at) return std::optional(std::move(hit->principal));
    return std::nullopt;
  }
  return std::optional<Principal>{};
}

std::optional<Principal> Authenticator::authenticate_session(std::string_view token) {
  if (!looks_like_session_token(token)) return std::nullopt;
  const auto now_ms = clock_.now_ms();
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(now_ms);
  const std::string hash = hash_token(token);
  if (auto hit = cache_.find(hash, now_ms); hit && hit->expires_at && now < *hit->expires_at) {
    return std::move(hit->principal);
  }

  struct Found {
    storage::SessionRecord session;
    User user;
  };
  const auto found = store_.read_value([&](storage::Tx& tx) -> std::optional<Found> {
    auto session = tx.auth().find_session(hash);
    if (!session) return std::nullopt;
    auto user = tx.users().get(session->user_id);
    if (!user) return std::nullopt;
    return Found{std::move(*session), std::move(*user)};
  });
  if (!found || now >= found->session.expires_at || !found->user.active) {
    cache_.erase(hash);
    return std::nullopt;
  }

  TimePoint expires = found->session.expires_at;
  if (now - found->session.last_seen_at >= options_.touch_interval) {
    expires = std::min(now + options_.session_idle, found->session.created_at + options_.session_max);
    store_.write([&](storage::Tx& tx) { tx.auth().touch_session(hash, now, expires); });
  }
  Principal p = principal_of(found->user);
  p.via = Principal::Via::session;
  p.csrf_token = found->session.csrf_token;
  cache_.put(hash, PrincipalCache::Entry{p, expires}, now_ms);
  return p;
}

std::optional<Principal> Authenticator::authenticate_device(std::string_view token) {
  if (!looks_like_device_token(token)) return std::nullopt;
  const auto now_ms = clock_.now_ms();
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(now_ms);
  const std::string hash = hash_token(token);
  if (auto hit = cache_.find(hash, now_ms)) return std::move(hit->principal);

  struct Found {
    storage::DeviceRecord device;
    User user;
  };
  const auto found = store_.read_value([&](storage::Tx& tx) -> std::optional<Found> {
    auto device = tx.auth().find_device_by_token(hash);
    if (!device || device->revoked_at) return std::nullopt;
    auto user = tx.users().get(device->user_id);
    if (!user) return std::nullopt;
    return Found{std::move(*device), std::move(*user)};
  });
  if (!found || !found->user.active) return std::nullopt;

  const auto& last = found->device.last_used_at;
  if (!last || now - *last >= options_.touch_interval) {
    store_.write([&](storage::Tx& tx) { tx.auth().touch_device(found->device.id, now); });
  }
  Principal p = principal_of(found->user);
  p.via = Principal::Via::device;
  p.device = found->device.id;
  p.device_name = found->device.name;
  cache_.put(hash, PrincipalCache::Entry{p, std::nullopt}, now_ms);
  return p;
}

void Authenticator::check_csrf(const Principal& principal, std::string_view method,
                               std::optional<std::string_view> header_value) const {
  if (principal.via != Principal::Via::session || is_safe_method(method)) return;
  if (!header_value || principal.csrf_token.empty() || !constant_time_equal(*header_value, principal.csrf_token)) {
    fail(ErrorCode::forbidden, "Missing or invalid CSRF token.");
  }
}

void Authenticator::forget_user(UserId user) {
  cache_.erase_if([&](const Principal& p) { return p.user == user; });
  CredentialChange change;
  change.kind = CredentialChange::Kind::user;
  change.user = user;
  notify(change);
}

void Authenticator::forget_device(DeviceId device) {
  cache_.erase_if([&](const Principal& p) { return p.device == device; });
  CredentialChange change;
  change.kind = CredentialChange::Kind::device;
  change.device = device;
  notify(change);
}

void Authenticator::forget_all() {
  cache_.clear();
  notify(CredentialChange{});
}

void Authenticator::observe(std::function<void(const CredentialChange&)> observer) {
  std::lock_guard lock(observer_mutex_);
  observer_ = std::move(observer);
}

void Authenticator::notify(const CredentialChange& change) {
  std::function<void(const CredentialChange&)> observer;
  {
    std::lock_guard lock(observer_mutex_);
    observer = observer_;
  }
  if (observer) observer(change);
}

std::optional<Resolved> Authenticator::resolve(Principal::Via via, const std::string& token_hash) {
  const TimePoint now = clock_.now();
  return store_.read_value([&](storage::Tx& tx) -> std::optional<Resolved> {
    if (via == Principal::Via::session) {
      const auto session = tx.auth().find_session(token_hash);
      if (!session || now >= session->expires_at) return std::nullopt;
      const auto user = tx.users().get(session->user_id);
      if (!user || !user->active) return std::nullopt;
      Resolved r{principal_of(*user), session->expires_at};
      r.principal.via = Principal::Via::session;
      r.principal.csrf_token = session->csrf_token;
      return r;
    }
    const auto device = tx.auth().find_device_by_token(token_hash);
    if (!device || device->revoked_at) return std::nullopt;
    const auto user = tx.users().get(device->user_id);
    if (!user || !user->active) return std::nullopt;
    Resolved r{principal_of(*user), std::nullopt};
    r.principal.via = Principal::Via::device;
    r.principal.device = device->id;
    r.principal.device_name = device->name;
    return r;
  });
}

void Authenticator::purge_expired_sessions() {
  const TimePoint now = clock_.now();
  store_.write([&](storage::Tx& tx) { tx.auth().delete_expired_sessions(now); });
}

}  // namespace visor::auth
