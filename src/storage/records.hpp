#pragma once
// Operational records: the audit log, the outbox towards the CMMS, the sync
// bookkeeping (watermarks, pull status, conflicts), settings and media.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"

namespace visor::storage {

// --- audit -----------------------------------------------------------------

/// One change, by whom, from where. `detail` is a JSON object (no secrets).
struct AuditEntry {
  std::int64_t id = 0;
  TimePoint at{};
  std::optional<UserId> actor;
  std::string actor_label;  // login, "device:<name>", "system", "public"
  std::string action;       // "task.create", "user.disable", …
  std::string target_type;  // "task", "user", …
  std::string target_id;
  std::string detail = "{}";
  std::string remote_addr;
};

struct AuditQuery {
  std::optional<UserId> actor;
  std::string action;  // exact or prefix ending in '.' ("task.")
  std::string target_type;
  std::string target_id;
  std::optional<TimePoint> since;
  std::optional<TimePoint> until;
  std::int64_t before_id = 0;  // keyset pagination, newest first
  int limit = 100;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  virtual void append(AuditEntry& entry) = 0;
  virtual std::vector<AuditEntry> list(const AuditQuery& query) = 0;
};

// --- outbox ----------------------------------------------------------------

enum class OutboxStatus { pending, delivered, failed };

/// "pending", "delivered", "failed": the text form (store, API).
std::string_view to_string(OutboxStatus status);
std::optional<OutboxStatus> parse_outbox_status(std::string_view text);

/// A change waiting to be delivered to the CMMS. Written in the same
/// transaction as the change itself; delivered in id order per `record_key`.
struct OutboxMessage {
  std::int64_t id = 0;
  std::string record_key;  // ordering key, e.g. "task:42"
  std::string model;       // "maintenance.request"
  std::string operation;   // "create", "write", "unlink", "message_post", …
  std::string payload = "{}";  // JSON, operation-specific
  /// Stable across retries; lets delivery detect that a previous attempt of a
  /// `create` already reached the CMMS.
  std::string idempotency_key;
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  TimePoint created_at{};
  TimePoint next_attempt_at{};
  std::optional<TimePoint> delivered_at;
  std::string last_error;
};

struct OutboxStats {
  std::int64_t pending = 0;
  std::int64_t failed = 0;
  std::optional<TimePoint> oldest_pending;
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  virtual std::int64_t enqueue(OutboxMessage& message) = 0;
  /// Pending messages with next_attempt_at <= now, oldest first, and for each
  /// record_key only its oldest pending message (order per record).
  virtual std::vector<OutboxMessage> due(TimePoint now, int limit) = 0;
  virtual void mark_delivered(std::int64_t id, TimePoint at) = 0;
  virtual void mark_retry(std::int64_t id, int attempts, TimePoint next_attempt, const std::string& error) = 0;
  /// Parks a message that cannot succeed without an operator. Later messages
  /// of the same record wait behind it.
  virtual void mark_failed(std::int64_t id, const std::string& error) = 0;
  /// Puts a failed message back in the queue.
  virtual void requeue(std::int64_t id, TimePoint at) = 0;
  virtual std::vector<OutboxMessage> list(std::optional<OutboxStatus> status, int limit) = 0;
  virtual OutboxStats stats() = 0;
};

// --- sync bookkeeping ------------------------------------------------------

/// Where the incremental pull of one CMMS model stands. Odoo compares
/// write_date in whole seconds, so the pull asks for write_date >= mark and
/// skips the ids already seen at exactly that second.
struct Watermark {
  std::string model;
  std::optional<TimePoint> write_date;
  std::vector<std::int64_t> ids_at_mark;
};

struct PullStatus {
  std::string model;
  std::optional<TimePoint> last_success;
  std::optional<TimePoint> last_attempt;
  std::string last_error;
  std::int64_t records = 0;  // local records linked to that model (odoo_id set)
};

/// A CMMS change that met a local one. Planning fields: the CMMS wins and the
/// local value is kept here for review; execution data is never dropped.
struct Conflict {
  std::int64_t id = 0;
  std::optional<TaskId> task_id;
  std::string field;
  std::string local_value;
  std::string remote_value;
  std::string resolution;  // "cmms_wins", "local_kept", …
  TimePoint at{};
  std::optional<TimePoint> reviewed_at;
  std::optional<UserId> reviewed_by;
};

class SyncStateRepository {
 public:
  virtual ~SyncStateRepository() = default;
  virtual Watermark watermark(std::string_view model) = 0;
  virtual void save_watermark(const Watermark& mark) = 0;
  virtual void record_pull(std::string_view model, TimePoint at, bool ok, const std::string& error) = 0;
  virtual std::vector<PullStatus> pulls() = 0;
  virtual std::int64_t add_conflict(Conflict& c) = 0;
  virtual std::vector<Conflict> conflicts(bool unreviewed_only, int limit) = 0;
  virtual void review_conflict(std::int64_t id, UserId by, TimePoint at) = 0;
  /// Remembers that local record `local_id` was linked to CMMS record
  /// `cmms_id` of `model` until the CMMS deleted it (replaces an older entry).
  virtual void remember_unlinked(std::string_view model, std::int64_t cmms_id, std::int64_t local_id,
                                 TimePoint at) = 0;
  /// The local record CMMS record `cmms_id` of `model` was linked to, if Visor
  /// unlinked it after a deletion in the CMMS.
  virtual std::optional<std::int64_t> unlinked(std::string_view model, std::int64_t cmms_id) = 0;
  virtual void forget_unlinked(std::string_view model, std::int64_t cmms_id) = 0;
};

// --- settings and media ----------------------------------------------------

class SettingsRepository {
 public:
  virtual ~SettingsRepository() = default;
  virtual std::optional<std::string> get(std::string_view key) = 0;
  virtual void put(std::string_view key, const std::string& value) = 0;
  virtual void remove(std::string_view key) = 0;
  /// Every setting as (key, value), by key (key rotation re-seals them).
  virtual std::vector<std::pair<std::string, std::string>> all() = 0;
};

class MediaRepository {
 public:
  virtual ~MediaRepository() = default;
  virtual MediaId insert(Media& media) = 0;
  virtual std::optional<Media> get(MediaId id) = 0;
  virtual std::vector<Media> for_task(TaskId id) = 0;
};

}  // namespace visor::storage
