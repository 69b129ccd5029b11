#include "auth/tokens.hpp"

#include <sodium.h>

#include <array>

#include "auth/sodium.hpp"

namespace visor::auth {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string base64url(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.size() - 1);  // drop the NUL libsodium writes
  return out;
}

std::string random_base64url() {
  ensure_sodium();
  std::array<unsigned char, kTokenBytes> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  std::string out = base64url(bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  return out;
}

bool is_base64url(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string sha256_hex(std::string_view a, std::string_view b) {
  ensure_sodium();
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256_final(&st, digest.data());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

}  // namespace

Secret random_token() { return Secret(random_base64url()); }

Secret new_device_token() { return Secret(std::string(kDeviceTokenPrefix) + random_base64url()); }

std::string new_csrf_token() { return random_base64url(); }

bool looks_like_session_token(std::string_view token) {
  return token.size() == kTokenChars && is_base64url(token);
}

bool looks_like_device_token(std::string_view token) {
  return token.starts_with(kDeviceTokenPrefix) && looks_like_session_token(token.substr(kDeviceTokenPrefix.size()));
}

std::string hash_token(std::string_view token) { return sha256_hex({}, token); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string new_pairing_code() {
  ensure_sodium();
  std::string code(kPairingCodeChars, '\0');
  for (char& c : code) c = kPairingAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kPairingAlphabet.size()))];
  return code;
}

std::optional<std::string> normalize_pairing_code(std::string_view typed) {
  std::string code;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (kPairingAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    if (code.size() == kPairingCodeChars) return std::nullopt;
    code.push_back(c);
  }
  if (code.size() != kPairingCodeChars) return std::nullopt;
  return code;
}

std::string hash_pairing_code(std::string_view canonical_code) {
  return sha256_hex("visor-pairing-code:", canonical_code);
}

}  // namespace visor::auth
