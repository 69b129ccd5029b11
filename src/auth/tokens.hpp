#pragma once
// Bearer secrets and how they are stored. A token is 32 random bytes written
// as base64url without padding (43 characters). The store only ever sees its
// SHA-256 (hex): a database leak yields nothing that authenticates.
//
//  - session token: the `visor_session` cookie value;
//  - device token:  `vdt_` + token, the glasses' bearer token — the prefix
//                   makes a leaked one easy to grep for (logs, repos);
//  - CSRF token:    a token sent to the page; not a credential on its own;
//  - pairing code:  6 characters from an unambiguous alphabet, typed or
//                   scanned once within minutes, hashed like tokens.
#include <optional>
#include <string>
#include <string_view>

#include "util/secret.hpp"

namespace visor::auth {

inline constexpr std::size_t kTokenBytes = 32;
/// Length of `random_token()` output: base64url of 32 bytes, no padding.
inline constexpr std::size_t kTokenChars = 43;
inline constexpr std::string_view kDeviceTokenPrefix = "vdt_";
/// Pairing codes avoid 0/O, 1/I/L: 23 letters + 8 digits (31^6 ≈ 8.9e8).
inline constexpr std::string_view kPairingAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
inline constexpr std::size_t kPairingCodeChars = 6;

/// 32 random bytes as base64url without padding.
Secret random_token();
/// A device token: `vdt_` + random_token().
Secret new_device_token();
/// A CSRF token (same shape as random_token; given to the page, so plain).
std::string new_csrf_token();

/// True when `token` has the shape of a device token (prefix + 43 base64url
/// characters): lets callers reject garbage without a store lookup.
bool looks_like_device_token(std::string_view token);
/// True when `token` has the shape of a session token.
bool looks_like_session_token(std::string_view token);

/// Lowercase hex SHA-256 of the token: what the store keeps and looks up.
std::string hash_token(std::string_view token);
inline std::string hash_token(const Secret& token) { return hash_token(token.reveal()); }

/// Compares in time independent of where the inputs differ (the lengths may
/// leak, which is fine for fixed-length tokens).
bool constant_time_equal(std::string_view a, std::string_view b);

/// A fresh pairing code (uniform over the alphabet).
std::string new_pairing_code();
/// The canonical form of a code as typed: case-insensitive, spaces and
/// dashes ignored ("abc-234" → "ABC234"). Nullopt when it cannot be a code.
std::optional<std::string> normalize_pairing_code(std::string_view typed);
/// Hash of a canonical pairing code for the store (domain-separated from
/// token hashes).
std::string hash_pairing_code(std::string_view canonical_code);

}  // namespace visor::auth
