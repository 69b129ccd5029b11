#include "services/triage.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "services/task_internal.hpp"
#include "sync/changes.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

void require_planner(const Caller& caller) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only managers and admins triage reported faults.");
}

std::string id_text(TaskId id) { return std::to_string(id.value); }

std::string name_of(Tx& tx, std::optional<UserId> id) {
  if (!id) return {};
  const auto u = tx.users().get(*id);
  return u ? u->name : std::string();
}

// The record of a report still waiting for a decision; a decided one is a
// conflict that names who decided and how.
TriageRecord pending_record(Tx& tx, TaskId id) {
  std::optional<TriageRecord> r = tx.triage().get(id);
  if (!r && !tx.tasks().get(id)) not_found("Task " + id_text(id) + " does not exist.");
  if (!r) not_found("Task " + id_text(id) + " was not reported from the floor: there is nothing to triage.");
  if (r->state != TriageState::pending) {
    const std::string by = name_of(tx, r->decided_by);
    fail(ErrorCode::conflict, "This report was already " + std::string(to_string(r->state)) +
                                  (by.empty() ? "" : " by " + by) + "; reload the inbox.");
  }
  return *r;
}

void announce(Tx& tx, Deps& deps, TaskId id, TriageState state) {
  events::Audience planners;
  planners.planners_only = true;
  const std::int64_t pending = tx.triage().count(TriageState::pending);
  tx.after_commit([&bus = deps.bus, payload = json::serialize(json::object{{"pending", pending},
                                                                            {"task_id", id.value},
                                                                            {"state", to_string(state)}}),
                   planners]() mutable { bus.publish("triage.changed", std::move(payload), std::move(planners)); });
}

std::optional<UserId> author_of(const Caller& caller) {
  if (caller.actor.user.value <= 0) return std::nullopt;
  return caller.actor.user;
}

void decide(Tx& tx, TriageRecord record, TriageState state, const Caller& caller, TimePoint now,
            std::string reason = {}, std::optional<TaskId> merged_into = std::nullopt) {
  record.state = state;
  record.decided_at = now;
  if (caller.actor.user.value != 0) record.decided_by = caller.actor.user;
  record.reason = std::move(reason);
  record.merged_into = merged_into;
  tx.triage().decide(record);
}

std::string encode_cursor(const TriageRecord& r) {
  return std::to_string(to_unix(r.reported_at)) + "." + std::to_string(r.task_id.value);
}

void decode_cursor(const std::string& text, storage::TriageQuery& q) {
  const auto dot = text.find('.');
  std::int64_t at = 0, id = 0;
  const auto whole = [](std::string_view s, std::int64_t& v) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
  };
  if (dot == std::string::npos || !whole(std::string_view(text).substr(0, dot), at) ||
      !whole(std::string_view(text).substr(dot + 1), id) || id <= 0)
    invalid("cursor is not valid; use the next_cursor of the previous page.");
  q.after_at = from_unix(at);
  q.after_task = id;
}

}  // namespace

void open_triage(Tx& tx, Deps& deps, const Caller& caller, const Task& task, TriageSource source, TimePoint now) {
  TriageRecord r;
  r.task_id = task.id;
  r.source = source;
  r.reported_at = now;
  if (caller.actor.user.value != 0) r.reporter_id = caller.actor.user;
  if (caller.device)
    if (const auto d = tx.auth().device(*caller.device)) r.device_name = d->name;
  tx.triage().insert(r);
  announce(tx, deps, task.id, TriageState::pending);
}

TriagePage list_triage(Deps& deps, const Caller& caller, TriageState state, const std::string& cursor, int limit) {
  require_planner(caller);
  if (limit < 1 || limit > 200) invalid("limit must be between 1 and 200.");
  storage::TriageQuery q;
  q.state = state;
  q.limit = limit + 1;
  if (!cursor.empty()) decode_cursor(cursor, q);
  return deps.store.read_value([&](Tx& tx) {
    TriagePage page;
    std::vector<TriageRecord> records = tx.triage().list(q);
    if (int(records.size()) > limit) {
      records.pop_back();
      page.next_cursor = encode_cursor(records.back());
    }
    for (TriageRecord& r : records) {
      std::optional<storage::TaskRow> row = tx.tasks().get_row(r.task_id);
      if (!row) continue;
      TriageItem item;
      item.description = row->task.description;
      item.reporter_name = name_of(tx, r.reporter_id);
      item.decided_by_name = name_of(tx, r.decided_by);
      item.row = std::move(*row);
      item.record = std::move(r);
      page.items.push_back(std::move(item));
    }
    page.pending = tx.triage().count(TriageState::pending);
    return page;
  });
}

std::int64_t pending_reports(Deps& deps, const Caller& caller) {
  require_planner(caller);
  return deps.store.read_value([&](Tx& tx) { return tx.triage().count(TriageState::pending); });
}

TaskDetail approve_report(Deps& deps, const Caller& caller, TaskId id, const Approval& a) {
  require_planner(caller);
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    const TriageRecord record = pending_record(tx, id);
    TaskChanges changes;
    changes.assignee_id = a.assignee_id;
    changes.team_id = a.team_id;
    changes.schedule_start = a.schedule_start;
    changes.schedule_end = a.schedule_end;
    changes.priority = a.priority;
    changes.stage_id = a.stage_id;
    TaskDetail d = update_task_in(tx, deps, caller, id, changes, std::nullopt, now);
    decide(tx, record, TriageState::approved, caller, now);
    const Task& t = d.row.task;
    // The stage change travels as the task's update; the chatter says why.
    sync::TriageDecision note;
    note.decision = "approved";
    note.assignee = t.assignee_id ? d.row.assignee_name : std::string();
    note.schedule_start = t.schedule_start;
    note.priority = t.priority;
    note.stage = d.row.stage_name;
    sync::task_triaged(tx, t, author_of(caller), note, now);
    audit(tx, caller, now, "triage.approve", "task", id_text(id),
          json::serialize(json::object{{"title", t.title},
                                       {"assignee", d.row.assignee_name},
                                       {"schedule_start", t.schedule_start ? json::value(format_iso8601(*t.schedule_start))
                                                                           : json::value(nullptr)},
                                       {"priority", t.priority},
                                       {"stage", d.row.stage_name}}));
    announce(tx, deps, id, TriageState::approved);
    return d;
  });
}

TaskDetail reject_report(Deps& deps, const Caller& caller, TaskId id, const std::string& reason) {
  require_planner(caller);
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    invalid("reason is required: say why the report is rejected.");
  if (reason.size() > kMaxTriageReason) invalid("reason must be at most 500 bytes.");
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    const TriageRecord record = pending_record(tx, id);
    TaskChanges changes;
    changes.archived = true;
    TaskDetail d = update_task_in(tx, deps, caller, id, changes, std::nullopt, now);
    decide(tx, record, TriageState::rejected, caller, now, reason);
    // The archive travels as the task's update; the chatter says why.
    sync::TriageDecision note;
    note.decision = "rejected";
    note.reason = reason;
    sync::task_triaged(tx, d.row.task, author_of(caller), note, now);
    audit(tx, caller, now, "triage.reject", "task", id_text(id),
          json::serialize(json::object{{"title", d.row.task.title}, {"reason", reason}}));
    announce(tx, deps, id, TriageState::rejected);
    return d;
  });
}

TaskDetail merge_report(Deps& deps, const Caller& caller, TaskId id, TaskId into) {
  require_planner(caller);
  if (id == into) invalid("A report cannot be merged into itself.");
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    const TriageRecord record = pending_record(tx, id);
    const std::optional<storage::TaskRow> target = tx.tasks().get_row(into);
    if (!target) invalid("into_task_id " + id_text(into) + " does not exist.");
    if (target->task.archived || target->stage_done || target->task.execution == Execution::completed)
      fail(ErrorCode::conflict, "Task " + id_text(into) + " is closed; merge into an open task or approve the report.");
    if (const auto other = tx.triage().get(into); other && other->state == TriageState::pending)
      fail(ErrorCode::conflict, "Task " + id_text(into) + " is itself waiting for triage; approve it first.");

    TaskChanges changes;
    changes.archived = true;
    const TaskDetail duplicate = update_task_in(tx, deps, caller, id, changes, std::nullopt, now);
    decide(tx, record, TriageState::merged, caller, now, {}, into);

    // The report's words join the task it duplicates, where its technician
    // reads them.
    const Task& dup = duplicate.row.task;
    const std::string reporter = record.reporter_id ? name_of(tx, record.reporter_id) : dup.reporter_contact;
    std::string note = "Duplicate report merged: " + dup.title;
    if (!dup.description.empty()) note += " — " + dup.description;
    if (!reporter.empty()) note += " (" + reporter + ")";
    if (note.size() > 4000) note.resize(4000);
    WorkLogEntry entry;
    entry.task_id = into;
    if (caller.actor.user.value != 0) entry.user_id = caller.actor.user;
    entry.kind = WorkLogKind::note;
    entry.at = now;
    entry.text = note;
    tx.tasks().append_log(entry);

    sync::TriageDecision merged;
    merged.decision = "merged";
    merged.into = into;
    merged.into_title = target->task.title;
    sync::task_triaged(tx, dup, author_of(caller), merged, now);
    sync::task_note(tx, target->task, author_of(caller), note, now);
    audit(tx, caller, now, "triage.merge", "task", id_text(id),
          json::serialize(json::object{{"title", dup.title}, {"into", into.value}, {"into_title", target->task.title}}));
    publish_task_change(deps, tx, "task.note", target->task, {{"note", note}, {"by", caller.actor.user.value}});
    announce(tx, deps, id, TriageState::merged);
    return load_task_detail(tx, into, now);
  });
}

}  // namespace visor::services
