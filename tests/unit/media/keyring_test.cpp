// The media keys: created once, wrapped under a subkey of the secret key,
// re-wrapped by a rotation, and refused under another secret key.
#include "media/keyring.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "fixture.hpp"
#include "storage/store.hpp"

namespace visor::media {
namespace {

class KeyringTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = storage::open_store("sqlite://" + (dir_ / "visor.db").string());
  }
  void TearDown() override {
    store_.reset();
    TempDirTest::TearDown();
  }
  MediaKeys open(const auth::SecretBox& box) {
    return store_->write_value([&](storage::Tx& tx) { return open_media_keys(tx, box); });
  }
  std::string setting(std::string_view key) {
    return store_->read_value([&](storage::Tx& tx) { return tx.settings().get(key).value_or(""); });
  }
  std::unique_ptr<storage::Store> store_;
};

bool same(const auth::KeyBytes& a, const auth::KeyBytes& b) { return sodium_memcmp(a.data(), b.data(), a.size()) == 0; }

TEST_F(KeyringTest, CreatedOnceWrappedAndTheSameOnEveryOpen) {
  const auto box = auth::SecretBox::generate();
  const MediaKeys first = open(box);
  EXPECT_EQ(first.current_generation(), 1u);
  const MediaKeys again = open(box);
  EXPECT_TRUE(same(first.current(), again.current()));
  // Stored wrapped: neither the media key nor the secret key appear.
  const std::string stored = setting("media.key.1");
  EXPECT_FALSE(stored.empty());
  const std::string raw(reinterpret_cast<const char*>(first.current().data()), 32);
  EXPECT_EQ(stored.find(raw), std::string::npos);
  // The media subkey is not the secret key itself.
  const auto sub = box.derive(auth::KeyPurpose::media_keyring);
  EXPECT_NE(std::string(reinterpret_cast<const char*>(sub.data()), 32), box.key_bytes().reveal());
  const auto backup = box.derive(auth::KeyPurpose::backup_archive);
  EXPECT_FALSE(same(sub, backup));
}

TEST_F(KeyringTest, AnotherSecretKeyOpensNothingAndCreatesNothing) {
  const auto box = auth::SecretBox::generate();
  open(box);
  const auto other = auth::SecretBox::generate();
  try {
    open(other);
    ADD_FAILURE() << "opened under another key";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    EXPECT_NE(e.detail().find("media.key.1"), std::string::npos);
  }
  const auto unopenable = store_->read_value([&](storage::Tx& tx) { return unopenable_media_keys(tx, other); });
  EXPECT_EQ(unopenable, std::vector<std::string>{"media.key.1"});
  EXPECT_TRUE(store_->read_value([&](storage::Tx& tx) { return unopenable_media_keys(tx, box); }).empty());
  EXPECT_EQ(setting("media.key.2"), "");
}

TEST_F(KeyringTest, RotationRewrapsTheSameMediaKey) {
  const auto old_box = auth::SecretBox::generate();
  const MediaKeys before = open(old_box);
  const auto new_box = auth::SecretBox::generate();
  const int n = store_->write_value([&](storage::Tx& tx) { return rewrap_media_keys(tx, old_box, new_box); });
  EXPECT_EQ(n, 1);
  EXPECT_TRUE(same(open(new_box).current(), before.current())) << "photos would need re-encrypting";
  EXPECT_THROW(open(old_box), Error);
  // From a key that does not open them: refused, nothing changed.
  const std::string stored = setting("media.key.1");
  EXPECT_THROW(store_->write([&](storage::Tx& tx) { rewrap_media_keys(tx, old_box, new_box); }), Error);
  EXPECT_EQ(setting("media.key.1"), stored);
}

TEST_F(KeyringTest, AWrappedKeyCopiedToAnotherGenerationDoesNotOpen) {
  const auto box = auth::SecretBox::generate();
  open(box);
  store_->write([&](storage::Tx& tx) { tx.settings().put("media.key.2", *tx.settings().get("media.key.1")); });
  EXPECT_THROW(open(box), Error);
}

TEST_F(KeyringTest, PlainFilesPolicy) {
  EXPECT_FALSE(store_->read_value([](storage::Tx& tx) { return plain_files_refused(tx); }));
  store_->write([](storage::Tx& tx) { refuse_plain_files(tx); });
  EXPECT_TRUE(store_->read_value([](storage::Tx& tx) { return plain_files_refused(tx); }));
}

}  // namespace
}  // namespace visor::media
