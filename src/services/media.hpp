#pragma once
// Photos taken on the floor: checked, stripped of metadata, stored by content
// hash in the media store (encrypted at rest, media/), recorded in the task's
// work log and noted to the CMMS. Served back only to people who may see the
// task.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "media/store.hpp"
#include "services/context.hpp"
#include "services/tasks.hpp"

namespace visor::services {

struct PhotoUpload {
  std::string content_type;  // as declared by the client
  std::string_view bytes;  // the request's body: not copied
  std::optional<int> step;
  ActionOptions opts;
};

/// Stores a photo for a task (the caller must be able to work on it).
/// Errors: unsupported_media (not JPEG/PNG/WebP, or the declared type lies),
/// invalid_input (broken file), not_found, forbidden.
Media attach_photo(Deps& deps, const Caller& caller, TaskId id, const PhotoUpload& upload, media::MediaStore& files);

struct MediaFile {
  Media media;
  std::unique_ptr<media::MediaReader> reader;  // the bytes, verified as they are read
};

/// A stored photo, open for reading, if the caller may see its task.
/// Errors: not_found; media::IntegrityError when the stored file cannot be
/// verified (its header, size or key).
MediaFile open_media(Deps& deps, const Caller& caller, MediaId id, media::MediaStore& files);

}  // namespace visor::services
