// SettingsRepository (key/value) and MediaRepository (photo metadata).
#include <string>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

constexpr std::string_view kGetSetting = "SELECT value FROM settings WHERE key = $1";
constexpr std::string_view kPutSetting =
    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
constexpr std::string_view kRemoveSetting = "DELETE FROM settings WHERE key = $1";
constexpr std::string_view kAllSettings = "SELECT key, value FROM settings ORDER BY key";

constexpr std::string_view kInsertMedia =
    "INSERT INTO media (task_id, content_type, size, sha256, uploaded_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
constexpr std::string_view kGetMedia =
    "SELECT id, task_id, content_type, size, sha256, uploaded_by, created_at FROM media WHERE id = $1";
constexpr std::string_view kMediaOf =
    "SELECT id, task_id, content_type, size, sha256, uploaded_by, created_at FROM media WHERE task_id = $1 "
    "ORDER BY id";

Media read_media(const Rows& r) {
  Fields f(r);
  Media m;
  m.id = f.id<MediaId>();
  m.task_id = f.id<TaskId>();
  m.content_type = f.str();
  m.size = f.i64();
  m.sha256 = f.str();
  m.uploaded_by = f.opt_id<UserId>();
  m.created_at = f.time();
  return m;
}

}  // namespace

std::optional<std::string> SqlSettingsRepository::get(std::string_view key) {
  Rows rows = ctx_.db().query(kGetSetting, {arg(key)});
  if (!rows.next()) return std::nullopt;
  return rows.str(0);
}

void SqlSettingsRepository::put(std::string_view key, const std::string& value) {
  ctx_.require_writable();
  ctx_.db().execute(kPutSetting, {arg(key), arg(value)});
}

std::vector<std::pair<std::string, std::string>> SqlSettingsRepository::all() {
  std::vector<std::pair<std::string, std::string>> out;
  Rows rows = ctx_.db().query(kAllSettings);
  while (rows.next()) out.emplace_back(rows.str(0), rows.str(1));
  return out;
}

void SqlSettingsRepository::remove(std::string_view key) {
  ctx_.require_writable();
  ctx_.db().execute(kRemoveSetting, {arg(key)});
}

MediaId SqlMediaRepository::insert(Media& m) {
  ctx_.require_writable();
  m.id = MediaId(returned_id(ctx_.db().query(kInsertMedia, {arg(m.task_id), arg(m.content_type), arg(m.size),
                                                            arg(m.sha256), arg(m.uploaded_by), arg(m.created_at)})));
  return m.id;
}

std::optional<Media> SqlMediaRepository::get(MediaId id) {
  Rows rows = ctx_.db().query(kGetMedia, {arg(id)});
  if (!rows.next()) return std::nullopt;
  return read_media(rows);
}

std::vector<Media> SqlMediaRepository::for_task(TaskId id) {
  std::vector<Media> out;
  Rows rows = ctx_.db().query(kMediaOf, {arg(id)});
  while (rows.next()) out.push_back(read_media(rows));
  return out;
}

}  // namespace visor::storage::sql
