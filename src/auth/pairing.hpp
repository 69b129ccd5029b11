#pragma once
// Pairing glasses with an account without typing a password on them.
//
// A manager (or the technician's admin) creates a pairing code in the
// console; the console shows it as a QR code of `<base>/hud/#pair=<CODE>` and
// as text. The glasses scan it (or someone types the 6 characters), redeem
// it once within 5 minutes, and receive a device token (`vdt_…`) which they
// keep as their bearer token until the device is revoked.
//
// Codes and tokens are stored hashed. Wrong codes are throttled per address
// (10 per 15 minutes by default) so that the 31^6 code space cannot be
// walked.
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/acting.hpp"
#include "auth/throttle.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"
#include "util/secret.hpp"

namespace visor::auth {

/// Display profiles a device may have (the HUD adapts its layout):
/// see-through glasses, opaque displays light or dark (RealWear's own
/// interface is dark), and phones.
inline constexpr std::array<std::string_view, 4> kDeviceProfiles = {"see-through", "opaque", "dark-opaque", "phone"};

/// Throws Error(invalid_input) naming the accepted profiles.
void check_device_profile(std::string_view profile);

/// The profile the plant's glasses use: what the next pairing gets when it
/// names none. The last head-worn profile chosen — at pairing, or switched to
/// on a device — is remembered; "see-through" until one is.
std::string fleet_profile(storage::Tx& tx);
/// Remembers `profile` (checked) as the fleet's. A phone's profile says
/// nothing about the glasses and is not remembered.
void remember_fleet_profile(storage::Tx& tx, std::string_view profile);
/// The trimmed name; Error(invalid_input) unless 1–64 characters of text.
std::string check_device_name(std::string_view name);

struct PairingOptions {
  std::chrono::seconds code_ttl{std::chrono::minutes(5)};
  ThrottleRule per_address{10, std::chrono::minutes(15)};
  /// Visor's public URL ("https://visor.example.com"), the base of the QR
  /// text. Taken from configuration, never from a request's Host header.
  std::string public_base_url;
};

/// A code to show once in the console.
struct PairingCode {
  std::string code;  // 6 characters, e.g. "K7M2QX"
  TimePoint expires_at{};
  std::string qr_text;  // <base>/hud/#pair=<CODE>
  std::string profile;  // the display profile the device will get
};

/// A new device and its token: the token is returned here once and never
/// again (only its hash is kept).
struct IssuedDevice {
  Secret token;
  storage::DeviceRecord device;
};

class PairingService {
 public:
  PairingService(storage::Store& store, const IClock& clock, PairingOptions options = {});

  /// A pairing code for `user`'s next device. Needs device_pair, and
  /// `may_manage` the user (managers: technicians and themselves). An empty
  /// `profile` means the fleet's (fleet_profile); a named one is remembered
  /// as the fleet's. Errors: not_found (no such user), conflict (disabled
  /// user), invalid_input (name/profile), forbidden.
  PairingCode create(const Acting& by, UserId user, std::string_view device_name, std::string_view profile = {});

  /// The profile a pairing that names none gets (see fleet_profile).
  std::string fleet_profile();

  /// Exchanges a code (case-insensitive, spaces/dashes ignored) for a device
  /// token. Single use. Errors: not_found "This pairing code is unknown,
  /// used or expired…", RateLimited after too many wrong codes from
  /// `remote_addr`.
  IssuedDevice redeem(std::string_view code, std::string_view remote_addr);

  /// Revokes a device (idempotent). Allowed to its owner, and to holders of
  /// device_admin who may manage the owner. The device's token stops working
  /// within the authenticator's cache TTL (call Authenticator::forget_device
  /// for immediate effect on this instance).
  void revoke(const Acting& by, DeviceId device);

  /// Devices of one user, or of everyone; revoked ones included.
  std::vector<storage::DeviceRecord> list(std::optional<UserId> user);

  /// A device token without pairing, for the CLI (`visor token create`);
  /// `by` is the operator (for the audit entry).
  IssuedDevice create_token(const Acting& by, UserId user, std::string_view device_name, std::string_view profile);

 private:
  IssuedDevice issue(storage::Tx& tx, const User& user, const std::string& name, const std::string& profile,
                     const AuditSource& source, std::string_view action, TimePoint now);

  storage::Store& store_;
  const IClock& clock_;
  PairingOptions options_;
};

}  // namespace visor::auth
