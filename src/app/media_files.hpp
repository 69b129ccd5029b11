#pragma once
// The media store of a deployment as the server and the CLI open it: the
// media keys opened under the secret key (generation 1 created on first
// start), the files stored before encryption counted, and whether plain
// files are still served (until `visor migrate` encrypted them).
#include <filesystem>
#include <memory>
#include <string>

#include "auth/secret_box.hpp"
#include "media/maintenance.hpp"
#include "media/store.hpp"
#include "storage/store.hpp"
#include "util/metrics.hpp"

namespace visor::app {

struct MediaFiles {
  std::unique_ptr<media::MediaStore> store;
  /// Empty when the media keys opened; otherwise why not (the store then
  /// refuses every read and write).
  std::string problem;
  /// Plain files are still served (some were found at start).
  bool plain_accepted = false;
  /// What the folder held at start, when it was looked at (plain files not
  /// refused yet); nullopt otherwise.
  std::optional<media::Census> census;
};

/// Opens the media store in `dir` for a running server or a command.
/// `integrity_failures` (may be null) counts files refused on reading.
MediaFiles open_media_files(storage::Store& store, const auth::SecretBox& box, const std::filesystem::path& dir,
                            metrics::Counter* integrity_failures = nullptr);

/// `visor migrate`'s part for media: encrypts the plain files and, when none
/// is left, refuses plain files from then on. Returns the lines to print.
std::vector<std::string> migrate_media(storage::Store& store, const auth::SecretBox& box,
                                       const std::filesystem::path& dir);

}  // namespace visor::app
