// OutboxRepository: changes waiting for the CMMS, delivered in id order per
// record_key; a parked (failed) message holds back the later ones of its record.
#include <array>
#include <string>
#include <utility>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

#define VISOR_OUTBOX_COLUMNS                                                                              \
  "o.id, o.record_key, o.model, o.operation, o.payload, o.idempotency_key, o.status, o.attempts, " \
  "o.created_at, o.next_attempt_at, o.delivered_at, o.last_error"

constexpr std::string_view kEnqueue =
    "INSERT INTO outbox (record_key, model, operation, payload, idempotency_key, status, attempts, created_at, "
    "next_attempt_at, delivered_at, last_error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
// A message is due when it is pending, its time has come, and no older
// message of the same record is still pending or parked.
constexpr std::string_view kDue =
    "SELECT " VISOR_OUTBOX_COLUMNS
    " FROM outbox o WHERE o.status = 'pending' AND o.next_attempt_at <= $1"
    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.record_key = o.record_key AND p.id < o.id"
    " AND p.status <> 'delivered')"
    " ORDER BY o.id LIMIT $2";
constexpr std::string_view kListAll = "SELECT " VISOR_OUTBOX_COLUMNS " FROM outbox o ORDER BY o.id LIMIT $1";
constexpr std::string_view kListStatus =
    "SELECT " VISOR_OUTBOX_COLUMNS " FROM outbox o WHERE o.status = $1 ORDER BY o.id LIMIT $2";
#undef VISOR_OUTBOX_COLUMNS
constexpr std::string_view kDelivered =
    "UPDATE outbox SET status = 'delivered', delivered_at = $2, last_error = '' WHERE id = $1";
constexpr std::string_view kRetry =
    "UPDATE outbox SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1";
constexpr std::string_view kFailed = "UPDATE outbox SET status = 'failed', last_error = $2 WHERE id = $1";
constexpr std::string_view kRequeue =
    "UPDATE outbox SET status = 'pending', next_attempt_at = $2 WHERE id = $1 AND status = 'failed'";
constexpr std::string_view kExists = "SELECT 1 FROM outbox WHERE id = $1";
constexpr std::string_view kStats =
    "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending'),"
    " (SELECT count(*) FROM outbox WHERE status = 'failed'),"
    " (SELECT min(created_at) FROM outbox WHERE status = 'pending')";

constexpr std::array<std::pair<OutboxStatus, std::string_view>, 3> kStatuses{{
    {OutboxStatus::pending, "pending"},
    {OutboxStatus::delivered, "delivered"},
    {OutboxStatus::failed, "failed"},
}};

OutboxMessage read_message(const Rows& r) {
  Fields f(r);
  OutboxMessage m;
  m.id = f.i64();
  m.record_key = f.str();
  m.model = f.str();
  m.operation = f.str();
  m.payload = f.str();
  m.idempotency_key = f.str();
  const std::string status = f.str();
  m.status = stored_enum(parse_outbox_status(status), "outbox status", status);
  m.attempts = f.i32();
  m.created_at = f.time();
  m.next_attempt_at = f.time();
  m.delivered_at = f.opt_time();
  m.last_error = f.str();
  return m;
}

std::vector<OutboxMessage> all(Rows rows) {
  std::vector<OutboxMessage> out;
  while (rows.next()) out.push_back(read_message(rows));
  return out;
}

std::string missing(std::int64_t id) { return "Outbox message " + std::to_string(id) + " does not exist."; }

}  // namespace

std::int64_t SqlOutboxRepository::enqueue(OutboxMessage& m) {
  ctx_.require_writable();
  m.id = returned_id(ctx_.db().query(
      kEnqueue, {arg(m.record_key), arg(m.model), arg(m.operation), arg(m.payload), arg(m.idempotency_key),
                 arg(to_string(m.status)), arg(m.attempts), arg(m.created_at), arg(m.next_attempt_at),
                 arg(m.delivered_at), arg(m.last_error)}));
  return m.id;
}

std::vector<OutboxMessage> SqlOutboxRepository::due(TimePoint now, int limit) {
  if (limit < 1) return {};
  return all(ctx_.db().query(kDue, {arg(now), arg(limit)}));
}

void SqlOutboxRepository::mark_delivered(std::int64_t id, TimePoint at) {
  ctx_.require_writable();
  if (ctx_.db().execute(kDelivered, {arg(id), arg(at)}) == 0) not_found(missing(id));
}

void SqlOutboxRepository::mark_retry(std::int64_t id, int attempts, TimePoint next_attempt, const std::string& error) {
  ctx_.require_writable();
  if (ctx_.db().execute(kRetry, {arg(id), arg(attempts), arg(next_attempt), arg(error)}) == 0) not_found(missing(id));
}

void SqlOutboxRepository::mark_failed(std::int64_t id, const std::string& error) {
  ctx_.require_writable();
  if (ctx_.db().execute(kFailed, {arg(id), arg(error)}) == 0) not_found(missing(id));
}

void SqlOutboxRepository::requeue(std::int64_t id, TimePoint at) {
  ctx_.require_writable();
  if (ctx_.db().execute(kRequeue, {arg(id), arg(at)}) > 0) return;
  if (!ctx_.db().scalar(kExists, {arg(id)})) not_found(missing(id));
  fail(ErrorCode::conflict, "Outbox message " + std::to_string(id) + " is not failed.");
}

std::vector<OutboxMessage> SqlOutboxRepository::list(std::optional<OutboxStatus> status, int limit) {
  if (limit < 1) return {};
  if (!status) return all(ctx_.db().query(kListAll, {arg(limit)}));
  return all(ctx_.db().query(kListStatus, {arg(to_string(*status)), arg(limit)}));
}

OutboxStats SqlOutboxRepository::stats() {
  Rows rows = ctx_.db().query(kStats);
  OutboxStats s;
  if (!rows.next()) return s;
  s.pending = rows.i64(0);
  s.failed = rows.i64(1);
  s.oldest_pending = rows.opt_time(2);
  return s;
}

}  // namespace visor::storage::sql

namespace visor::storage {

std::string_view to_string(OutboxStatus status) {
  for (const auto& [s, text] : sql::kStatuses)
    if (s == status) return text;
  return "?";
}

std::optional<OutboxStatus> parse_outbox_status(std::string_view text) {
  for (const auto& [s, t] : sql::kStatuses)
    if (t == text) return s;
  return std::nullopt;
}

}  // namespace visor::storage
