#include "app/ops_commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "app/data_dir.hpp"
#include "app/keys.hpp"
#include "app/operator.hpp"
#include "auth/audit.hpp"
#include "auth/sealed_settings.hpp"
#include "backup/backup.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace visor::app {
namespace fs = std::filesystem;

namespace {

auth::AuditSource operator_source() { return operator_acting().source(); }

void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

int cmd_backup(const Args& args, const Config& config) {
  const fs::path out = args.required("--out");
  SystemClock clock;
  prepare_data_dir(config.data_dir);
  std::optional<auth::SecretBox> key;
  if (args.has("--include-key")) key = open_secret_box(key_source(config));
  backup::BackupRequest request;
  request.db_url = config.db_url;
  request.media_dir = config.data_dir / "media";
  request.scratch_dir = config.data_dir;
  request.include_key = key ? &*key : nullptr;
  request.visor_version = VISOR_VERSION;
  request.now = clock.now();
  auto archive = backup::directory_writer(out);
  const backup::Manifest m = backup::create_backup(request, *archive);
  std::uint64_t bytes = 0;
  for (const auto& e : m.entries) bytes += e.size;
  auto store = storage::open_store(config.db_url);
  store->write([&](storage::Tx& tx) {
    auth::audit(tx, clock.now(), operator_source(), "backup.create", "backup", out.filename().string(),
                {{"path", fs::absolute(out).string()},
                 {"entries", std::to_string(m.entries.size())},
                 {"includes_key", m.includes_key ? "true" : "false"}});
  });
  std::cout << "Backed up " << m.backend << " (schema " << m.schema_version << "), " << m.entries.size()
            << " entries, " << bytes << " bytes, to " << out.string() << "\n";
  if (m.includes_key) {
    std::cout << "The backup holds the key that seals the stored secrets: keep it as safe as the key itself.\n";
  } else {
    std::cout << "The key that seals the stored secrets is not in the backup (" << key_source(config).describe()
              << "): keep a copy of it apart from the backups.\n";
  }
  return 0;
}

int cmd_restore(const Args& args, const Config& config) {
  const fs::path from = args.required("--from");
  auto archive = backup::directory_reader(from);
  if (args.has("--verify-only")) {
    const backup::Manifest m = backup::verify_backup(*archive);
    std::cout << "The backup is intact: " << m.backend << " (schema " << m.schema_version << "), "
              << m.entries.size() << " entries, made " << format_iso8601(m.created_at) << " by Visor "
              << m.visor_version << (m.includes_key ? ", with the key" : "") << ".\n";
    return 0;
  }
  const KeySource key = key_source(config);
  backup::RestoreRequest request;
  request.db_url = config.db_url;
  request.data_dir = config.data_dir;
  request.media_dir = config.data_dir / "media";
  if (key.is_file()) request.key_file = key.path;
  const backup::RestoreReport report = backup::restore_backup(*archive, request);
  prepare_data_dir(config.data_dir);
  // Brings an older backup's schema up to date, and records the restore.
  SystemClock clock;
  auto store = storage::open_store(config.db_url);
  store->write([&](storage::Tx& tx) {
    auth::audit(tx, clock.now(), operator_source(), "backup.restore", "backup", from.filename().string(),
                {{"path", fs::absolute(from).string()},
                 {"created_at", format_iso8601(report.manifest.created_at)},
                 {"visor_version", report.manifest.visor_version}});
  });
  std::cout << "Restored the backup of " << format_iso8601(report.manifest.created_at) << " ("
            << report.manifest.backend << ", schema " << report.manifest.schema_version << ") into "
            << config.data_dir.string() << "; schema now " << store->schema_version() << ".\n";
  if (report.key_restored) {
    std::cout << "The key from the backup is now " << key.describe() << ".\n";
  } else if (report.manifest.includes_key) {
    std::cout << "The backup holds a key, but " << key.describe()
              << " is used here; it was left as is. Start Visor with the key the secrets were sealed with.\n";
  } else {
    std::cout << "Start Visor with the key the stored secrets were sealed with (" << key.describe()
              << "); it says at start if they do not open.\n";
  }
  return 0;
}

int cmd_key_rotate(const Args& args, const Config& config) {
  const KeySource source = key_source(config);
  const auth::SecretBox old_box = open_secret_box(source);
  const auth::SecretBox new_box = auth::SecretBox::generate();
  fs::path target;
  const bool in_place = !args.option("--new-key-file");
  if (!in_place) {
    target = *args.option("--new-key-file");
  } else if (source.is_file()) {
    target = source.path.string() + ".new";
    std::error_code ec;
    if (fs::exists(target, ec))
      invalid(target.string() + " exists: a rotation was interrupted. If Visor starts with " + source.path.string() +
              ", remove it; otherwise move it over " + source.path.string() + ".");
  } else {
    invalid("The key comes from " + source.describe() +
            ", which Visor does not write: give --new-key-file FILE, then install that file as the key.");
  }
  new_box.write_new_key_file(target);
  SystemClock clock;
  int resealed = 0;
  try {
    prepare_data_dir(config.data_dir);
    auto store = storage::open_store(config.db_url);
    store->write([&](storage::Tx& tx) {
      resealed = auth::reseal_settings(tx, old_box, new_box);
      auth::audit(tx, clock.now(), operator_source(), "key.rotate", "key", "",
                  {{"secrets", std::to_string(resealed)}, {"new_key", in_place ? source.describe() : target.string()}});
    });
  } catch (...) {
    std::error_code ec;
    fs::remove(target, ec);  // the stored secrets are still sealed under the old key
    throw;
  }
  if (in_place) {
    if (::rename(target.c_str(), source.path.c_str()) != 0)
      fail(ErrorCode::unavailable, "The secrets are sealed under the new key in " + target.string() +
                                       " but it could not replace " + source.path.string() + ": move it there.");
    sync_dir(source.path.parent_path());
    std::cout << "Rotated the key in " << source.path.string() << "; " << resealed << " stored secret(s) re-sealed.\n";
  } else {
    std::cout << "Wrote the new key to " << target.string() << "; " << resealed
              << " stored secret(s) re-sealed. Install it as the key (" << source.describe() << ") now.\n";
  }
  std::cout << "Restart visor serve: a running server still holds the old key.\n";
  return 0;
}

}  // namespace visor::app
