// Issue 15, run as an operator runs Visor (the real `visor` binary): photos
// stored before encryption migrated by `visor migrate`, backups encrypted by
// default (nothing readable with grep, restoring needs the key, a clear
// error without it), key rotation keeping the photos readable, and
// `visor doctor` on a deliberately weak and on a hardened deployment.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <fstream>

#include "app/keys.hpp"
#include "app/media_files.hpp"
#include "media/store.hpp"
#include "storage/store.hpp"
#include "support.hpp"

namespace visor::opstest {
namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void put_file(const fs::path& p, const std::string& bytes, mode_t mode = 0600) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
  ::chmod(p.c_str(), mode);
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof d * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, d, sizeof d);
  return hex;
}

// A photo as Visor stored them before encryption: plain, named by its hash.
struct OldPhoto {
  std::string bytes;
  std::string name;
};
OldPhoto old_photo(const fs::path& data) {
  OldPhoto p;
  p.bytes = "\xff\xd8\xff\xe0";
  for (int i = 0; i < 5000; ++i) p.bytes += "PUMP-7-SEAL-LEAK-PHOTO ";  // ~115 KB: several chunks
  const std::string sha = sha256_hex(p.bytes);
  p.name = sha.substr(0, 2) + "/" + sha + ".jpg";
  put_file(data / "media" / p.name, p.bytes);
  return p;
}

// Text of the demo plant's task descriptions (demo_data.cpp).
constexpr std::string_view kDemoText = "hydraulic oil level";

// The media store as the server opens it, under the key in `key_file`.
std::string read_photo(const fs::path& data, const fs::path& key_file, const std::string& name) {
  auto store = storage::open_store("sqlite://" + (data / "visor.db").string());
  app::KeySource source;
  source.kind = app::KeySource::Kind::file;
  source.path = key_file;
  const auth::SecretBox box = app::open_secret_box(source);
  app::MediaFiles files = app::open_media_files(*store, box, data / "media");
  if (!files.problem.empty()) return "locked: " + files.problem;
  return media::load_bytes(*files.store, name);
}

TEST(Encryption, OldPhotosAreMigratedAndStayReadableAcrossKeyRotation) {
  TempDir t;
  const fs::path data = t / "data";
  ASSERT_EQ(visor({"demo-data", "--data-dir", data.string(), "--tasks", "3", "--equipment", "1"}).status, 0);
  const OldPhoto photo = old_photo(data);
  const fs::path on_disk = data / "media" / photo.name;

  Result doctor = visor({"doctor", "--data-dir", data.string()});
  EXPECT_NE(doctor.out.find("[warn] media.encryption: 1 stored file(s) predate encryption"), std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("[warn] key.location: The secret key lies in the data directory"), std::string::npos)
      << doctor.out;

  const Result migrated = visor({"migrate", "--data-dir", data.string()});
  ASSERT_EQ(migrated.status, 0) << migrated.err;
  EXPECT_NE(migrated.out.find("encrypted 1 file(s)"), std::string::npos) << migrated.out;
  const std::string sealed = read_all(on_disk);
  EXPECT_TRUE(sealed.starts_with("VISORMF1")) << "not encrypted in place";
  EXPECT_EQ(sealed.find("PUMP-7-SEAL-LEAK"), std::string::npos) << "the photo's bytes are readable on disk";
  EXPECT_EQ(sealed.find("\xff\xd8\xff"), std::string::npos);
  doctor = visor({"doctor", "--data-dir", data.string()});
  EXPECT_NE(doctor.out.find("[ok] media.encryption"), std::string::npos) << doctor.out;

  const fs::path key = data / "secret.key";
  EXPECT_EQ(read_photo(data, key, photo.name), photo.bytes);
  // A plain file dropped in afterwards is refused, not served.
  put_file(data / "media" / "cd" / "dropped.jpg", "plain bytes");
  EXPECT_THROW(read_photo(data, key, "cd/dropped.jpg"), media::IntegrityError);
  fs::remove(data / "media" / "cd" / "dropped.jpg");

  // Rotation: the new key opens the photo, the old one no longer does.
  const fs::path old_key = t / "old.key";
  fs::copy_file(key, old_key);
  const Result rotated = visor({"key", "rotate", "--data-dir", data.string()});
  ASSERT_EQ(rotated.status, 0) << rotated.err;
  EXPECT_NE(rotated.out.find("1 media key(s) re-sealed"), std::string::npos) << rotated.out;
  EXPECT_EQ(read_photo(data, key, photo.name), photo.bytes);
  EXPECT_NE(read_photo(data, old_key, photo.name).find("locked: "), std::string::npos);
  EXPECT_EQ(read_all(on_disk), sealed) << "rotation rewrites no photo";
}

TEST(Encryption, BackupsRevealNothingAndRestoringNeedsTheKey) {
  TempDir t;
  const fs::path data = t / "data";
  ASSERT_EQ(visor({"demo-data", "--data-dir", data.string(), "--tasks", "5", "--equipment", "2"}).status, 0);
  ASSERT_EQ(visor({"migrate", "--data-dir", data.string()}).status, 0);  // the data directory's key
  const OldPhoto photo = old_photo(data);
  ASSERT_NE(read_all(data / "visor.db").find(kDemoText), std::string::npos) << "the check below would prove nothing";

  const fs::path archive = t / "backups" / "visor.backup";
  fs::create_directories(archive.parent_path());
  Result r = visor({"backup", "--data-dir", data.string(), "--out", archive.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("encrypted under"), std::string::npos) << r.out;
  const std::string bytes = read_all(archive);
  EXPECT_GT(bytes.size(), photo.bytes.size());
  EXPECT_EQ(bytes.find(kDemoText), std::string::npos) << "a task description is readable in the backup";
  EXPECT_EQ(bytes.find("PUMP-7-SEAL-LEAK"), std::string::npos) << "the photo is readable in the backup";
  EXPECT_EQ(bytes.find("SQLite format"), std::string::npos);
  EXPECT_EQ(bytes.find("manifest"), std::string::npos) << "even the entries' names are hidden";

  // No key: a clear refusal, nothing restored.
  const fs::path target = t / "target";
  r = visor({"restore", "--data-dir", target.string(), "--from", archive.string()});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("is encrypted: give the key it was made with"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(target / "visor.db"));
  // Another key: said so.
  const fs::path wrong = t / "wrong.key";
  put_file(wrong, std::string(32, 'w'));
  r = visor({"restore", "--data-dir", target.string(), "--from", archive.string(), "--key-file", wrong.string()});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("another key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(target / "visor.db"));
  // One byte altered: refused.
  const fs::path altered = t / "altered.backup";
  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 0x01;
  put_file(altered, damaged);
  r = visor({"restore", "--verify-only", "--from", altered.string(), "--key-file", (data / "secret.key").string()});
  EXPECT_NE(r.status, 0) << r.out;
  // The right key: everything back.
  r = visor({"restore", "--data-dir", target.string(), "--from", archive.string(), "--key-file",
             (data / "secret.key").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(read_all(target / "visor.db").find(kDemoText), std::string::npos);
  EXPECT_EQ(read_all(target / "media" / photo.name), photo.bytes);

  // No key given and none in the data directory: refused, rather than
  // encrypted under a new key nobody keeps.
  const fs::path keyless = t / "keyless";
  const fs::path other_key = t / "etc" / "other.key";
  put_file(other_key, std::string(32, 'z'));
  ASSERT_EQ(visor({"migrate", "--data-dir", keyless.string(), "--key-file", other_key.string()}).status, 0);
  r = visor({"backup", "--data-dir", keyless.string(), "--out", (t / "keyless.backup").string()});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("No key was given"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(keyless / "secret.key"));
  EXPECT_FALSE(fs::exists(t / "keyless.backup"));
}

TEST(Doctor, AWeakDeploymentFailsWithWhatToDo) {
  TempDir t;
  const fs::path data = t / "data";
  ASSERT_EQ(visor({"demo-data", "--data-dir", data.string(), "--tasks", "2", "--equipment", "1"}).status, 0);
  const fs::path key = t / "etc" / "secret.key";
  put_file(key, std::string(32, 'k'), 0644);
  const Result r =
      visor({"doctor", "--data-dir", data.string(), "--key-file", key.string(), "--listen", "0.0.0.0:8080"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  for (const char* line : {"[fail] listener.tls: Plain HTTP on the network", "[fail] key.mode:", "has mode 0644",
                           "[fail] accounts.demo: The demo plant's accounts are active (admin, ",
                           "[warn] volume.encryption", "→ Set tls_cert and tls_key", "chmod 600"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
}

TEST(Doctor, AHardenedDeploymentPasses) {
  TempDir t;
  const fs::path data = t / "data";
  const fs::path key = t / "etc" / "secret.key";
  put_file(key, std::string(32, 'k'));
  ASSERT_EQ(visor({"user", "add", "--data-dir", data.string(), "--key-file", key.string(), "--login", "root",
                   "--name", "Root", "--role", "admin"},
                  RunOptions{.stdin_text = "a long enough passphrase 7\n"})
                .status,
            0);
  const std::vector<std::string> settings{"--data-dir", data.string(), "--key-file", key.string(), "--listen",
                                          "0.0.0.0:8080", "--trusted-proxies", "10.0.0.1"};
  std::vector<std::string> args{"doctor"};
  args.insert(args.end(), settings.begin(), settings.end());
  const Result r = visor(args);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("[fail]"), std::string::npos) << r.out;
  for (const char* line : {"[ok] listener.tls: Plain HTTP behind a trusted reverse proxy", "[ok] key.mode",
                           "[ok] key.location", "[ok] media.encryption", "[ok] backup.encryption",
                           "[ok] database.tls", "[ok] cmms.tls", "[ok] accounts.demo"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  args.push_back("--json");
  const Result json = visor(args);
  EXPECT_TRUE(json.out.starts_with("[{\"check\":\"listener.tls\",\"level\":\"ok\"")) << json.out;
}

}  // namespace
}  // namespace visor::opstest
