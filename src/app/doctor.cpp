#include "app/doctor.hpp"

#include <fcntl.h>
#include <linux/fscrypt.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>
#include <optional>

#include "app/data_dir.hpp"
#include "app/keys.hpp"
#include "media/file_store.hpp"
#include "media/keyring.hpp"
#include "media/maintenance.hpp"
#include "sync/connector_settings.hpp"
#include "util/error.hpp"

namespace visor::app {
namespace fs = std::filesystem;

namespace {

bool fscrypt_folder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  fscrypt_get_policy_ex_arg arg{};
  arg.policy_size = sizeof(arg.policy);
  const bool encrypted = ::ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, &arg) == 0;
  ::close(fd);
  return encrypted;
}

std::string first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// A block device (its /sys/dev/block/M:m folder) or one it is built on
// (LVM over LUKS) is a dm-crypt mapping.
bool on_dm_crypt(const fs::path& device, int depth) {
  if (depth > 8) return false;
  if (first_line(device / "dm" / "uuid").starts_with("CRYPT-")) return true;
  std::error_code ec;
  for (const auto& slave : fs::directory_iterator(device / "slaves", ec))
    if (on_dm_crypt(fs::canonical(slave.path(), ec), depth + 1)) return true;
  return false;
}

bool loopback_host(const std::string& host) { return host == "localhost" || host == "::1" || host.starts_with("127."); }

}  // namespace

std::string volume_encryption(const fs::path& dir, const fs::path& sys_root) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return "";
  std::error_code ec;
  const fs::path device =
      sys_root / "dev" / "block" / (std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev)));
  if (fs::exists(device, ec) && on_dm_crypt(fs::canonical(device, ec), 0)) return "dm-crypt";
  if (fscrypt_folder(dir)) return "fscrypt";
  return "";
}

std::string describe_volume(const fs::path& data_dir) {
  const std::string how = volume_encryption(data_dir);
  if (!how.empty()) return "The data directory sits on an encrypted volume (" + how + ").";
  return "The data directory does not sit on an encrypted volume: the task store and the audit log are plain on "
         "disk (docs/deploy.md section 11).";
}

services::PostureFacts gather_posture(const Config& config, storage::Store& store, const auth::SecretBox* box,
                                      const std::string& key_problem) {
  services::PostureFacts f;
  f.key_problem = key_problem;
  f.tls = config.tls();
  f.trusted_proxy = !config.trusted_proxies.empty();
  f.loopback_only = loopback_host(config.host);
  const KeySource key = key_source(config);
  f.key_source = key.describe();
  f.key_in_data_dir = key.kind == KeySource::Kind::data_dir;
  if (key.is_file() || key.kind == KeySource::Kind::credential) {
    struct stat st {};
    if (::stat(key.path.c_str(), &st) == 0) f.key_file_mode = unsigned(st.st_mode & 07777);
  }
  const fs::path media_dir = config.data_dir / "media";
  f.media_protection = std::string(media::kSealedProtection);
  f.media_plain_files = media::take_census(media_dir).plain;
  f.data_volume_encryption = volume_encryption(config.data_dir);
  f.db_backend = store.backend();
  f.db_transport = f.db_backend == "sqlite" ? services::Transport::local : postgres_transport(config.db_url);
  store.read([&](storage::Tx& tx) {
    const auto unopened = box ? media::unopenable_media_keys(tx, *box) : std::vector<std::string>{};
    if (!unopened.empty())
      f.media_problem = "The media key '" + unopened.front() + "' does not open with this secret key: photos can be "
                        "neither stored nor served.";
    const sync::ConnectorSettings cmms = sync::load_connector(tx);
    f.cmms_url = cmms.url;
    f.cmms_verify_tls = cmms.verify_tls;
    for (const User& u : tx.users().list(false))
      if (u.active && u.email.ends_with("@plant.example")) f.demo_logins.push_back(u.login);
  });
  return f;
}

int cmd_doctor(const Args& args, const Config& config) {
  prepare_data_dir(config.data_dir);
  auto store = storage::open_store(config.db_url);
  // A key Visor refuses (e.g. readable by others) is a finding, not the end.
  std::optional<auth::SecretBox> box;
  std::string key_problem;
  try {
    box.emplace(open_secret_box(key_source(config)));
  } catch (const Error& e) {
    key_problem = e.detail();
  }
  const auto findings = services::assess(gather_posture(config, *store, box ? &*box : nullptr, key_problem));
  if (args.has("--json")) {
    std::cout << boost::json::serialize(services::to_json(findings)) << "\n";
  } else {
    for (const services::Finding& f : findings) {
      std::cout << "[" << services::to_string(f.level) << "] " << f.check << ": " << f.summary << "\n";
      if (!f.action.empty()) std::cout << "       → " << f.action << "\n";
    }
  }
  return services::worst(findings) == services::Level::fail ? 1 : 0;
}

}  // namespace visor::app
