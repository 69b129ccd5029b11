#include "auth/password.hpp"

#include <sodium.h>

#include <string>

#include "auth/sodium.hpp"
#include "auth/text.hpp"
#include "util/error.hpp"

namespace visor::auth {

PasswordCost PasswordCost::minimum() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

void check_password_policy(const Secret& password, std::string_view login) {
  const std::string_view p = password.reveal();
  if (p.size() < kMinPasswordBytes) {
    invalid("The password is too short: use at least " + std::to_string(kMinPasswordBytes) + " characters.");
  }
  if (p.size() > kMaxPasswordBytes) {
    invalid("The password is too long: use at most " + std::to_string(kMaxPasswordBytes) + " bytes.");
  }
  if (!utf8_length(p)) invalid("The password is not valid UTF-8 text.");
  if (!login.empty() && ascii_lower(p) == ascii_lower(login)) {
    invalid("The password must not be the same as the login.");
  }
}

std::string hash_password(const Secret& password, const PasswordCost& cost) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  const std::string_view p = password.reveal();
  if (crypto_pwhash_str_alg(out, p.data(), p.size(), cost.ops, cost.mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(ErrorCode::internal, "The password could not be hashed.",
                "crypto_pwhash_str_alg failed (out of memory?)");
  }
  return std::string(out);
}

bool verify_password(std::string_view hash, const Secret& password) {
  ensure_sodium();
  // libsodium wants a NUL-terminated string of at most STRBYTES - 1 chars.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char buf[crypto_pwhash_STRBYTES] = {};
  hash.copy(buf, hash.size());
  const std::string_view p = password.reveal();
  return crypto_pwhash_str_verify(buf, p.data(), p.size()) == 0;
}

bool needs_rehash(std::string_view hash, const PasswordCost& cost) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  char buf[crypto_pwhash_STRBYTES] = {};
  hash.copy(buf, hash.size());
  // Checks the algorithm too: an argon2i hash given argon2id limits is "needs rehash".
  return crypto_pwhash_argon2id_str_needs_rehash(buf, cost.ops, cost.mem) != 0;
}

}  // namespace visor::auth
