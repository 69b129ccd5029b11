#include "media/keyring.hpp"

#include <sodium.h>

#include <charconv>

#include "util/error.hpp"

namespace visor::media {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kMac = crypto_aead_xchacha20poly1305_ietf_ABYTES;

std::string setting_of(std::uint32_t generation) { return std::string(kMediaKeyPrefix) + std::to_string(generation); }

// "media.key.7" → 7; nullopt for other keys.
std::optional<std::uint32_t> generation_of(std::string_view key) {
  if (!key.starts_with(kMediaKeyPrefix)) return std::nullopt;
  const std::string_view digits = key.substr(kMediaKeyPrefix.size());
  std::uint32_t g = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), g);
  if (ec != std::errc() || end != digits.data() + digits.size() || g == 0) return std::nullopt;
  return g;
}

// The associated data binds a wrapped key to its generation: a value copied
// to another setting does not open.
std::string ad_of(std::uint32_t generation) { return "visor media key " + std::to_string(generation); }

std::string wrap(const auth::KeyBytes& kek, std::uint32_t generation, const auth::KeyBytes& key) {
  std::string raw(kNonce + key.size() + kMac, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  randombytes_buf(out, kNonce);
  const std::string ad = ad_of(generation);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonce, nullptr, key.data(), key.size(),
                                             reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
                                             out, kek.data());
  std::string text(sodium_base64_ENCODED_LEN(raw.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), out, raw.size(), kVariant);
  text.pop_back();
  return text;
}

std::optional<auth::KeyBytes> unwrap(const auth::KeyBytes& kek, std::uint32_t generation, std::string_view text) {
  std::string raw(text.size(), '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), text.data(), text.size(), nullptr,
                        &len, &end, kVariant) != 0 ||
      end != text.data() + text.size() || len != kNonce + auth::KeyBytes::kSize + kMac) {
    return std::nullopt;
  }
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  const std::string ad = ad_of(generation);
  auth::KeyBytes key;
  unsigned long long out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(key.data(), &out_len, nullptr, in + kNonce, len - kNonce,
                                                 reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), in,
                                                 kek.data()) != 0) {
    return std::nullopt;
  }
  sodium_memzero(raw.data(), raw.size());
  return key;
}

}  // namespace

const auth::KeyBytes* MediaKeys::find(std::uint32_t generation) const {
  const auto it = keys_.find(generation);
  return it == keys_.end() ? nullptr : &it->second;
}

std::uint32_t MediaKeys::current_generation() const {
  if (keys_.empty()) fail(ErrorCode::internal, "No media key is loaded.");
  return keys_.rbegin()->first;
}

const auth::KeyBytes& MediaKeys::current() const { return *find(current_generation()); }

MediaKeys open_media_keys(storage::Tx& tx, const auth::SecretBox& master) {
  const auth::KeyBytes kek = master.derive(auth::KeyPurpose::media_keyring);
  MediaKeys keys;
  for (const auto& [setting, value] : tx.settings().all()) {
    const auto generation = generation_of(setting);
    if (!generation) continue;
    auto key = unwrap(kek, *generation, value);
    if (!key)
      invalid("The media key '" + setting +
              "' does not open with this secret key: the photos were stored under another one.");
    keys.add(*generation, *key);
  }
  if (keys.empty()) {
    auth::KeyBytes fresh;
    randombytes_buf(fresh.data(), fresh.size());
    tx.settings().put(setting_of(1), wrap(kek, 1, fresh));
    keys.add(1, fresh);
  }
  return keys;
}

std::vector<std::string> unopenable_media_keys(storage::Tx& tx, const auth::SecretBox& master) {
  const auth::KeyBytes kek = master.derive(auth::KeyPurpose::media_keyring);
  std::vector<std::string> out;
  for (const auto& [setting, value] : tx.settings().all()) {
    const auto generation = generation_of(setting);
    if (generation && !unwrap(kek, *generation, value)) out.push_back(setting);
  }
  return out;
}

int rewrap_media_keys(storage::Tx& tx, const auth::SecretBox& from, const auth::SecretBox& to) {
  const auth::KeyBytes old_kek = from.derive(auth::KeyPurpose::media_keyring);
  const auth::KeyBytes new_kek = to.derive(auth::KeyPurpose::media_keyring);
  int count = 0;
  for (const auto& [setting, value] : tx.settings().all()) {
    const auto generation = generation_of(setting);
    if (!generation) continue;
    const auto key = unwrap(old_kek, *generation, value);
    if (!key) invalid("The media key '" + setting + "' does not open with the current key: nothing was changed.");
    tx.settings().put(setting, wrap(new_kek, *generation, *key));
    ++count;
  }
  return count;
}

bool plain_files_refused(storage::Tx& tx) { return tx.settings().get(kPlainFilesSetting) == "refused"; }

void refuse_plain_files(storage::Tx& tx) { tx.settings().put(kPlainFilesSetting, "refused"); }

}  // namespace visor::media
