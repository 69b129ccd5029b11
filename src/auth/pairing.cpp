#include "auth/pairing.hpp"

#include <algorithm>

#include "auth/policy.hpp"
#include "auth/text.hpp"
#include "auth/tokens.hpp"
#include "util/log.hpp"

namespace visor::auth {
namespace {

// The settings key holding the fleet's display profile.
constexpr std::string_view kFleetProfileKey = "devices.fleet_profile";

constexpr std::string_view kUnknownCode =
    "This pairing code is unknown, used or expired. Create a new one in the console.";

std::string profile_list() {
  std::string out;
  for (std::string_view p : kDeviceProfiles) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

}  // namespace

void check_device_profile(std::string_view profile) {
  if (std::find(kDeviceProfiles.begin(), kDeviceProfiles.end(), profile) == kDeviceProfiles.end()) {
    invalid("Unknown device profile \"" + std::string(profile.substr(0, 32)) + "\": use one of " + profile_list() +
            ".");
  }
}

std::string fleet_profile(storage::Tx& tx) {
  const auto stored = tx.settings().get(kFleetProfileKey);
  const bool known = stored && std::find(kDeviceProfiles.begin(), kDeviceProfiles.end(), *stored) != kDeviceProfiles.end();
  return known ? *stored : std::string(kDeviceProfiles.front());
}

void remember_fleet_profile(storage::Tx& tx, std::string_view profile) {
  check_device_profile(profile);
  if (profile == "phone") return;
  if (tx.settings().get(kFleetProfileKey) != profile) tx.settings().put(kFleetProfileKey, std::string(profile));
}

std::string check_device_name(std::string_view name) {
  name = trim(name);
  const auto length = utf8_length(name);
  if (!length || has_control_chars(name)) invalid("The device name must be plain text.");
  if (*length < 1 || *length > 64) invalid("The device name must be 1 to 64 characters long.");
  return std::string(name);
}

PairingService::PairingService(storage::Store& store, const IClock& clock, PairingOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  while (options_.public_base_url.ends_with('/')) options_.public_base_url.pop_back();
}

PairingCode PairingService::create(const Acting& by, UserId user_id, std::string_view device_name,
                                   std::string_view profile) {
  require(by, Permission::device_pair);
  const std::string name = check_device_name(device_name);
  if (!profile.empty()) check_device_profile(profile);
  const TimePoint now = clock_.now();

  PairingCode out;
  out.code = new_pairing_code();
  out.expires_at = now + options_.code_ttl;
  out.qr_text = options_.public_base_url + "/hud/#pair=" + out.code;
  store_.write([&](storage::Tx& tx) {
    const auto user = tx.users().get(user_id);
    if (!user) not_found("No such user.");
    if (!may_manage(by, user->id, user->role)) {
      fail(ErrorCode::forbidden, "You may pair devices only for technicians and yourself.");
    }
    if (!user->active) fail(ErrorCode::conflict, "This account is disabled: enable it before pairing a device.");
    if (profile.empty()) out.profile = auth::fleet_profile(tx);
    else {
      out.profile = std::string(profile);
      remember_fleet_profile(tx, profile);
    }
    tx.auth().insert_pairing(storage::PairingRecord{hash_pairing_code(out.code), user->id, name, out.profile,
                                                    out.expires_at});
    audit(tx, now, by.source(), "device.pairing_create", "user", std::to_string(user->id.value),
          {{"device_name", name}, {"profile", out.profile}});
  });
  return out;
}

IssuedDevice PairingService::redeem(std::string_view code, std::string_view remote_addr) {
  const TimePoint now = clock_.now();
  const std::string key = pairing_address_key(remote_addr);
  const auto canonical = normalize_pairing_code(code);
  const AuditSource anonymous{std::nullopt, "public", std::string(remote_addr)};
  // One transaction: the throttle's check and record, the code's use, and
  // the audit entry of a refusal (kept: a refusal commits, it does not throw).
  struct Outcome {
    std::optional<IssuedDevice> issued;
    std::chrono::seconds wait{0};
  };
  Outcome out = store_.write_value([&](storage::Tx& tx) {
    Outcome o;
    const Attempt attempt = try_attempt(tx.auth(), key, options_.per_address, now);
    if (!attempt.allowed()) {
      o.wait = attempt.wait;
      audit(tx, now, anonymous, "device.pairing_throttled", "pairing", std::string(),
            {{"retry_after", std::to_string(o.wait.count())}});
      return o;
    }
    std::optional<storage::PairingRecord> pairing;
    if (canonical) pairing = tx.auth().take_pairing(hash_pairing_code(*canonical), now);
    std::optional<User> user;
    if (pairing) user = tx.users().get(pairing->user_id);
    if (!user || !user->active) {
      // Wrong, used, expired, or for an account disabled since: one answer;
      // the attempt stays recorded as a failure.
      audit(tx, now, anonymous, "device.pairing_failed", "pairing", std::string(),
            {{"reason", !pairing ? "unknown_code" : "account_disabled"}});
      return o;
    }
    tx.auth().forget_failure(*attempt.id);
    const AuditSource source{user->id, "device:" + pairing->device_name, std::string(remote_addr)};
    o.issued = issue(tx, *user, pairing->device_name, pairing->profile, source, "device.pair", now);
    return o;
  });
  if (out.wait > std::chrono::seconds(0)) {
    log::warn("auth", "pairing throttled", {{"remote", remote_addr}});
    throw RateLimited("Too many wrong pairing codes. " + retry_phrase(out.wait), out.wait);
  }
  if (!out.issued) not_found(std::string(kUnknownCode));
  return std::move(*out.issued);
}

void PairingService::revoke(const Acting& by, DeviceId device_id) {
  const TimePoint now = clock_.now();
  store_.write([&](storage::Tx& tx) {
    const auto device = tx.auth().device(device_id);
    if (!device) not_found("No such device.");
    const bool own = by.actor && by.actor->user == device->user_id;
    if (!own) {
      require(by, Permission::device_admin);
      const auto owner = tx.users().get(device->user_id);
      if (owner && !may_manage(by, owner->id, owner->role)) {
        fail(ErrorCode::forbidden, "You may revoke devices only of technicians and yourself.");
      }
    }
    if (device->revoked_at) return;
    tx.auth().revoke_device(device_id, now);
    audit(tx, now, by.source(), "device.revoke", "device", std::to_string(device_id.value),
          {{"device_name", device->name}, {"user", std::to_string(device->user_id.value)}});
  });
}

std::string PairingService::fleet_profile() {
  return store_.read_value([&](storage::Tx& tx) { return auth::fleet_profile(tx); });
}

std::vector<storage::DeviceRecord> PairingService::list(std::optional<UserId> user) {
  return store_.read_value([&](storage::Tx& tx) { return tx.auth().devices(user); });
}

IssuedDevice PairingService::create_token(const Acting& by, UserId user_id, std::string_view device_name,
                                         std::string_view profile) {
  const std::string name = check_device_name(device_name);
  check_device_profile(profile);
  const TimePoint now = clock_.now();
  return store_.write_value([&](storage::Tx& tx) {
    const auto user = tx.users().get(user_id);
    if (!user) not_found("No such user.");
    if (!user->active) fail(ErrorCode::conflict, "This account is disabled: enable it before creating a token.");
    return issue(tx, *user, name, std::string(profile), by.source(), "device.token_create", now);
  });
}

IssuedDevice PairingService::issue(storage::Tx& tx, const User& user, const std::string& name,
                                   const std::string& profile, const AuditSource& source, std::string_view action,
                                   TimePoint now) {
  IssuedDevice out;
  out.token = new_device_token();
  out.device.user_id = user.id;
  out.device.name = name;
  out.device.profile = profile;
  out.device.token_hash = hash_token(out.token);
  out.device.created_at = now;
  out.device.id = tx.auth().insert_device(out.device);
  audit(tx, now, source, std::string(action), "device", std::to_string(out.device.id.value),
        {{"device_name", name}, {"profile", profile}, {"user", std::to_string(user.id.value)}});
  return out;
}

}  // namespace visor::auth
