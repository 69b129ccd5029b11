// The file store: photos go in encrypted and come back whole or from any
// offset; a file altered, cut, plain or under an unknown key is refused and
// counted; the census and the migration of plain files.
#include "media/file_store.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "fixture.hpp"
#include "media/maintenance.hpp"

namespace visor::media {
namespace {

namespace fs = std::filesystem;
using testing::random_bytes;
using testing::read_file;
using testing::write_file;

std::string sha256_hex(std::string_view bytes) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof d * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, d, sizeof d);
  return hex;
}

class FileStoreTest : public testing::TempDirTest {
 protected:
  std::unique_ptr<MediaStore> store(bool accept_plain = false, std::shared_ptr<const MediaKeys> keys = nullptr) {
    FileStoreOptions o;
    o.dir = dir_;
    o.keys = keys ? keys : keys_;
    o.accept_plain = accept_plain;
    o.chunk_size = kMinChunkBytes;
    o.integrity_failures = &failures_;
    return file_media_store(std::move(o));
  }
  std::shared_ptr<const MediaKeys> keys_ = testing::one_key();
  metrics::Counter failures_;
};

TEST_F(FileStoreTest, RoundTripsAndKeepsNoPlainByteOnDisk) {
  auto s = store();
  const std::string photo = random_bytes(10 * 4096 + 123);
  const std::string name = content_name(sha256_hex(photo), "jpg");
  store_bytes(*s, name, photo);
  EXPECT_TRUE(s->exists(name));
  EXPECT_EQ(load_bytes(*s, name), photo);
  const std::string on_disk = read_file(dir_ / name);
  EXPECT_TRUE(looks_sealed(on_disk));
  for (std::size_t at = 0; at + 32 <= photo.size(); at += 4096)
    EXPECT_EQ(on_disk.find(photo.substr(at, 32)), std::string::npos) << "plain bytes from " << at << " on disk";
  EXPECT_EQ(s->protection(), kSealedProtection);
  // Only the file: no temporary left beside it.
  int files = 0;
  for (auto& e : fs::recursive_directory_iterator(dir_)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(FileStoreTest, ReadsFromAnyOffsetDecryptingOnlyWhatItNeeds) {
  auto s = store();
  const std::string photo = random_bytes(6 * 4096 + 1);
  store_bytes(*s, "ab/range.jpg", photo);
  auto r = s->open("ab/range.jpg");
  ASSERT_EQ(r->size(), photo.size());
  for (std::uint64_t offset : {0ull, 1ull, 4095ull, 4096ull, 4097ull, 20000ull, 6ull * 4096, 6ull * 4096 + 1}) {
    std::string out;
    std::uint64_t at = offset;
    while (out.size() < 5000 && at < photo.size()) {
      const auto n = r->read(at, 5000 - out.size(), out);
      ASSERT_GT(n, 0u);
      EXPECT_LE(n, 4096u) << "a read crossed a chunk";
      at += n;
    }
    EXPECT_EQ(out, photo.substr(std::size_t(offset), 5000)) << offset;
  }
  // A range in the last chunk reads while an earlier chunk is damaged: only
  // the chunks a read needs are decrypted.
  std::string disk = read_file(dir_ / "ab/range.jpg");
  disk[kSealedHeaderBytes + 100] ^= 0x40;
  write_file(dir_ / "ab/range.jpg", disk);
  auto damaged = s->open("ab/range.jpg");
  std::string tail;
  EXPECT_EQ(damaged->read(5 * 4096, 4096, tail), 4096u);
  EXPECT_EQ(tail, photo.substr(5 * 4096, 4096));
  std::string head;
  EXPECT_THROW(damaged->read(0, 10, head), IntegrityError);
  EXPECT_TRUE(head.empty()) << "bytes of a chunk that failed were handed out";
}

TEST_F(FileStoreTest, TamperedFilesAreRefusedAndCounted) {
  auto s = store();
  const std::string photo = random_bytes(3 * 4096);
  store_bytes(*s, "ab/t.jpg", photo);
  const std::string good = read_file(dir_ / "ab/t.jpg");

  // A flipped bit in the last chunk: the first reads pass, the last fails.
  std::string bad = good;
  bad[bad.size() - 5] ^= 0x01;
  write_file(dir_ / "ab/t.jpg", bad);
  auto r = s->open("ab/t.jpg");
  std::string out;
  EXPECT_EQ(r->read(0, 4096, out), 4096u);
  EXPECT_THROW(r->read(2 * 4096, 4096, out), IntegrityError);
  EXPECT_EQ(failures_.value(), 1);

  // Cut short, or extended: refused at open, before any byte.
  write_file(dir_ / "ab/t.jpg", good.substr(0, good.size() - 1));
  EXPECT_THROW(s->open("ab/t.jpg"), IntegrityError);
  write_file(dir_ / "ab/t.jpg", good + "x");
  EXPECT_THROW(s->open("ab/t.jpg"), IntegrityError);
  // A header saying another size.
  bad = good;
  bad[16] ^= 0x01;
  write_file(dir_ / "ab/t.jpg", bad);
  EXPECT_THROW(s->open("ab/t.jpg"), IntegrityError);
  EXPECT_EQ(failures_.value(), 4);

  // Sealed under a generation this deployment does not hold.
  write_file(dir_ / "ab/t.jpg", good);
  auto other = testing::one_key(2);
  EXPECT_THROW(store(false, other)->open("ab/t.jpg"), IntegrityError);
  // The right generation number but another key: the first read fails.
  auto impostor = testing::one_key(1);
  EXPECT_THROW(load_bytes(*store(false, impostor), "ab/t.jpg"), IntegrityError);
}

TEST_F(FileStoreTest, PlainFilesServedOnlyWhileAccepted) {
  write_file(dir_ / "ab/old.jpg", "\xff\xd8\xff\xe0 a photo from before encryption");
  EXPECT_THROW(store(false)->open("ab/old.jpg"), IntegrityError);
  EXPECT_EQ(load_bytes(*store(true), "ab/old.jpg"), "\xff\xd8\xff\xe0 a photo from before encryption");
}

TEST_F(FileStoreTest, NamesAndLockedStoresAndAbandonedWrites) {
  auto s = store();
  EXPECT_THROW(s->create("../escape.jpg", 1), Error);
  EXPECT_THROW(s->open("/etc/passwd"), Error);
  try {
    s->open("ab/none.jpg");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
  {
    auto w = s->create("ab/abandoned.jpg", 100);
    w->write("partial");
  }  // destroyed uncommitted
  EXPECT_FALSE(s->exists("ab/abandoned.jpg"));
  EXPECT_TRUE(fs::is_empty(dir_ / "ab"));

  FileStoreOptions locked;
  locked.dir = dir_;
  locked.locked_reason = "the media keys do not open";
  auto l = file_media_store(locked);
  try {
    l->create("ab/x.jpg", 1);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unavailable);
    EXPECT_EQ(e.detail(), "the media keys do not open");
  }
}

TEST_F(FileStoreTest, MigrationEncryptsPlainFilesInPlaceAndLeavesDamagedOnes) {
  const std::string a = random_bytes(9000), b = random_bytes(10);
  const std::string name_a = content_name(sha256_hex(a), "jpg"), name_b = content_name(sha256_hex(b), "png");
  write_file(dir_ / name_a, a);
  write_file(dir_ / name_b, b);
  const std::string damaged = content_name(sha256_hex("what it was"), "jpg");
  write_file(dir_ / damaged, "what it is now");
  write_file(dir_ / "ab" / "left.jpg.tmp999999", "an unfinished upload");
  auto s = store(true);
  store_bytes(*s, "cd/new.jpg", "already sealed");

  Census before = take_census(dir_);
  EXPECT_EQ(before.plain, 3u);
  EXPECT_EQ(before.sealed, 1u);

  const EncryptReport report = encrypt_plain_files(dir_, *s);
  EXPECT_EQ(report.encrypted, 2u);
  EXPECT_EQ(report.already, 1u);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find(damaged), std::string::npos);
  EXPECT_NE(report.problems[0].find("do not match"), std::string::npos);

  // Served encrypted now, even where plain files are refused.
  auto strict = store(false);
  EXPECT_EQ(load_bytes(*strict, name_a), a);
  EXPECT_EQ(load_bytes(*strict, name_b), b);
  EXPECT_TRUE(looks_sealed(read_file(dir_ / name_a)));
  EXPECT_EQ(read_file(dir_ / damaged), "what it is now");
  const Census after = take_census(dir_);
  EXPECT_EQ(after.plain, 1u);
  EXPECT_EQ(after.sealed, 3u);
  // Again: nothing more to do.
  EXPECT_EQ(encrypt_plain_files(dir_, *s).encrypted, 0u);
}

TEST_F(FileStoreTest, OrphanTemporariesOfDeadProcessesAreRemoved) {
  write_file(dir_ / "ab" / "x.jpg.tmp999999", "left by a crash");  // no such pid
  write_file(dir_ / "ab" / ("y.jpg.tmp" + std::to_string(::getppid())), "a live writer's");
  write_file(dir_ / "ab" / "z.jpg", "kept");
  EXPECT_EQ(remove_orphan_temporaries(dir_), 1);
  EXPECT_FALSE(fs::exists(dir_ / "ab" / "x.jpg.tmp999999"));
  EXPECT_TRUE(fs::exists(dir_ / "ab" / "z.jpg"));
}

}  // namespace
}  // namespace visor::media
