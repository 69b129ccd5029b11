#pragma once
// Photos taken on the floor: checked, stripped of metadata, stored by content
// hash under <data_dir>/media, recorded in the task's work log and noted to the
// CMMS. Served back only to people who may see the task.
#include <filesystem>
#include <optional>
#include <string>

#include "services/context.hpp"
#include "services/tasks.hpp"

namespace visor::services {

struct PhotoUpload {
  std::string content_type;  // as declared by the client
  std::string bytes;
  std::optional<int> step;
  ActionOptions opts;
};

/// Stores a photo for a task (the caller must be able to work on it).
/// Errors: unsupported_media (not JPEG/PNG/WebP, or the declared type lies),
/// invalid_input (broken file), not_found, forbidden.
Media attach_photo(Deps& deps, const Caller& caller, TaskId id, const PhotoUpload& upload,
                   const std::filesystem::path& media_dir);

struct MediaFile {
  Media media;
  std::filesystem::path path;
};

/// Removes what uploads cut short by a crash left behind: `*.tmp<pid>` files
/// under `media_dir` whose process is gone (or that are older than an hour,
/// should the pid have been reused). Returns how many were removed. Call at
/// start.
int remove_orphan_uploads(const std::filesystem::path& media_dir);

/// A stored photo, if the caller may see its task.
MediaFile find_media(Deps& deps, const Caller& caller, MediaId id, const std::filesystem::path& media_dir);

}  // namespace visor::services
