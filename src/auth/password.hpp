#pragma once
// Password hashing (Argon2id through libsodium) and the password policy.
//
// Hashes are libsodium's self-describing strings ("$argon2id$v=19$m=…,t=…,
// p=1$salt$hash"), so a stored hash keeps verifying after the configured cost
// changes; `needs_rehash` tells the login path to upgrade it.
#include <cstddef>
#include <string>
#include <string_view>

#include "util/secret.hpp"

namespace visor::auth {

/// Argon2id work factors: `ops` passes over `mem` bytes (parallelism 1).
struct PasswordCost {
  unsigned long long ops = 3;
  std::size_t mem = std::size_t{64} << 20;

  /// The production default: 3 passes over 64 MiB. libsodium's INTERACTIVE
  /// is 2 × 64 MiB and MODERATE 3 × 256 MiB (~0.4 s here, and 256 MiB per
  /// concurrent login); 3 × 64 MiB is one pass stronger than INTERACTIVE and
  /// well above OWASP's floor (2 × 19 MiB), and verifies in ~80 ms on one
  /// core of the reference 2-core box — under 0.5 s even on a board 5× slower.
  static PasswordCost production() { return {}; }
  /// libsodium's minimum (1 pass, 8 KiB): for tests only.
  static PasswordCost minimum();

  friend bool operator==(const PasswordCost&, const PasswordCost&) = default;
};

/// Shortest and longest accepted passwords, in bytes.
inline constexpr std::size_t kMinPasswordBytes = 10;
inline constexpr std::size_t kMaxPasswordBytes = 256;

/// Checks a new password against the policy: 10–256 bytes, valid UTF-8, not
/// the login itself (case-insensitive). Throws Error(invalid_input) with a
/// message written for the person choosing the password. Never echoes it.
void check_password_policy(const Secret& password, std::string_view login);

/// Hashes with Argon2id and a fresh random salt. Throws Error(internal) if
/// libsodium cannot allocate `cost.mem`.
std::string hash_password(const Secret& password, const PasswordCost& cost);

/// True when `password` matches `hash`. A malformed hash is a mismatch.
/// Takes about as long as hashing with the hash's own cost.
bool verify_password(std::string_view hash, const Secret& password);

/// True when `hash` was made with a different cost or algorithm than `cost`
/// (or is malformed), so that it should be recomputed at the next login.
bool needs_rehash(std::string_view hash, const PasswordCost& cost);

}  // namespace visor::auth
