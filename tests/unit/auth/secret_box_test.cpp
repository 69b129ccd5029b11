#include "auth/secret_box.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/error.hpp"

namespace visor::auth {
namespace {

namespace fs = std::filesystem;

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/visor-secretbox-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static mode_t mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
  }

  static ErrorCode code_of(const std::function<void()>& fn, std::string* detail = nullptr) {
    try {
      fn();
    } catch (const Error& e) {
      if (detail) *detail = e.detail();
      return e.code();
    }
    ADD_FAILURE() << "expected an Error";
    return ErrorCode::internal;
  }

  fs::path dir_;
};

TEST_F(SecretBoxTest, CreatesA0600KeyFileEvenUnderAPermissiveUmask) {
  const fs::path key = dir_ / "secret.key";
  const mode_t old = ::umask(0);
  SecretBox::open_or_create(key);
  ::umask(old);
  EXPECT_EQ(mode_of(key), 0600u);
  EXPECT_EQ(fs::file_size(key), SecretBox::kKeyBytes);
}

TEST_F(SecretBoxTest, RoundTripAcrossReopen) {
  const fs::path key = dir_ / "secret.key";
  const std::string sealed = SecretBox::open_or_create(key).encrypt(Secret("odoo-api-key-123"));
  EXPECT_EQ(sealed.find("odoo-api-key"), std::string::npos);
  const SecretBox again = SecretBox::open_or_create(key);  // reads the same key
  EXPECT_EQ(again.decrypt(sealed).reveal(), "odoo-api-key-123");
  EXPECT_EQ(again.decrypt(again.encrypt(Secret(""))).reveal(), "");
}

TEST_F(SecretBoxTest, SameSecretSealsDifferently) {
  const SecretBox box = SecretBox::open_or_create(dir_ / "k");
  EXPECT_NE(box.encrypt(Secret("x")), box.encrypt(Secret("x")));
}

TEST_F(SecretBoxTest, DetectsTampering) {
  const SecretBox box = SecretBox::open_or_create(dir_ / "k");
  std::string sealed = box.encrypt(Secret("odoo-api-key-123"));
  // Flip one bit of the ciphertext (decode, flip, encode).
  std::vector<unsigned char> raw(sealed.size());
  std::size_t len = 0;
  ASSERT_EQ(sodium_base642bin(raw.data(), raw.size(), sealed.data(), sealed.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL),
            0);
  raw[len - 1] ^= 0x01;
  std::string tampered(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(tampered.data(), tampered.size(), raw.data(), len, sodium_base64_VARIANT_ORIGINAL);
  tampered.pop_back();

  std::string detail;
  EXPECT_EQ(code_of([&] { box.decrypt(tampered); }, &detail), ErrorCode::invalid_input);
  EXPECT_NE(detail.find("cannot be decrypted"), std::string::npos) << detail;
  EXPECT_EQ(code_of([&] { box.decrypt("not base64!"); }), ErrorCode::invalid_input);
  EXPECT_EQ(code_of([&] { box.decrypt(""); }), ErrorCode::invalid_input);
  EXPECT_EQ(code_of([&] { box.decrypt(sealed.substr(0, 20)); }), ErrorCode::invalid_input);
}

TEST_F(SecretBoxTest, WrongKeyIsRejected) {
  const std::string sealed = SecretBox::open_or_create(dir_ / "a").encrypt(Secret("s3cret"));
  const SecretBox other = SecretBox::open_or_create(dir_ / "b");
  EXPECT_EQ(code_of([&] { other.decrypt(sealed); }), ErrorCode::invalid_input);
}

TEST_F(SecretBoxTest, FromKeyMatchesKeyFile) {
  std::array<unsigned char, SecretBox::kKeyBytes> key{};
  key.fill(7);
  const SecretBox a = SecretBox::from_key(key);
  const SecretBox b = SecretBox::from_key(key);
  EXPECT_EQ(b.decrypt(a.encrypt(Secret("shared"))).reveal(), "shared");
}

TEST_F(SecretBoxTest, RefusesAKeyFileReadableByOthers) {
  const fs::path key = dir_ / "secret.key";
  SecretBox::open_or_create(key);
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  std::string detail;
  EXPECT_EQ(code_of([&] { SecretBox::open_or_create(key); }, &detail), ErrorCode::invalid_input);
  EXPECT_NE(detail.find("mode 0644"), std::string::npos) << detail;
  EXPECT_NE(detail.find("chmod 600"), std::string::npos) << detail;

  ASSERT_EQ(::chmod(key.c_str(), 0620), 0);  // group-writable is refused too
  EXPECT_EQ(code_of([&] { SecretBox::open_or_create(key); }), ErrorCode::invalid_input);
  ASSERT_EQ(::chmod(key.c_str(), 0400), 0);  // owner read-only is fine
  EXPECT_NO_THROW(SecretBox::open_or_create(key));
}

TEST_F(SecretBoxTest, RefusesAKeyFileOfTheWrongSize) {
  const fs::path key = dir_ / "secret.key";
  {
    std::ofstream out(key);
    out << "too short";
  }
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  std::string detail;
  EXPECT_EQ(code_of([&] { SecretBox::open_or_create(key); }, &detail), ErrorCode::invalid_input);
  EXPECT_NE(detail.find("expected 32"), std::string::npos) << detail;
}

TEST_F(SecretBoxTest, RefusesADirectoryOrSymlink) {
  fs::create_directory(dir_ / "d");
  ::chmod((dir_ / "d").c_str(), 0700);
  EXPECT_EQ(code_of([&] { SecretBox::open_or_create(dir_ / "d"); }), ErrorCode::invalid_input);
  SecretBox::open_or_create(dir_ / "real");
  fs::create_symlink(dir_ / "real", dir_ / "link");
  EXPECT_EQ(code_of([&] { SecretBox::open_or_create(dir_ / "link"); }), ErrorCode::unavailable);
}

TEST_F(SecretBoxTest, MissingDirectoryIsUnavailable) {
  EXPECT_EQ(code_of([&] { SecretBox::open_or_create(dir_ / "nope" / "k"); }), ErrorCode::unavailable);
}

}  // namespace
}  // namespace visor::auth
