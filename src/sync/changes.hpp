#pragma once
// Recording local changes meant for the CMMS. Each function writes an outbox
// message in the caller's transaction — the change and its delivery order
// commit or roll back together — and does nothing when no CMMS is connected.
//
// Payloads name Visor's own ids and values; the delivery side (sync/outbox)
// resolves CMMS ids when it sends, so a change made before the record's own
// `create` has reached the CMMS still lands on the right record. Messages of
// one record share a record_key ("task:42") and are delivered in order.
//
// Payloads (JSON objects):
//   maintenance.request create        {"task_id"}            — the task as it is at send time
//   maintenance.request write         {"task_id", "values": {key: new}, "base": {key: old}}
//                                     keys and value forms: sync/task_fields.hpp; `base` is what
//                                     Visor held before the change, for the conflict check
//   maintenance.request unlink        {"task_id", "odoo_id"?}
//   maintenance.request message_post  {"task_id", "body"}   — HTML
//   res.users create                  {"user_id"}
#include <string>
#include <vector>

#include "domain/model.hpp"
#include "storage/store.hpp"

namespace visor::sync {

/// Settings key holding "1" while a CMMS connection is configured and enabled.
inline constexpr std::string_view kCmmsEnabledKey = "cmms.enabled";

bool cmms_enabled(storage::Tx& tx);

/// A task made in Visor (planner, technician fault report, public form).
void task_created(storage::Tx& tx, const Task& task, TimePoint now);
/// Planning and stage fields that differ between `before` and `after`
/// (title, description, schedule, assignee, stage, priority, type, equipment).
void task_changed(storage::Tx& tx, const Task& before, const Task& after, TimePoint now);
void task_deleted(storage::Tx& tx, const Task& task, TimePoint now);
/// A chatter note on the task (work log notes, step results, time on tool).
void task_note(storage::Tx& tx, const Task& task, const std::string& html, TimePoint now);
/// A user an admin asked to create in the CMMS too.
void user_created(storage::Tx& tx, const User& user, TimePoint now);

}  // namespace visor::sync
