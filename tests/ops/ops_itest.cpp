// Issue 10, run as an operator runs Visor: the real `visor` binary in its
// own process. Finding 3 (the descriptor limit raised, the stream cap
// derived from it, /healthz answering), 8 (CLI actions carry the OS user),
// 9 (private files whichever command creates them; the key apart from the
// data, from a file, a credential or the environment; rotation; a wrong key
// said at start), 10 (backup while serving, restore, verification) and the
// systemd unit.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "../api/client.hpp"
#include "auth/secret_box.hpp"
#include "storage/store.hpp"
#include "support.hpp"
#include "writes.hpp"

namespace visor::opstest {
namespace {

using namespace std::chrono_literals;

std::string db_url(const fs::path& file) { return "sqlite://" + file.string(); }

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& p, const std::string& bytes, mode_t mode = 0600) {
  std::ofstream(p, std::ios::binary) << bytes;
  ::chmod(p.c_str(), mode);
}

std::string new_key() {
  std::string key(32, '\0');
  std::ifstream("/dev/urandom", std::ios::binary).read(key.data(), 32);
  return key;
}

// Sets umask 022 for the commands this test runs (they must not rely on it).
class OpenUmask {
 public:
  OpenUmask() : old_(::umask(022)) {}
  ~OpenUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

// ------------------------------------------------------------ finding 9
TEST(PrivateFiles, WhicheverCommandCreatesThem) {
  OpenUmask umask;
  TempDir t;
  const fs::path migrated = t / "migrated";
  Result r = visor({"migrate", "--data-dir", migrated.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(mode_of(migrated), "0700");
  EXPECT_EQ(mode_of(migrated / "visor.db"), "0600");

  const fs::path demo = t / "demo";
  r = visor({"demo-data", "--data-dir", demo.string(), "--tasks", "5", "--equipment", "2"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(mode_of(demo), "0700");
  EXPECT_EQ(mode_of(demo / "visor.db"), "0600");
  EXPECT_EQ(mode_of(demo / "demo-logins.txt"), "0600");

  // An external --db file, in a folder the command creates.
  const fs::path external = t / "elsewhere" / "db" / "visor.db";
  r = visor({"user", "add", "--data-dir", (t / "ext-data").string(), "--db", db_url(external), "--login", "olga",
             "--name", "Olga", "--role", "admin"},
            RunOptions{.stdin_text = "a long enough passphrase 7\n"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(mode_of(external), "0600");
  EXPECT_EQ(mode_of(external.parent_path()), "0700");

  // While serving: the -wal and -shm files, the key, the instance id.
  Serving serving({"--listen", "127.0.0.1:0", "--data-dir", demo.string()});
  ASSERT_NE(serving.port(), 0) << serving.errors();
  for (const char* name : {"visor.db-wal", "visor.db-shm", "secret.key", "instance-id"})
    EXPECT_EQ(mode_of(demo / name), "0600") << name;
  serving.stop();

  // A data directory and media left wider by an older version are narrowed.
  const fs::path old = t / "old";
  fs::create_directories(old / "media" / "ab");
  ::chmod(old.c_str(), 0755);
  ::chmod((old / "media").c_str(), 0755);
  ::chmod((old / "media" / "ab").c_str(), 0755);
  write_file(old / "media" / "ab" / "abcd.jpg", "photo", 0644);
  ASSERT_EQ(visor({"migrate", "--data-dir", old.string()}).status, 0);
  EXPECT_EQ(mode_of(old), "0700");
  EXPECT_EQ(mode_of(old / "media"), "0700");
  EXPECT_EQ(mode_of(old / "media" / "ab"), "0700");
  EXPECT_EQ(mode_of(old / "media" / "ab" / "abcd.jpg"), "0600");
}

// ------------------------------------------------- finding 9: the key apart
struct KeyedInstance {
  TempDir t;
  fs::path data = t / "data";
  fs::path key = t / "etc" / "secret.key";
  KeyedInstance() {
    fs::create_directories(key.parent_path());
    write_file(key, new_key());
    const Result r = visor({"connector", "set", "--data-dir", data.string(), "--key-file", key.string(), "--url",
                         "https://odoo.example", "--database", "odoo", "--login", "visor"},
                        RunOptions{.stdin_text = "the-odoo-api-key\n"});
    EXPECT_EQ(r.status, 0) << r.err;
  }
  // What `visor serve` says at start with these extra arguments.
  std::string start_message(std::vector<std::string> args, const RunOptions& o = {}) {
    args.insert(args.begin(), {"--listen", "127.0.0.1:0", "--data-dir", data.string()});
    Serving serving(args, o);
    EXPECT_NE(serving.port(), 0) << serving.errors();
    return serving.errors();
  }
};

constexpr std::string_view kCannotDecrypt = "cannot decrypt the stored secrets (cmms.secret";

TEST(Keys, LiveApartFromTheDataAndAWrongKeyIsSaidAtStart) {
  KeyedInstance k;
  EXPECT_FALSE(fs::exists(k.data / "secret.key")) << "the key went into the data directory";
  const std::string secret = read_file(k.key);
  EXPECT_EQ(k.start_message({"--key-file", k.key.string()}).find(kCannotDecrypt), std::string::npos);
  // From the environment (base64), and as a systemd credential.
  const std::string encoded = auth::SecretBox::from_key([&] {
                                std::array<unsigned char, 32> a{};
                                std::copy(secret.begin(), secret.end(), a.begin());
                                return a;
                              }())
                                  .key_base64()
                                  .reveal()
                                  .data();
  EXPECT_EQ(k.start_message({}, RunOptions{.env = {{"VISOR_SECRET_KEY", encoded}}}).find(kCannotDecrypt),
            std::string::npos);
  const fs::path credentials = k.t / "credentials";
  fs::create_directories(credentials);
  write_file(credentials / "visor-secret-key", secret, 0400);
  EXPECT_EQ(k.start_message({}, RunOptions{.env = {{"CREDENTIALS_DIRECTORY", credentials.string()}}})
                .find(kCannotDecrypt),
            std::string::npos);
  // Another key: said at start, naming the secret and where the key came from.
  const fs::path wrong = k.t / "wrong.key";
  write_file(wrong, new_key());
  const std::string said = k.start_message({"--key-file", wrong.string()});
  EXPECT_NE(said.find(kCannotDecrypt), std::string::npos) << said;
  EXPECT_NE(said.find(wrong.string()), std::string::npos) << said;
  // No key given at all: the data directory's new key is not the one either.
  EXPECT_NE(k.start_message({}).find(kCannotDecrypt), std::string::npos);
}

TEST(Keys, RotationResealsTheStoredSecrets) {
  KeyedInstance k;
  const std::string before = read_file(k.key);
  const fs::path old_copy = k.t / "old.key";
  write_file(old_copy, before);
  const Result r = visor({"key", "rotate", "--data-dir", k.data.string(), "--key-file", k.key.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("1 stored secret(s) re-sealed"), std::string::npos) << r.out;
  EXPECT_NE(read_file(k.key), before);
  EXPECT_EQ(mode_of(k.key), "0600");
  EXPECT_FALSE(fs::exists(k.key.string() + ".new"));
  EXPECT_EQ(k.start_message({"--key-file", k.key.string()}).find(kCannotDecrypt), std::string::npos);
  EXPECT_NE(k.start_message({"--key-file", old_copy.string()}).find(kCannotDecrypt), std::string::npos)
      << "the old key still opens the secrets";
  // A key from the environment is not Visor's to replace: it asks where to write.
  const Result env = visor({"key", "rotate", "--data-dir", k.data.string()},
                        RunOptions{.env = {{"VISOR_SECRET_KEY", std::string(auth::SecretBox::generate().key_base64().reveal())}}});
  EXPECT_EQ(env.status, 2) << env.err;
  EXPECT_NE(env.err.find("--new-key-file"), std::string::npos) << env.err;
}

// ------------------------------------------------ finding 8: the CLI's user
TEST(Audit, CliActionsCarryTheOsUser) {
  TempDir t;
  const fs::path data = t / "data";
  ASSERT_EQ(visor({"user", "add", "--data-dir", data.string(), "--login", "olga", "--name", "Olga"},
                  RunOptions{.stdin_text = "a long enough passphrase 7\n"})
                .status,
            0);
  ASSERT_EQ(visor({"user", "disable", "--data-dir", data.string(), "olga"}, RunOptions{.env = {{"SUDO_USER", "maria"}}})
                .status,
            0);
  auto store = storage::open_store(db_url(data / "visor.db"));
  storage::AuditQuery q;
  q.action = "user.";
  const auto rows = store->read_value([&](storage::Tx& tx) { return tx.audit().list(q); });
  std::set<std::string> labels;
  for (const auto& row : rows) labels.insert(row.actor_label);
  EXPECT_TRUE(labels.count("cli:" + os_user())) << "labels: " << rows.size();
  EXPECT_TRUE(labels.count("cli:" + os_user() + " (sudo by maria)"));
}

// ------------------------------------------------------------ finding 10
TEST(Backup, WhileWritingThenRestoreHoldsEveryAcknowledgedWrite) {
  TempDir t;
  const fs::path data = t / "data";
  const fs::path copy = t / "backups" / "one";
  fs::create_directories(copy.parent_path());
  std::vector<std::int64_t> before_backup;
  {
    WritingVisor visor_under_load(db_url(data / "visor.db"), data);
    ASSERT_TRUE(visor_under_load.wait_for(50));
    before_backup = visor_under_load.acknowledged();
    const Result r = visor({"backup", "--data-dir", data.string(), "--out", copy.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto all = visor_under_load.stop_writing();
    EXPECT_GT(all.size(), before_backup.size()) << "no write happened during the backup";
    EXPECT_EQ(visor_under_load.failures(), 0u);
  }
  EXPECT_TRUE(fs::exists(copy / "manifest.json"));
  EXPECT_FALSE(fs::exists(copy / "secret.key")) << "the key is left out unless asked";
  EXPECT_FALSE(fs::exists(copy.string() + ".partial"));
  const Result verified = visor({"restore", "--verify-only", "--from", copy.string()});
  EXPECT_EQ(verified.status, 0) << verified.err;

  const fs::path restored = t / "restored";
  const Result r = visor({"restore", "--data-dir", restored.string(), "--from", copy.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(mode_of(restored), "0700");
  EXPECT_EQ(mode_of(restored / "visor.db"), "0600");
  const auto ids = task_ids(db_url(restored / "visor.db"));
  for (std::int64_t id : before_backup)
    EXPECT_TRUE(std::binary_search(ids.begin(), ids.end(), id)) << "acknowledged write " << id << " is missing";
  // The restored instance starts and serves.
  Serving serving({"--listen", "127.0.0.1:0", "--data-dir", restored.string()});
  const std::uint16_t port = serving.port();
  ASSERT_NE(port, 0) << serving.errors();
  EXPECT_EQ(apitest::request(port, "GET", "/readyz").status, 200);
}

TEST(Backup, RestoreRefusesANonEmptyTargetAndADamagedBackup) {
  TempDir t;
  const fs::path data = t / "data";
  ASSERT_EQ(visor({"demo-data", "--data-dir", data.string(), "--tasks", "5", "--equipment", "2"}).status, 0);
  fs::create_directories(data / "media" / "ab");
  write_file(data / "media" / "ab" / "abcd.jpg", "a photo's bytes");
  const fs::path copy = t / "copy";
  Result r = visor({"backup", "--data-dir", data.string(), "--out", copy.string(), "--include-key"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(copy / "secret.key"), read_file(data / "secret.key")) << "--include-key";
  EXPECT_EQ(read_file(copy / "media" / "ab" / "abcd.jpg"), "a photo's bytes");

  r = visor({"restore", "--data-dir", data.string(), "--from", copy.string()});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("is not empty"), std::string::npos) << r.err;

  write_file(copy / "media" / "ab" / "abcd.jpg", "a photo's bytez");
  r = visor({"restore", "--verify-only", "--from", copy.string()});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("does not match its manifest"), std::string::npos) << r.err;
  const fs::path target = t / "target";
  r = visor({"restore", "--data-dir", target.string(), "--from", copy.string()});
  EXPECT_NE(r.status, 0);
  EXPECT_FALSE(fs::exists(target / "visor.db")) << "nothing is restored from a damaged backup";
  write_file(copy / "media" / "ab" / "abcd.jpg", "a photo's bytes");
  write_file(copy / "extra.txt", "not listed");
  r = visor({"restore", "--verify-only", "--from", copy.string()});
  EXPECT_NE(r.err.find("which its manifest does not list"), std::string::npos) << r.err;
  fs::remove(copy / "extra.txt");
  r = visor({"restore", "--data-dir", target.string(), "--from", copy.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(target / "media" / "ab" / "abcd.jpg"), "a photo's bytes");
  EXPECT_EQ(read_file(target / "secret.key"), read_file(data / "secret.key"));
}

// ------------------------------------------------------------- finding 3
TEST(Descriptors, TheSoftLimitIsRaisedToTheHardOne) {
  TempDir t;
  Serving serving({"--listen", "127.0.0.1:0", "--data-dir", (t / "data").string()},
                  RunOptions{.shell_prefix = "ulimit -Sn 256; ulimit -Hn 4096;"});
  ASSERT_NE(serving.port(), 0) << serving.errors();
  const std::string limits = read_file("/proc/" + std::to_string(serving.pid()) + "/limits");
  const auto line = limits.substr(limits.find("Max open files"));
  EXPECT_NE(line.find("4096                 4096"), std::string::npos) << line.substr(0, line.find('\n'));
}

// Under a 256-descriptor limit the streams take at most (256 - 64) / 2 = 96
// places; one token asking for 240 gets the rest refused, and /healthz
// answers throughout.
TEST(Descriptors, StreamsStopShortOfTheLimitAndHealthzAnswers) {
  TempDir t;
  const fs::path data = t / "data";
  ASSERT_EQ(visor({"demo-data", "--data-dir", data.string(), "--tasks", "5", "--equipment", "2"}).status, 0);
  const Result token = visor({"token", "create", "--data-dir", data.string(), "--user", "alice", "--name", "many"});
  ASSERT_EQ(token.status, 0) << token.err;
  const std::string bearer = "Bearer " + token.out.substr(0, token.out.find('\n'));
  Serving serving({"--listen", "127.0.0.1:0", "--data-dir", data.string(), "--max-streams-per-user", "1000"},
                  RunOptions{.shell_prefix = "ulimit -n 256;"});
  const std::uint16_t port = serving.port();
  ASSERT_NE(port, 0) << serving.errors();
  std::vector<std::unique_ptr<apitest::EventStream>> streams;
  int admitted = 0, refused = 0;
  for (int i = 0; i < 240; ++i) {
    auto s = std::make_unique<apitest::EventStream>(port, "/api/v1/events",
                                                    apitest::Headers{{"Authorization", bearer}});
    if (s->status() == 200) ++admitted;
    else if (s->status() == 503) ++refused;
    streams.push_back(std::move(s));
    if (i % 40 == 0) ASSERT_EQ(apitest::request(port, "GET", "/healthz").status, 200) << "after " << i << " streams";
  }
  EXPECT_EQ(admitted, 96);
  EXPECT_EQ(refused, 240 - 96);
  EXPECT_EQ(apitest::request(port, "GET", "/healthz").status, 200);
}

// ----------------------------------------------------------- the systemd unit
TEST(SystemdUnit, VerifiesAndIsSandboxed) {
  if (::access("/usr/bin/systemd-analyze", X_OK) != 0) GTEST_SKIP() << "systemd-analyze is not installed";
  TempDir t;
  for (const char* unit : {"visor.service", "visor-backup.service", "visor-backup.timer"}) {
    std::string text = read_file(fs::path(VISOR_SOURCE_DIR) / "deploy" / unit);
    ASSERT_FALSE(text.empty()) << unit;
    // The unit names the installed binary; verify it against the one built.
    for (std::size_t at; (at = text.find("/usr/local/bin/visor")) != std::string::npos;)
      text.replace(at, std::string("/usr/local/bin/visor").size(), VISOR_BINARY);
    std::ofstream(t / unit) << text;
  }
  const std::string service = read_file(t / "visor.service");
  for (const char* directive : {"\nUser=visor\n", "\nNoNewPrivileges=yes\n", "\nProtectSystem=strict\n",
                                "\nPrivateTmp=yes\n", "\nLimitNOFILE=", "\nStateDirectory=visor\n",
                                "\nLoadCredential=visor-secret-key:", "\nCapabilityBoundingSet=\n", "\nUMask=0077\n"})
    EXPECT_NE(service.find(directive), std::string::npos) << directive;
  const std::string command = "cd '" + t.path().string() +
                              "' && systemd-analyze verify visor.service visor-backup.service visor-backup.timer 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "") << "systemd-analyze verify has complaints";
}

}  // namespace
}  // namespace visor::opstest
