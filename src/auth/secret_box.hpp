#pragma once
// Encryption at rest for secrets Visor must be able to read back (the CMMS
// API key): XSalsa20-Poly1305 (`crypto_secretbox_easy`) under a 32-byte key
// kept in a file of its own, outside the database — a stolen database or
// backup alone reveals nothing.
//
// Sealed form: base64 (standard alphabet, padded) of nonce ‖ ciphertext+MAC.
#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "util/secret.hpp"

namespace visor::auth {

/// The key file inside a data directory, used when no other source is set.
std::filesystem::path default_key_file(const std::filesystem::path& data_dir);

class SecretBox {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  /// Reads the key from `key_file`, or creates it (32 random bytes, mode
  /// 0600, created with O_CREAT|O_EXCL so that the umask cannot widen it and
  /// an existing file is never overwritten). Refuses (Error(invalid_input),
  /// saying what to do) a key file that is readable or writable by group or
  /// others, is not a regular file, or does not hold exactly 32 bytes.
  /// Error(unavailable) when the file cannot be read or created.
  static SecretBox open_or_create(const std::filesystem::path& key_file);

  /// Reads the key from an existing `key_file`, with the same checks as
  /// open_or_create but never creating it (a key kept outside the data
  /// directory, or a systemd credential).
  static SecretBox open(const std::filesystem::path& key_file);

  /// A box over a key held in memory (tests, key rotation tooling).
  static SecretBox from_key(const std::array<unsigned char, kKeyBytes>& key);

  /// A box over the standard base64 text of a 32-byte key (VISOR_SECRET_KEY).
  /// Error(invalid_input) when it is not one.
  static SecretBox from_base64(std::string_view text);

  /// A new random key.
  static SecretBox generate();

  /// Writes the key to a new file (mode 0600, O_EXCL: never over an
  /// existing one) and syncs it to disk. Error(unavailable) on failure.
  void write_new_key_file(const std::filesystem::path& key_file) const;

  /// The base64 text of the key, to hand to an operator once (key rotation
  /// for keys that live in the environment).
  Secret key_base64() const;
  /// The 32 raw bytes, as a key file holds them (a backup asked to keep it).
  Secret key_bytes() const;

  SecretBox(SecretBox&&) noexcept;
  SecretBox& operator=(SecretBox&&) noexcept;
  ~SecretBox();  // wipes the key

  /// Encrypts with a fresh random nonce: the same secret seals differently
  /// every time.
  std::string encrypt(const Secret& plain) const;
  /// Decrypts a value sealed by `encrypt` with the same key. Throws
  /// Error(invalid_input) when the text is not a sealed value, or when it was
  /// altered or sealed under another key (the two are indistinguishable).
  Secret decrypt(std::string_view sealed) const;

 private:
  struct Key;
  explicit SecretBox(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
};

}  // namespace visor::auth
