// AuthRepository: browser sessions, device tokens, pairing codes and login
// throttling. Only hashes of secrets reach this layer.
#include <string>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, remote_addr) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kFindSession =
    "SELECT token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, remote_addr FROM sessions "
    "WHERE token_hash = $1";
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = $1";
constexpr std::string_view kDeleteSessionsOf = "DELETE FROM sessions WHERE user_id = $1";
constexpr std::string_view kDeleteExpired = "DELETE FROM sessions WHERE expires_at <= $1";

#define VISOR_DEVICE_COLUMNS "id, user_id, name, profile, token_hash, created_at, last_used_at, revoked_at"
constexpr std::string_view kInsertDevice =
    "INSERT INTO devices (user_id, name, profile, token_hash, created_at, last_used_at, revoked_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
constexpr std::string_view kDeviceByToken = "SELECT " VISOR_DEVICE_COLUMNS " FROM devices WHERE token_hash = $1";
constexpr std::string_view kDevice = "SELECT " VISOR_DEVICE_COLUMNS " FROM devices WHERE id = $1";
constexpr std::string_view kDevicesAll = "SELECT " VISOR_DEVICE_COLUMNS " FROM devices ORDER BY id";
constexpr std::string_view kDevicesOf = "SELECT " VISOR_DEVICE_COLUMNS " FROM devices WHERE user_id = $1 ORDER BY id";
#undef VISOR_DEVICE_COLUMNS
constexpr std::string_view kTouchDevice = "UPDATE devices SET last_used_at = $2 WHERE id = $1";
constexpr std::string_view kRevokeDevice =
    "UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1";
constexpr std::string_view kDeviceProfile = "UPDATE devices SET profile = $2 WHERE id = $1";

constexpr std::string_view kInsertPairing =
    "INSERT INTO pairings (code_hash, user_id, device_name, profile, expires_at) VALUES ($1, $2, $3, $4, $5)";
// A code is single-use: it is deleted whether or not it is still valid.
constexpr std::string_view kTakePairing =
    "DELETE FROM pairings WHERE code_hash = $1 RETURNING code_hash, user_id, device_name, profile, expires_at";
constexpr std::string_view kDeleteExpiredPairings = "DELETE FROM pairings WHERE expires_at <= $1";

constexpr std::string_view kRecordFailure = "INSERT INTO login_failures (key, at) VALUES ($1, $2)";
constexpr std::string_view kCountFailures = "SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2";
constexpr std::string_view kClearFailures = "DELETE FROM login_failures WHERE key = $1";
// Writing the key's row first serialises concurrent checks of one key: on
// PostgreSQL the row stays locked until commit; SQLite has one writer.
constexpr std::string_view kLockThrottleKey =
    "INSERT INTO throttle_keys (key) VALUES ($1) ON CONFLICT (key) DO UPDATE SET key = excluded.key";
constexpr std::string_view kRecordFailureReturning = "INSERT INTO login_failures (key, at) VALUES ($1, $2) RETURNING id";
constexpr std::string_view kForgetFailure = "DELETE FROM login_failures WHERE id = $1";
constexpr std::string_view kCredentialRevision = "SELECT value FROM credential_revision WHERE id = 1";

DeviceRecord read_device(const Rows& r) {
  Fields f(r);
  DeviceRecord d;
  d.id = f.id<DeviceId>();
  d.user_id = f.id<UserId>();
  d.name = f.str();
  d.profile = f.str();
  d.token_hash = f.str();
  d.created_at = f.time();
  d.last_used_at = f.opt_time();
  d.revoked_at = f.opt_time();
  return d;
}

std::string missing(DeviceId id) { return "Device " + std::to_string(id.value) + " does not exist."; }

}  // namespace

void SqlAuthRepository::insert_session(const SessionRecord& s) {
  ctx_.require_writable();
  ctx_.db().execute(kInsertSession, {arg(s.token_hash), arg(s.user_id), arg(s.csrf_token), arg(s.created_at),
                                     arg(s.expires_at), arg(s.last_seen_at), arg(s.remote_addr)});
}

std::optional<SessionRecord> SqlAuthRepository::find_session(std::string_view token_hash) {
  Rows rows = ctx_.db().query(kFindSession, {arg(token_hash)});
  if (!rows.next()) return std::nullopt;
  Fields f(rows);
  SessionRecord s;
  s.token_hash = f.str();
  s.user_id = f.id<UserId>();
  s.csrf_token = f.str();
  s.created_at = f.time();
  s.expires_at = f.time();
  s.last_seen_at = f.time();
  s.remote_addr = f.str();
  return s;
}

void SqlAuthRepository::touch_session(std::string_view token_hash, TimePoint seen, TimePoint expires) {
  ctx_.require_writable();
  ctx_.db().execute(kTouchSession, {arg(token_hash), arg(seen), arg(expires)});
}

void SqlAuthRepository::delete_session(std::string_view token_hash) {
  ctx_.require_writable();
  if (ctx_.db().execute(kDeleteSession, {arg(token_hash)}) > 0) ctx_.credentials_changed();
}

void SqlAuthRepository::delete_sessions_of(UserId user) {
  ctx_.require_writable();
  if (ctx_.db().execute(kDeleteSessionsOf, {arg(user)}) > 0) ctx_.credentials_changed();
}

void SqlAuthRepository::delete_expired_sessions(TimePoint now) {
  ctx_.require_writable();
  ctx_.db().execute(kDeleteExpired, {arg(now)});
  ctx_.db().execute(kDeleteExpiredPairings, {arg(now)});
}

DeviceId SqlAuthRepository::insert_device(DeviceRecord& d) {
  ctx_.require_writable();
  d.id = DeviceId(returned_id(ctx_.db().query(kInsertDevice, {arg(d.user_id), arg(d.name), arg(d.profile),
                                                              arg(d.token_hash), arg(d.created_at),
                                                              arg(d.last_used_at), arg(d.revoked_at)})));
  return d.id;
}

std::optional<DeviceRecord> SqlAuthRepository::find_device_by_token(std::string_view token_hash) {
  Rows rows = ctx_.db().query(kDeviceByToken, {arg(token_hash)});
  if (!rows.next()) return std::nullopt;
  return read_device(rows);
}

std::optional<DeviceRecord> SqlAuthRepository::device(DeviceId id) {
  Rows rows = ctx_.db().query(kDevice, {arg(id)});
  if (!rows.next()) return std::nullopt;
  return read_device(rows);
}

std::vector<DeviceRecord> SqlAuthRepository::devices(std::optional<UserId> user) {
  std::vector<DeviceRecord> out;
  Rows rows = user ? ctx_.db().query(kDevicesOf, {arg(*user)}) : ctx_.db().query(kDevicesAll);
  while (rows.next()) out.push_back(read_device(rows));
  return out;
}

void SqlAuthRepository::touch_device(DeviceId id, TimePoint used) {
  ctx_.require_writable();
  if (ctx_.db().execute(kTouchDevice, {arg(id), arg(used)}) == 0) not_found(missing(id));
}

void SqlAuthRepository::revoke_device(DeviceId id, TimePoint at) {
  ctx_.require_writable();
  if (ctx_.db().execute(kRevokeDevice, {arg(id), arg(at)}) == 0) not_found(missing(id));
  ctx_.credentials_changed();
}

void SqlAuthRepository::set_device_profile(DeviceId id, const std::string& profile) {
  ctx_.require_writable();
  if (ctx_.db().execute(kDeviceProfile, {arg(id), arg(profile)}) == 0) not_found(missing(id));
}

void SqlAuthRepository::insert_pairing(const PairingRecord& p) {
  ctx_.require_writable();
  ctx_.db().execute(kInsertPairing,
                    {arg(p.code_hash), arg(p.user_id), arg(p.device_name), arg(p.profile), arg(p.expires_at)});
}

std::optional<PairingRecord> SqlAuthRepository::take_pairing(std::string_view code_hash, TimePoint now) {
  ctx_.require_writable();
  Rows rows = ctx_.db().query(kTakePairing, {arg(code_hash)});
  if (!rows.next()) return std::nullopt;
  Fields f(rows);
  PairingRecord p;
  p.code_hash = f.str();
  p.user_id = f.id<UserId>();
  p.device_name = f.str();
  p.profile = f.str();
  p.expires_at = f.time();
  if (p.expires_at <= now) return std::nullopt;
  return p;
}

void SqlAuthRepository::record_login_failure(std::string_view key, TimePoint at) {
  ctx_.require_writable();
  ctx_.db().execute(kRecordFailure, {arg(key), arg(at)});
}

int SqlAuthRepository::login_failures_since(std::string_view key, TimePoint since) {
  return static_cast<int>(ctx_.db().scalar(kCountFailures, {arg(key), arg(since)}).value_or(0));
}

void SqlAuthRepository::clear_login_failures(std::string_view key) {
  ctx_.require_writable();
  ctx_.db().execute(kClearFailures, {arg(key)});
}

std::optional<std::int64_t> SqlAuthRepository::try_record_failure(std::string_view key, TimePoint at,
                                                                  TimePoint since, int max) {
  ctx_.require_writable();
  ctx_.db().execute(kLockThrottleKey, {arg(key)});
  if (login_failures_since(key, since) >= max) return std::nullopt;
  return returned_id(ctx_.db().query(kRecordFailureReturning, {arg(key), arg(at)}));
}

void SqlAuthRepository::forget_failure(std::int64_t id) {
  ctx_.require_writable();
  ctx_.db().execute(kForgetFailure, {arg(id)});
}

std::int64_t SqlAuthRepository::credential_revision() {
  return ctx_.db().scalar(kCredentialRevision).value_or(0);
}

}  // namespace visor::storage::sql
