#pragma once
// People and how they prove who they are: users, browser sessions, device
// tokens for glasses, pairing codes, login throttling. Every secret is stored
// as a hash computed by the auth module; this layer never sees plain tokens.
#include <optional>
#include <string>
#include <vector>

#include "domain/model.hpp"

namespace visor::storage {

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  virtual std::optional<User> get(UserId id) = 0;
  /// Case-insensitive.
  virtual std::optional<User> get_by_login(std::string_view login) = 0;
  virtual std::optional<User> get_by_odoo(OdooId id) = 0;
  virtual std::vector<User> list(bool include_inactive) = 0;
  /// Sets id. Conflict if the login is taken.
  virtual UserId insert(User& user, const std::string& password_hash) = 0;
  virtual void update(const User& user) = 0;
  virtual std::string password_hash(UserId id) = 0;
  virtual void set_password_hash(UserId id, const std::string& hash) = 0;
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 hex of the cookie value
  UserId user_id;
  std::string csrf_token;  // random, sent to the page; not a credential alone
  TimePoint created_at{};
  TimePoint expires_at{};
  TimePoint last_seen_at{};
  std::string remote_addr;
};

struct DeviceRecord {
  DeviceId id;
  UserId user_id;
  std::string name;
  std::string profile;  // display profile: see-through, opaque, phone
  std::string token_hash;
  TimePoint created_at{};
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;
};

struct PairingRecord {
  std::string code_hash;
  UserId user_id;
  std::string device_name;
  std::string profile;
  TimePoint expires_at{};
};

class AuthRepository {
 public:
  virtual ~AuthRepository() = default;

  virtual void insert_session(const SessionRecord& s) = 0;
  virtual std::optional<SessionRecord> find_session(std::string_view token_hash) = 0;
  virtual void touch_session(std::string_view token_hash, TimePoint seen, TimePoint expires) = 0;
  virtual void delete_session(std::string_view token_hash) = 0;
  virtual void delete_sessions_of(UserId user) = 0;
  virtual void delete_expired_sessions(TimePoint now) = 0;

  virtual DeviceId insert_device(DeviceRecord& d) = 0;
  virtual std::optional<DeviceRecord> find_device_by_token(std::string_view token_hash) = 0;
  virtual std::optional<DeviceRecord> device(DeviceId id) = 0;
  virtual std::vector<DeviceRecord> devices(std::optional<UserId> user) = 0;
  virtual void touch_device(DeviceId id, TimePoint used) = 0;
  virtual void revoke_device(DeviceId id, TimePoint at) = 0;
  virtual void set_device_profile(DeviceId id, const std::string& profile) = 0;

  virtual void insert_pairing(const PairingRecord& p) = 0;
  /// Returns and deletes an unexpired pairing with this code hash.
  virtual std::optional<PairingRecord> take_pairing(std::string_view code_hash, TimePoint now) = 0;

  /// Login throttling: failures per key ("login:<name>", "addr:<ip>").
  virtual void record_login_failure(std::string_view key, TimePoint at) = 0;
  virtual int login_failures_since(std::string_view key, TimePoint since) = 0;
  virtual void clear_login_failures(std::string_view key) = 0;
  /// Records a failure of `key` at `at` and returns its id — only when
  /// fewer than `max` are recorded at or after `since`; nullopt otherwise.
  /// Atomic: concurrent calls for one key are serialised (also across
  /// PostgreSQL instances), so never more than `max` pass. An attempt is
  /// recorded before it is made and forgotten if it succeeds.
  virtual std::optional<std::int64_t> try_record_failure(std::string_view key, TimePoint at, TimePoint since,
                                                         int max) = 0;
  /// Removes one recorded failure by id (an attempt that succeeded).
  virtual void forget_failure(std::int64_t id) = 0;

  /// Moves (in the same transaction) whenever a session is deleted, a
  /// device revoked, or an account updated or given a new password — here
  /// or in another process. Open event streams re-check their credential
  /// when it moves.
  virtual std::int64_t credential_revision() = 0;
};

}  // namespace visor::storage
