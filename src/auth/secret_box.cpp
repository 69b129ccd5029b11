#include "auth/secret_box.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "auth/sodium.hpp"
#include "util/error.hpp"

namespace visor::auth {

struct SecretBox::Key {
  std::array<unsigned char, kKeyBytes> bytes{};
  ~Key() { sodium_memzero(bytes.data(), bytes.size()); }
};

namespace {

constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;

// Closes a descriptor on every path.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void fail_io(const std::filesystem::path& path, std::string_view what) {
  throw Error(ErrorCode::unavailable,
              "Cannot " + std::string(what) + " the key file " + path.string() + ": " + std::strerror(errno) + ".");
}

bool write_all(int fd, const unsigned char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Creates a new key file; false when it already exists.
bool create_key_file(const std::filesystem::path& path, std::array<unsigned char, SecretBox::kKeyBytes>& key) {
  Fd f{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
  if (f.fd < 0) {
    if (errno == EEXIST) return false;
    fail_io(path, "create");
  }
  randombytes_buf(key.data(), key.size());
  if (::fchmod(f.fd, 0600) != 0 || !write_all(f.fd, key.data(), key.size()) || ::fsync(f.fd) != 0) {
    const int saved = errno;
    ::unlink(path.c_str());  // never leave a half-written key behind
    errno = saved;
    fail_io(path, "write");
  }
  return true;
}

void read_key_file(const std::filesystem::path& path, std::array<unsigned char, SecretBox::kKeyBytes>& key) {
  Fd f{::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
  if (f.fd < 0) fail_io(path, "open");
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) fail_io(path, "inspect");
  if (!S_ISREG(st.st_mode)) invalid("The key file " + path.string() + " is not a regular file.");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    invalid("The key file " + path.string() + " has mode " + mode +
            ": it must be readable by its owner only. Run: chmod 600 " + path.string());
  }
  if (st.st_size != static_cast<off_t>(SecretBox::kKeyBytes)) {
    invalid("The key file " + path.string() + " holds " + std::to_string(st.st_size) + " bytes, expected " +
            std::to_string(SecretBox::kKeyBytes) + ": it is damaged or not a Visor key.");
  }
  std::size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(f.fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail_io(path, "read");
    got += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::filesystem::path default_key_file(const std::filesystem::path& data_dir) { return data_dir / "secret.key"; }

SecretBox::SecretBox(std::unique_ptr<Key> key) : key_(std::move(key)) {}
SecretBox::SecretBox(SecretBox&&) noexcept = default;
SecretBox& SecretBox::operator=(SecretBox&&) noexcept = default;
SecretBox::~SecretBox() = default;

SecretBox SecretBox::open_or_create(const std::filesystem::path& key_file) {
  ensure_sodium();
  auto key = std::make_unique<Key>();
  if (!create_key_file(key_file, key->bytes)) read_key_file(key_file, key->bytes);
  return SecretBox(std::move(key));
}

SecretBox SecretBox::open(const std::filesystem::path& key_file) {
  ensure_sodium();
  auto key = std::make_unique<Key>();
  read_key_file(key_file, key->bytes);
  return SecretBox(std::move(key));
}

SecretBox SecretBox::from_base64(std::string_view text) {
  ensure_sodium();
  auto key = std::make_unique<Key>();
  std::size_t len = 0;
  const char* end = nullptr;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  if (sodium_base642bin(key->bytes.data(), key->bytes.size(), text.data(), text.size(), nullptr, &len, &end, kVariant) !=
          0 ||
      end != text.data() + text.size() || len != kKeyBytes) {
    invalid("The key is not the base64 text of 32 bytes (make one with: head -c 32 /dev/urandom | base64).");
  }
  return SecretBox(std::move(key));
}

SecretBox SecretBox::generate() {
  ensure_sodium();
  auto key = std::make_unique<Key>();
  randombytes_buf(key->bytes.data(), key->bytes.size());
  return SecretBox(std::move(key));
}

void SecretBox::write_new_key_file(const std::filesystem::path& key_file) const {
  Fd f{::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
  if (f.fd < 0) fail_io(key_file, "create");
  if (::fchmod(f.fd, 0600) != 0 || !write_all(f.fd, key_->bytes.data(), key_->bytes.size()) || ::fsync(f.fd) != 0) {
    const int saved = errno;
    ::unlink(key_file.c_str());
    errno = saved;
    fail_io(key_file, "write");
  }
}

Secret SecretBox::key_base64() const {
  std::string out(sodium_base64_ENCODED_LEN(kKeyBytes, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), key_->bytes.data(), key_->bytes.size(), kVariant);
  out.pop_back();
  return Secret(std::move(out));
}

Secret SecretBox::key_bytes() const {
  return Secret(std::string(reinterpret_cast<const char*>(key_->bytes.data()), key_->bytes.size()));
}

SecretBox SecretBox::from_key(const std::array<unsigned char, kKeyBytes>& bytes) {
  ensure_sodium();
  auto key = std::make_unique<Key>();
  key->bytes = bytes;
  return SecretBox(std::move(key));
}

std::string SecretBox::encrypt(const Secret& plain) const {
  const std::string_view p = plain.reveal();
  std::vector<unsigned char> sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + p.size());
  randombytes_buf(sealed.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(sealed.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(p.data()),
                        p.size(), sealed.data(), key_->bytes.data());
  std::string out(sodium_base64_ENCODED_LEN(sealed.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), sealed.data(), sealed.size(), kVariant);
  out.pop_back();  // the NUL
  return out;
}

Secret SecretBox::decrypt(std::string_view sealed) const {
  std::vector<unsigned char> raw(sealed.size() / 4 * 3 + 3);
  std::size_t raw_len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(raw.data(), raw.size(), sealed.data(), sealed.size(), nullptr, &raw_len, &end, kVariant) != 0 ||
      end != sealed.data() + sealed.size() || raw_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    invalid("The stored secret is not an encrypted value: set it again.");
  }
  const std::size_t body = raw_len - crypto_secretbox_NONCEBYTES;
  std::string plain(body - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), raw.data() + crypto_secretbox_NONCEBYTES,
                                 body, raw.data(), key_->bytes.data()) != 0) {
    invalid(
        "The stored secret cannot be decrypted: it was altered, or encrypted under another key file. "
        "Restore the matching key file or set the secret again.");
  }
  return Secret(std::move(plain));
}

}  // namespace visor::auth
