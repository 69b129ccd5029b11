#include "services/media.hpp"

#include <sodium.h>

#include <cctype>

#include "sync/changes.hpp"
#include "util/error.hpp"
#include "util/image.hpp"

namespace visor::services {

namespace {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// The media type, compared without case and parameters (RFC 9110 8.3.1):
// "IMAGE/PNG; charset=binary" is a PNG.
std::optional<image::Format> format_of(std::string_view content_type) {
  std::string base(content_type.substr(0, content_type.find(';')));
  while (!base.empty() && (base.back() == ' ' || base.back() == '\t')) base.pop_back();
  while (!base.empty() && (base.front() == ' ' || base.front() == '\t')) base.erase(0, 1);
  for (char& c : base) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (base == "image/jpeg") return image::Format::jpeg;
  if (base == "image/png") return image::Format::png;
  if (base == "image/webp") return image::Format::webp;
  return std::nullopt;
}

// A photo step is done by its photo.
void mark_photo_step(storage::Tx& tx, TaskId id, std::optional<int> number, const Caller& caller, TimePoint at) {
  if (!number) return;
  std::vector<Step> steps = tx.tasks().steps(id);
  if (*number < 1 || *number > int(steps.size())) return;
  Step& step = steps[std::size_t(*number - 1)];
  if (step.kind != StepKind::photo || step.done) return;
  step.done = true;
  step.done_at = at;
  if (caller.actor.user.value > 0) step.done_by = caller.actor.user;
  tx.tasks().save_step(id, step);
}

}  // namespace

Media attach_photo(Deps& deps, const Caller& caller, TaskId id, const PhotoUpload& upload, media::MediaStore& files) {
  const auto declared = format_of(upload.content_type);
  if (!declared) fail(ErrorCode::unsupported_media, "Photos must be image/jpeg, image/png or image/webp.");
  const auto actual = image::sniff(upload.bytes);
  if (actual != declared)
    fail(ErrorCode::unsupported_media, "The body is not a " + std::string(image::content_type(*declared)) + " image.");
  const std::string clean = image::strip_metadata(upload.bytes, *actual);
  const std::string sha = sha256_hex(clean);
  const TimePoint now = deps.clock.now();
  const TimePoint at = upload.opts.at.value_or(now);
  if (at > now + std::chrono::minutes(5)) invalid("at lies in the future; check the device clock.");

  // Check access before touching the disk.
  deps.store.read([&](storage::Tx& tx) {
    const auto task = tx.tasks().get(id);
    if (!task || !can_view(caller.actor, *task)) not_found("Task " + std::to_string(id.value) + " does not exist.");
    if (!can_execute(caller.actor, *task)) fail(ErrorCode::forbidden, "Only the assigned technician or a manager can add photos.");
  });
  // Content-addressed: a second upload of the same photo writes nothing.
  const std::string name = media::content_name(sha, image::extension(*actual));
  if (!files.exists(name)) media::store_bytes(files, name, clean);

  return deps.store.write_value([&](storage::Tx& tx) {
    const auto task = tx.tasks().get(id);
    if (!task) not_found("Task " + std::to_string(id.value) + " does not exist.");
    if (!upload.opts.client_action_id.empty()) {
      // A replay returns the photo recorded the first time.
      const auto old = tx.tasks().log_entry_by_action(id, upload.opts.client_action_id);
      if (old && old->media)
        if (auto m = tx.media().get(*old->media)) return *m;
    }
    Media media;
    media.task_id = id;
    media.content_type = std::string(image::content_type(*actual));
    media.size = std::int64_t(clean.size());
    media.sha256 = sha;
    media.uploaded_by = caller.actor.user;
    media.created_at = now;
    WorkLogEntry e;
    e.task_id = id;
    e.user_id = caller.actor.user;
    e.kind = WorkLogKind::photo;
    e.at = at;
    e.step = upload.step;
    e.client_action_id = upload.opts.client_action_id;
    tx.media().insert(media);
    e.media = media.id;
    if (!tx.tasks().append_log(e)) fail(ErrorCode::conflict, "client_action_id was already used for another action.");
    mark_photo_step(tx, id, upload.step, caller, at);
    sync::task_photo(tx, *task, caller.actor.user.value > 0 ? std::optional<UserId>(caller.actor.user) : std::nullopt,
                     media.id, upload.step, now);
    audit(tx, caller, now, "task.photo", "task", std::to_string(id.value));
    tx.after_commit([&bus = deps.bus, id, team = task->team_id, assignee = task->assignee_id] {
      events::Audience a;
      if (assignee) a.users.push_back(*assignee);
      a.team = team;
      bus.publish("task.photo", "{\"id\":" + std::to_string(id.value) + "}", a);
    });
    return media;
  });
}

MediaFile open_media(Deps& deps, const Caller& caller, MediaId id, media::MediaStore& files) {
  const Media media = deps.store.read_value([&](storage::Tx& tx) {
    const auto media = tx.media().get(id);
    if (!media) not_found("Media " + std::to_string(id.value) + " does not exist.");
    const auto task = tx.tasks().get(media->task_id);
    if (!task || !can_view(caller.actor, *task)) not_found("Media " + std::to_string(id.value) + " does not exist.");
    if (!format_of(media->content_type)) fail(ErrorCode::internal, "Stored media has an unknown type.");
    return *media;
  });
  const auto format = format_of(media.content_type);
  MediaFile file{media, nullptr};
  try {
    file.reader = files.open(media::content_name(media.sha256, image::extension(*format)));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::not_found)
      fail(ErrorCode::unavailable, "The photo's file is missing from the media folder.");
    throw;
  }
  return file;
}

}  // namespace visor::services
