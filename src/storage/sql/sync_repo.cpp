// SyncStateRepository: pull watermarks and outcomes per CMMS model, and the
// conflicts the pull met.
#include <array>
#include <charconv>
#include <string>
#include <utility>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

constexpr std::string_view kWatermark = "SELECT write_date, ids_at_mark FROM sync_state WHERE model = $1";
constexpr std::string_view kSaveWatermark =
    "INSERT INTO sync_state (model, write_date, ids_at_mark) VALUES ($1, $2, $3) "
    "ON CONFLICT (model) DO UPDATE SET write_date = excluded.write_date, ids_at_mark = excluded.ids_at_mark";
constexpr std::string_view kPullOk =
    "INSERT INTO sync_state (model, last_success, last_attempt, last_error) VALUES ($1, $2, $2, '') "
    "ON CONFLICT (model) DO UPDATE SET last_success = excluded.last_success, "
    "last_attempt = excluded.last_attempt, last_error = ''";
constexpr std::string_view kPullFailed =
    "INSERT INTO sync_state (model, last_attempt, last_error) VALUES ($1, $2, $3) "
    "ON CONFLICT (model) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error";
constexpr std::string_view kPulls =
    "SELECT model, last_success, last_attempt, last_error FROM sync_state ORDER BY model";

// Local records linked to each CMMS model (fixed table names, never input).
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kLinkedCounts{{
    {"maintenance.request", "SELECT count(*) FROM tasks WHERE odoo_id IS NOT NULL"},
    {"maintenance.equipment", "SELECT count(*) FROM equipment WHERE odoo_id IS NOT NULL"},
    {"maintenance.equipment.category", "SELECT count(*) FROM categories WHERE odoo_id IS NOT NULL"},
    {"maintenance.stage", "SELECT count(*) FROM stages WHERE odoo_id IS NOT NULL"},
    {"maintenance.team", "SELECT count(*) FROM teams WHERE odoo_id IS NOT NULL"},
    {"res.users", "SELECT count(*) FROM users WHERE odoo_id IS NOT NULL"},
}};

constexpr std::string_view kAddConflict =
    "INSERT INTO conflicts (task_id, field, local_value, remote_value, resolution, at, reviewed_at, reviewed_by) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
#define VISOR_CONFLICT_COLUMNS \
  "id, task_id, field, local_value, remote_value, resolution, at, reviewed_at, reviewed_by"
constexpr std::string_view kConflictsAll =
    "SELECT " VISOR_CONFLICT_COLUMNS " FROM conflicts ORDER BY id DESC LIMIT $1";
constexpr std::string_view kConflictsUnreviewed =
    "SELECT " VISOR_CONFLICT_COLUMNS " FROM conflicts WHERE reviewed_at IS NULL ORDER BY id DESC LIMIT $1";
#undef VISOR_CONFLICT_COLUMNS
constexpr std::string_view kReview = "UPDATE conflicts SET reviewed_at = $2, reviewed_by = $3 WHERE id = $1";
constexpr std::string_view kRememberUnlinked =
    "INSERT INTO cmms_unlinked (model, cmms_id, local_id, unlinked_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (model, cmms_id) DO UPDATE SET local_id = excluded.local_id, unlinked_at = excluded.unlinked_at";
constexpr std::string_view kUnlinked = "SELECT local_id FROM cmms_unlinked WHERE model = $1 AND cmms_id = $2";
constexpr std::string_view kForgetUnlinked = "DELETE FROM cmms_unlinked WHERE model = $1 AND cmms_id = $2";

std::string join_ids(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (std::int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

std::vector<std::int64_t> split_ids(std::string_view text) {
  std::vector<std::int64_t> ids;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || end != part.data() + part.size())
      throw Error(ErrorCode::internal, "The database holds a malformed sync watermark.",
                  "ids_at_mark part \"" + std::string(part) + "\" is not an integer");
    ids.push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return ids;
}

}  // namespace

Watermark SqlSyncStateRepository::watermark(std::string_view model) {
  Watermark mark;
  mark.model = std::string(model);
  Rows rows = ctx_.db().query(kWatermark, {arg(model)});
  if (!rows.next()) return mark;
  mark.write_date = rows.opt_time(0);
  mark.ids_at_mark = split_ids(rows.str(1));
  return mark;
}

void SqlSyncStateRepository::save_watermark(const Watermark& mark) {
  ctx_.require_writable();
  ctx_.db().execute(kSaveWatermark, {arg(mark.model), arg(mark.write_date), arg(join_ids(mark.ids_at_mark))});
}

void SqlSyncStateRepository::record_pull(std::string_view model, TimePoint at, bool ok, const std::string& error) {
  ctx_.require_writable();
  if (ok) {
    ctx_.db().execute(kPullOk, {arg(model), arg(at)});
    return;
  }
  ctx_.db().execute(kPullFailed, {arg(model), arg(at), arg(error)});
}

std::vector<PullStatus> SqlSyncStateRepository::pulls() {
  std::vector<PullStatus> out;
  {
    Rows rows = ctx_.db().query(kPulls);
    while (rows.next()) {
      Fields f(rows);
      PullStatus p;
      p.model = f.str();
      p.last_success = f.opt_time();
      p.last_attempt = f.opt_time();
      p.last_error = f.str();
      out.push_back(std::move(p));
    }
  }
  for (PullStatus& p : out) {
    for (const auto& [model, sql] : kLinkedCounts)
      if (model == p.model) p.records = ctx_.db().scalar(sql).value_or(0);
  }
  return out;
}

std::int64_t SqlSyncStateRepository::add_conflict(Conflict& c) {
  ctx_.require_writable();
  c.id = returned_id(ctx_.db().query(kAddConflict, {arg(c.task_id), arg(c.field), arg(c.local_value),
                                                    arg(c.remote_value), arg(c.resolution), arg(c.at),
                                                    arg(c.reviewed_at), arg(c.reviewed_by)}));
  return c.id;
}

std::vector<Conflict> SqlSyncStateRepository::conflicts(bool unreviewed_only, int limit) {
  std::vector<Conflict> out;
  if (limit < 1) return out;
  Rows rows = ctx_.db().query(unreviewed_only ? kConflictsUnreviewed : kConflictsAll, {arg(limit)});
  while (rows.next()) {
    Fields f(rows);
    Conflict c;
    c.id = f.i64();
    c.task_id = f.opt_id<TaskId>();
    c.field = f.str();
    c.local_value = f.str();
    c.remote_value = f.str();
    c.resolution = f.str();
    c.at = f.time();
    c.reviewed_at = f.opt_time();
    c.reviewed_by = f.opt_id<UserId>();
    out.push_back(std::move(c));
  }
  return out;
}

void SqlSyncStateRepository::review_conflict(std::int64_t id, UserId by, TimePoint at) {
  ctx_.require_writable();
  if (ctx_.db().execute(kReview, {arg(id), arg(at), arg(by)}) == 0)
    not_found("Conflict " + std::to_string(id) + " does not exist.");
}

void SqlSyncStateRepository::remember_unlinked(std::string_view model, std::int64_t cmms_id, std::int64_t local_id,
                                               TimePoint at) {
  ctx_.require_writable();
  ctx_.db().execute(kRememberUnlinked, {arg(model), arg(cmms_id), arg(local_id), arg(at)});
}

std::optional<std::int64_t> SqlSyncStateRepository::unlinked(std::string_view model, std::int64_t cmms_id) {
  Rows rows = ctx_.db().query(kUnlinked, {arg(model), arg(cmms_id)});
  if (!rows.next()) return std::nullopt;
  return rows.i64(0);
}

void SqlSyncStateRepository::forget_unlinked(std::string_view model, std::int64_t cmms_id) {
  ctx_.require_writable();
  ctx_.db().execute(kForgetUnlinked, {arg(model), arg(cmms_id)});
}

}  // namespace visor::storage::sql
