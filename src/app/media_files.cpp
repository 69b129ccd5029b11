#include "app/media_files.hpp"

#include "media/file_store.hpp"
#include "media/keyring.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::app {
namespace fs = std::filesystem;

MediaFiles open_media_files(storage::Store& store, const auth::SecretBox& box, const fs::path& dir,
                            metrics::Counter* integrity_failures) {
  MediaFiles out;
  media::FileStoreOptions options;
  options.dir = dir;
  options.integrity_failures = integrity_failures;
  try {
    options.keys = std::make_shared<const media::MediaKeys>(
        store.write_value([&](storage::Tx& tx) { return media::open_media_keys(tx, box); }));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::invalid_input) throw;
    out.problem = "Photos can be neither stored nor served: " + e.detail() +
                  " Start Visor with the secret key the media keys were wrapped under.";
    options.locked_reason = out.problem;
  }
  const bool refused = store.read_value([](storage::Tx& tx) { return media::plain_files_refused(tx); });
  if (!refused) {
    out.census = media::take_census(dir);
    if (out.census->plain == 0 && options.keys) {
      // Nothing stored before encryption (a new deployment, or migrated):
      // from now on a plain file in the folder is refused, not served.
      store.write([](storage::Tx& tx) { media::refuse_plain_files(tx); });
    } else {
      out.plain_accepted = true;
    }
  }
  options.accept_plain = out.plain_accepted;
  out.store = media::file_media_store(std::move(options));
  return out;
}

std::vector<std::string> migrate_media(storage::Store& store, const auth::SecretBox& box, const fs::path& dir) {
  MediaFiles files = open_media_files(store, box, dir);
  if (!files.problem.empty()) invalid(files.problem);
  std::vector<std::string> lines;
  if (!files.plain_accepted) {
    lines.push_back("Media: every stored file is encrypted.");
    return lines;
  }
  const media::EncryptReport report = media::encrypt_plain_files(dir, *files.store);
  lines.push_back("Media: encrypted " + std::to_string(report.encrypted) + " file(s) stored in plain; " +
                  std::to_string(report.already) + " were encrypted already.");
  for (const std::string& p : report.problems) lines.push_back("  left as is: " + p);
  if (report.problems.empty() && media::take_census(dir).plain == 0) {
    store.write([](storage::Tx& tx) { media::refuse_plain_files(tx); });
    lines.push_back("Media: plain files are refused from now on (restart a running Visor to apply it).");
  } else {
    lines.push_back("Media: plain files are still served until every one is encrypted; run visor migrate again "
                    "after restoring the files above from a backup, or remove them.");
  }
  return lines;
}

}  // namespace visor::app
