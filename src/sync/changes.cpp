#include "sync/changes.hpp"

#include <array>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <sodium.h>

#include "sync/task_fields.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

// The settings key holding the CMMS URL (sync/connector_settings.cpp writes it).
constexpr std::string_view kCmmsUrlKey = "cmms.url";

constexpr std::array<std::pair<NoteKind, std::string_view>, 6> kNoteKinds{{
    {NoteKind::note, "note"},
    {NoteKind::step, "step"},
    {NoteKind::completion, "completion"},
    {NoteKind::photo, "photo"},
    {NoteKind::approval, "approval"},
    {NoteKind::triage, "triage"},
}};

std::string random_key() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

void enqueue(storage::Tx& tx, std::string record_key, std::string_view model, std::string_view operation,
             const json::object& payload, TimePoint now) {
  storage::OutboxMessage m;
  m.record_key = std::move(record_key);
  m.model = std::string(model);
  m.operation = std::string(operation);
  m.payload = json::serialize(payload);
  m.created_at = now;
  m.next_attempt_at = now;
  // Unique per message and stable across retries (stored with it).
  m.idempotency_key = random_key();
  tx.outbox().enqueue(m);
}

std::string task_key(const Task& t) { return "task:" + std::to_string(t.id.value); }

void note(storage::Tx& tx, const Task& task, std::optional<UserId> author, NoteKind kind, json::object payload,
          TimePoint now) {
  if (!cmms_connected(tx)) return;
  payload["task_id"] = task.id.value;
  payload["kind"] = to_string(kind);
  if (author && author->value > 0) payload["author_id"] = author->value;
  enqueue(tx, task_key(task), kTaskRecord, kNote, payload, now);
}

json::object step_json(const StepReport& s) {
  json::object o{{"number", s.number}, {"text", s.text}, {"done", s.done},   {"value", s.value},
                 {"unit", s.unit},     {"note", s.note}, {"kind", s.kind},   {"flag", s.flag},
                 {"expected", s.expected}, {"photos", s.photos}};
  if (s.follow_up) o["follow_up_id"] = s.follow_up->value;
  return o;
}

}  // namespace

std::string_view to_string(NoteKind kind) {
  for (const auto& [k, name] : kNoteKinds)
    if (k == kind) return name;
  return "note";
}

std::optional<NoteKind> parse_note_kind(std::string_view text) {
  for (const auto& [k, name] : kNoteKinds)
    if (name == text) return k;
  return std::nullopt;
}

MessageType message_type(const storage::OutboxMessage& m) {
  if (m.model == kTaskRecord || m.model == "maintenance.request") {
    const std::string& op = m.operation;
    if (op == kCreate) return {kTaskRecord, kCreate};
    if (op == kUpdate || op == "write") return {kTaskRecord, kUpdate};
    if (op == kDelete || op == "unlink") return {kTaskRecord, kDelete};
    if (op == kNote || op == "message_post") return {kTaskRecord, kNote};
    return {kTaskRecord, ""};
  }
  if ((m.model == kUserRecord || m.model == "res.users") && m.operation == kCreate) return {kUserRecord, kCreate};
  return {"", ""};
}

bool cmms_connected(storage::Tx& tx) { return tx.settings().get(kCmmsUrlKey).has_value(); }

void task_created(storage::Tx& tx, const Task& task, TimePoint now) {
  if (!cmms_connected(tx) || task.odoo_id) return;
  enqueue(tx, task_key(task), kTaskRecord, kCreate, {{"task_id", task.id.value}}, now);
}

void task_changed(storage::Tx& tx, const Task& before, const Task& after, TimePoint now) {
  if (!cmms_connected(tx)) return;
  json::object values;
  json::object base;
  for (TaskField f : all_task_fields()) {
    json::value was = payload_value(before, f);
    json::value is = payload_value(after, f);
    if (was == is) continue;
    values[payload_key(f)] = std::move(is);
    base[payload_key(f)] = std::move(was);
  }
  if (values.empty()) return;
  enqueue(tx, task_key(after), kTaskRecord, kUpdate,
          {{"task_id", after.id.value}, {"values", std::move(values)}, {"base", std::move(base)}}, now);
}

void task_deleted(storage::Tx& tx, const Task& task, TimePoint now) {
  if (!cmms_connected(tx)) return;
  json::object payload{{"task_id", task.id.value}};
  if (task.odoo_id) payload["cmms_id"] = task.odoo_id->value;
  enqueue(tx, task_key(task), kTaskRecord, kDelete, payload, now);
}

void task_note(storage::Tx& tx, const Task& task, std::optional<UserId> author, const std::string& text,
               TimePoint now) {
  note(tx, task, author, NoteKind::note, {{"text", text}}, now);
}

void task_step_result(storage::Tx& tx, const Task& task, std::optional<UserId> author, const StepReport& step,
                      TimePoint now) {
  json::object p{{"step", step.number}, {"step_text", step.text}};
  if (!step.value.empty()) p["value"] = step.value;
  if (!step.unit.empty()) p["unit"] = step.unit;
  if (!step.note.empty()) p["note"] = step.note;
  if (step.kind != "instruction") p["kind"] = step.kind;
  if (step.flag != "none") p["flag"] = step.flag;
  note(tx, task, author, NoteKind::step, std::move(p), now);
}

void task_completed(storage::Tx& tx, const Task& task, std::optional<UserId> author, const CompletionReport& report,
                    TimePoint now) {
  json::array steps;
  for (const auto& s : report.steps) steps.push_back(step_json(s));
  json::array codes;
  for (const auto& c : report.codes) codes.push_back({{"kind", c.kind}, {"code", c.code}, {"label", c.label}});
  note(tx, task, author, NoteKind::completion,
       {{"time_on_tool_seconds", report.time_on_tool.count()},
        {"steps", std::move(steps)},
        {"codes", std::move(codes)},
        {"signature", report.signature},
        {"approval_required", report.approval_required}},
       now);
}

void task_approved(storage::Tx& tx, const Task& task, std::optional<UserId> approver, const std::string& comment,
                   TimePoint now) {
  note(tx, task, approver, NoteKind::approval, {{"comment", comment}}, now);
}

void follow_up_created(storage::Tx& tx, const Task& follow_up, const Task& origin, int step, TimePoint now) {
  if (!cmms_connected(tx) || follow_up.odoo_id) return;
  enqueue(tx, task_key(follow_up), kTaskRecord, kCreate,
          {{"task_id", follow_up.id.value}, {"origin_task_id", origin.id.value}, {"origin_step", step}}, now);
}

void task_photo(storage::Tx& tx, const Task& task, std::optional<UserId> author, MediaId media, std::optional<int> step,
                TimePoint now) {
  json::object p{{"media_id", media.value}};
  if (step) p["step"] = *step;
  note(tx, task, author, NoteKind::photo, std::move(p), now);
}

void task_triaged(storage::Tx& tx, const Task& task, std::optional<UserId> author, const TriageDecision& d,
                  TimePoint now) {
  json::object p{{"decision", d.decision}};
  if (!d.reason.empty()) p["reason"] = d.reason;
  if (!d.assignee.empty()) p["assignee"] = d.assignee;
  if (d.schedule_start) p["schedule_start"] = format_iso8601(*d.schedule_start);
  if (d.priority) p["priority"] = *d.priority;
  if (!d.stage.empty()) p["stage"] = d.stage;
  if (d.into) p["into_task_id"] = d.into->value;
  if (!d.into_title.empty()) p["into_title"] = d.into_title;
  note(tx, task, author, NoteKind::triage, std::move(p), now);
}

void user_created(storage::Tx& tx, const User& user, TimePoint now) {
  if (!cmms_connected(tx) || user.odoo_id) return;
  enqueue(tx, "user:" + std::to_string(user.id.value), kUserRecord, kCreate, {{"user_id", user.id.value}}, now);
}

}  // namespace visor::sync
