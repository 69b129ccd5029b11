#pragma once
// Recording local changes meant for the CMMS. Each function writes an outbox
// message in the caller's transaction — the change and its delivery order
// commit or roll back together — whenever a CMMS connection is configured,
// enabled or not: work done while the connector is disabled is delivered
// once it is enabled again.
//
// Messages are written in Visor's own terms — Visor's ids, field names and
// values, never a CMMS model or method — and the connector translates them
// when it delivers (connectors/odoo/push.hpp for Odoo). A change made before
// the record's own `create` has reached the CMMS still lands on the right
// record. Messages of one record share a record_key ("task:42") and are
// delivered in order.
//
//   model "task"
//     create  {"task_id", "origin_task_id"?, "origin_step"?}
//             the task as it is at send time; a follow-up names the task
//             and step it was raised from
//     update  {"task_id", "values": {key: new}, "base": {key: old}}
//             keys and value forms: sync/task_fields.hpp; `base` is what Visor
//             held before the change, for the conflict check
//     delete  {"task_id", "cmms_id"?}
//     note    {"task_id", "author_id"?, "kind", …}  see NoteKind below
//   model "user"
//     create  {"user_id"}
#include <optional>
#include <string>
#include <vector>

#include "domain/model.hpp"
#include "storage/store.hpp"

namespace visor::sync {

/// Model and operation names of outbox messages.
inline constexpr std::string_view kTaskRecord = "task";
inline constexpr std::string_view kUserRecord = "user";
inline constexpr std::string_view kCreate = "create";
inline constexpr std::string_view kUpdate = "update";
inline constexpr std::string_view kDelete = "delete";
inline constexpr std::string_view kNote = "note";

/// What an outbox message is about, in the names above. Messages recorded
/// before these names (Odoo's "maintenance.request" / "res.users" and their
/// methods) are read as what they meant, so none is lost across an upgrade.
struct MessageType {
  std::string_view record;     // kTaskRecord, kUserRecord or "" (unknown)
  std::string_view operation;  // kCreate, kUpdate, kDelete, kNote or ""
};
MessageType message_type(const storage::OutboxMessage& m);

/// True while a CMMS connection is configured (enabled or not): changes are
/// then recorded for it.
bool cmms_connected(storage::Tx& tx);

/// What a note says. Its text is rendered by the connector (a chatter note
/// in Odoo) naming the author, a person — never a device.
///   note        {"text"}
///   step        {"step", "step_text", "value"?, "unit"?, "note"?, "kind"?, "flag"?}
///   completion  {"time_on_tool_seconds", "steps": [{"number", "text", "done", "value", "unit", "note",
///                "kind", "flag", "expected", "photos", "follow_up_id"?}],
///                "codes": [{"kind", "code", "label"}], "signature", "approval_required"}
///   photo       {"media_id", "step"?}
///   approval    {"comment"}   a supervisor approved the signed-off work
///   triage      {"decision": "approved"|"rejected"|"merged", "reason"?, "assignee"?, "schedule_start"?,
///                "priority"?, "stage"?, "into_task_id"?, "into_title"?}
///               a planner's decision on a reported fault (services/triage.hpp); the
///               stage or archive it implies travels as the task's own update
enum class NoteKind { note, step, completion, photo, approval, triage };
std::string_view to_string(NoteKind kind);
std::optional<NoteKind> parse_note_kind(std::string_view text);

/// A step's result as a note or a completion reports it.
struct StepReport {
  int number = 0;
  std::string text;
  bool done = false;
  std::string value;
  std::string unit;
  std::string note;
  std::string kind = "instruction";  // domain StepKind, text form
  std::string flag = "none";         // domain StepFlag, text form
  std::string expected;              // a number step's range in words ("3–3.5 bar")
  int photos = 0;
  std::optional<TaskId> follow_up;   // the follow-up raised from it
};

/// A failure code as the CMMS reads it (the label in the author's language).
struct CodeReport {
  std::string kind;  // problem, cause, remedy
  std::string code;
  std::string label;
};

/// Everything a completion reports.
struct CompletionReport {
  std::chrono::seconds time_on_tool{0};
  std::vector<StepReport> steps;
  std::vector<CodeReport> codes;
  std::string signature;           // the technician's sign-off ("" when none)
  bool approval_required = false;  // a supervisor approves it in the console
};

/// A task made in Visor (planner, technician fault report, public form).
void task_created(storage::Tx& tx, const Task& task, TimePoint now);
/// Planning and stage fields that differ between `before` and `after`
/// (title, description, schedule, assignee, stage, priority, type, equipment).
void task_changed(storage::Tx& tx, const Task& before, const Task& after, TimePoint now);
void task_deleted(storage::Tx& tx, const Task& task, TimePoint now);
/// A note written by `author` (nullopt: the system).
void task_note(storage::Tx& tx, const Task& task, std::optional<UserId> author, const std::string& text, TimePoint now);
/// A step result (value and/or note) recorded by `author`.
void task_step_result(storage::Tx& tx, const Task& task, std::optional<UserId> author, const StepReport& step,
                      TimePoint now);
/// The work completed by `author`: time on tool, every step's result, the
/// failure codes and the sign-off.
void task_completed(storage::Tx& tx, const Task& task, std::optional<UserId> author, const CompletionReport& report,
                    TimePoint now);
/// A supervisor's approval of signed-off work.
void task_approved(storage::Tx& tx, const Task& task, std::optional<UserId> approver, const std::string& comment,
                   TimePoint now);
/// A follow-up raised from step `step` of `origin`: created in the CMMS as a
/// new request naming the original.
void follow_up_created(storage::Tx& tx, const Task& follow_up, const Task& origin, int step, TimePoint now);
/// A photo added by `author`, at `step` if given.
void task_photo(storage::Tx& tx, const Task& task, std::optional<UserId> author, MediaId media, std::optional<int> step,
                TimePoint now);
/// A planner's decision on a reported fault, as the CMMS's chatter tells it.
struct TriageDecision {
  std::string decision;  // "approved", "rejected" or "merged"
  std::string reason;    // rejected: why
  std::string assignee;  // approved: who (a name), "" for nobody
  std::optional<TimePoint> schedule_start;
  std::optional<int> priority;  // 0..3
  std::string stage;            // approved: the stage's name
  std::optional<TaskId> into;   // merged: the task it joined
  std::string into_title;
};
void task_triaged(storage::Tx& tx, const Task& task, std::optional<UserId> author, const TriageDecision& decision,
                  TimePoint now);
/// A user an admin asked to create in the CMMS too.
void user_created(storage::Tx& tx, const User& user, TimePoint now);

}  // namespace visor::sync
