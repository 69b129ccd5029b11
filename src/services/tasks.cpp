#include "services/tasks.hpp"

#include "services/completion.hpp"
#include "services/task_audit.hpp"
#include "services/task_internal.hpp"
#include "services/triage.hpp"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "api/json_write.hpp"
#include "domain/instructions.hpp"
#include "storage/task_steps.hpp"
#include "sync/changes.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::size_t kMaxNote = 4000;
constexpr auto kMaxClockSkew = std::chrono::minutes(5);
constexpr auto kMaxOfflineAge = std::chrono::days(30);

std::string id_text(TaskId id) { return std::to_string(id.value); }

// A card's summary and safety notes, parsed from the instruction HTML once
// per distinct text (tasks of one kind share it; a card is rendered on every
// floor write): a small, bounded, process-wide memo.
std::shared_ptr<const ParsedInstructions> card_instructions(const Instructions& in) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const ParsedInstructions>> memo;
  constexpr std::size_t kMaxEntries = 512;
  constexpr std::size_t kMaxText = 64 * 1024;
  if (in.text.size() > kMaxText) return std::make_shared<const ParsedInstructions>(parse_instructions(in));
  std::string key(1, static_cast<char>(in.kind));
  key += in.text;
  {
    const std::lock_guard lock(mutex);
    if (const auto it = memo.find(key); it != memo.end()) return it->second;
  }
  auto parsed = std::make_shared<const ParsedInstructions>(parse_instructions(in));
  const std::lock_guard lock(mutex);
  if (memo.size() >= kMaxEntries) memo.clear();
  memo.emplace(std::move(key), parsed);
  return parsed;
}

TaskDetail detail_of(Tx& tx, storage::TaskRow row, TimePoint now) {
  TaskDetail d;
  d.row = std::move(row);
  const TaskId id = d.row.task.id;
  d.steps = tx.tasks().steps(id);

  storage::WorkLogQuery newest;
  newest.limit = kCardLogEntries;
  newest.text_budget = kCardLogText;
  storage::WorkLogPage page = tx.tasks().work_log_page(id, newest);
  d.log = std::move(page.entries);
  d.log_before = std::move(page.before);
  storage::WorkLogSummary summary = tx.tasks().summary(id);
  d.photos = std::move(summary.photos);
  d.time_on_tool = time_on_tool(summary.sessions, now);
  if (!summary.sessions.empty()) d.session = summary.sessions.back();
  const auto parsed = card_instructions(d.row.task.instructions);
  d.summary = parsed->summary;
  d.safety = parsed->safety;
  d.overdue = is_overdue(d.row.task, d.row.stage_done, now);
  d.procedure = load_procedure_detail(tx, d.row.task.id);
  return d;
}

TaskDetail load_detail(Tx& tx, TaskId id, TimePoint now) {
  std::optional<storage::TaskRow> row = tx.tasks().get_row(id);
  if (!row) not_found("Task " + id_text(id) + " does not exist.");
  return detail_of(tx, std::move(*row), now);
}

// A task the caller may not see is reported as missing: its existence is
// not theirs to know.
Task load_visible(Tx& tx, const Caller& caller, TaskId id) {
  std::optional<Task> task = tx.tasks().get(id);
  if (!task || !can_view(caller.actor, *task)) not_found("Task " + id_text(id) + " does not exist.");
  return std::move(*task);
}

events::Audience audience_of(const Task& task, std::optional<UserId> previous_assignee = std::nullopt) {
  events::Audience a;
  if (task.assignee_id) a.users.push_back(*task.assignee_id);
  if (previous_assignee && previous_assignee != task.assignee_id) a.users.push_back(*previous_assignee);
  a.team = task.team_id;
  return a;
}

// A live event a write announces once it has committed: its type, who may
// see it and what it adds to the task's list form.
struct Announcement {
  std::string type;
  events::Audience audience;
  json::object extra;
};

// Publishes `type` with the task's list form once the transaction commits.
void publish_after_commit(Deps& deps, Tx& tx, std::string type, TaskId id, events::Audience audience,
                          json::object extra = {}) {
  std::optional<storage::TaskRow> row = tx.tasks().get_row(id);
  if (!row) return;
  json::object data = api::to_json(*row, deps.clock.now());
  for (auto& kv : extra) data[kv.key()] = kv.value();
  tx.after_commit([&bus = deps.bus, type = std::move(type), payload = json::serialize(data),
                   audience = std::move(audience)]() mutable {
    bus.publish(std::move(type), std::move(payload), std::move(audience));
  });
}

// What a floor write answers: the task's card, bounded whatever its
// history, read in the writing transaction itself (the single writer's page
// cache is warm — a reader's is dropped by SQLite whenever anything was
// written since its last read). The write's event, if it made one, is
// published once the transaction has committed, with the row read here.
TaskDetail answer(Deps& deps, const TaskDetail& card, std::optional<Announcement> event) {
  if (event) {
    deps.bus.publish(std::move(event->type), api::event_json(card.row, deps.clock.now(), event->extra),
                     std::move(event->audience));
  }
  return card;
}

TimePoint action_time(const ActionOptions& opts, TimePoint now) {
  if (!opts.at) return now;
  if (*opts.at > now + kMaxClockSkew) invalid("at lies in the future; check the device clock.");
  if (*opts.at < now - kMaxOfflineAge) invalid("at is more than 30 days old.");
  return *opts.at;
}

void check_action_id(const std::string& id) {
  if (id.size() > 64) invalid("client_action_id must be at most 64 characters.");
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      invalid("client_action_id may hold only letters, digits, '-' and '_'.");
}

// Appends the work-log entry first: a replayed action (same client id) is
// then recognised before anything else is written.
bool log_action(Tx& tx, const Caller& caller, TaskId id, WorkLogKind kind, TimePoint at, const ActionOptions& opts,
                std::optional<int> step = std::nullopt, std::string text = {}, std::string value = {}) {
  WorkLogEntry e;
  e.task_id = id;
  if (caller.actor.user.value != 0) e.user_id = caller.actor.user;
  e.kind = kind;
  e.at = at;
  e.step = step;
  e.text = std::move(text);
  e.value = std::move(value);
  e.client_action_id = opts.client_action_id;
  return tx.tasks().append_log(e);
}


void check_references(Tx& tx, const Task& t) {
  if (!tx.catalog().stage(t.stage_id)) invalid("stage_id " + std::to_string(t.stage_id.value) + " does not exist.");
  if (t.equipment_id && !tx.equipment().get(*t.equipment_id))
    invalid("equipment_id " + std::to_string(t.equipment_id->value) + " does not exist.");
  if (t.team_id && !tx.catalog().team(*t.team_id))
    invalid("team_id " + std::to_string(t.team_id->value) + " does not exist.");
  if (t.assignee_id) {
    const std::optional<User> u = tx.users().get(*t.assignee_id);
    if (!u || !u->active) invalid("assignee_id " + std::to_string(t.assignee_id->value) + " is not an active user.");
  }
}

void apply_changes(Task& t, const TaskChanges& c) {
  if (c.title) t.title = *c.title;
  if (c.description) t.description = *c.description;
  if (c.equipment_id) t.equipment_id = *c.equipment_id;
  if (c.assignee_id) t.assignee_id = *c.assignee_id;
  if (c.team_id) t.team_id = *c.team_id;
  if (c.stage_id) t.stage_id = *c.stage_id;
  if (c.priority) t.priority = *c.priority;
  if (c.type) t.type = *c.type;
  if (c.schedule_start) t.schedule_start = *c.schedule_start;
  if (c.schedule_end) t.schedule_end = *c.schedule_end;
  if (c.instructions) t.instructions = *c.instructions;
  if (c.recurrence) t.recurrence = *c.recurrence;
  if (c.archived) t.archived = *c.archived;
}

// A task without an explicit end lasts one hour, as in Odoo.
void default_end(Task& t) {
  if (t.schedule_start && !t.schedule_end) t.schedule_end = *t.schedule_start + std::chrono::hours(1);
}

void rebuild_steps(Tx& tx, const Task& t) { storage::rebuild_task_steps(tx, t); }

// Who acted, for notes meant for the CMMS: the person (a device acts for
// the user it is paired with); none for the system or the public form.
std::optional<UserId> author_of(const Caller& caller) {
  if (caller.actor.user.value <= 0) return std::nullopt;
  return caller.actor.user;
}

enum class Floor { start, pause, resume, complete };

TaskDetail floor_action(Deps& deps, const Caller& caller, TaskId id, const ActionOptions& opts, Floor action,
                        const Completion* completion = nullptr) {
  check_action_id(opts.client_action_id);
  const TimePoint now = deps.clock.now();
  const TimePoint at = action_time(opts, now);
  std::optional<Announcement> event;
  TaskDetail card;
  deps.store.write([&](Tx& tx) {
    event.reset();
    Task task = load_visible(tx, caller, id);
    const Task before = task;
    const StageSet stages(tx.catalog().stages());
    Transition tr{};
    switch (action) {
      case Floor::start: tr = plan_start(task, caller.actor, stages); break;
      case Floor::pause: tr = plan_pause(task, caller.actor); break;
      case Floor::resume: tr = plan_resume(task, caller.actor); break;
      case Floor::complete: tr = plan_complete(task, caller.actor, stages, at); break;
    }
    if (!log_action(tx, caller, id, tr.log, at, opts)) {
      card = load_detail(tx, id, now);  // a replay: already applied
      return;
    }
    if (action == Floor::complete) record_completion(tx, caller, task, completion ? *completion : Completion{}, at, now);
    apply(task, tr);
    task.updated_at = now;
    tx.tasks().update(task, before.version);
    sync::task_changed(tx, before, task, now);
    card = load_detail(tx, id, now);
    if (action == Floor::complete) report_completion(tx, task, author_of(caller), card, now);
    audit(tx, caller, now, "task." + std::string(to_string(tr.log)), "task", id_text(id));
    event = Announcement{"task.changed", audience_of(task, before.assignee_id),
                         {{"action", to_string(tr.log)}, {"by", caller.actor.user.value}}};
  });
  return answer(deps, card, std::move(event));
}

}  // namespace

TaskDetail get_task(Deps& deps, const Caller& caller, TaskId id) {
  return *get_task_unless(deps, caller, id, {});
}

std::optional<TaskDetail> get_task_unless(Deps& deps, const Caller& caller, TaskId id, const AtHand& at_hand) {
  return deps.store.read_value([&](Tx& tx) -> std::optional<TaskDetail> {
    if (at_hand &&
        at_hand(tx.tasks().stamps({storage::ChangeScope::of(id), storage::ChangeScope::names()}).text()))
      return std::nullopt;
    // One read of the row serves the visibility check and the card.
    std::optional<storage::TaskRow> row = tx.tasks().get_row(id);
    if (!row || !can_view(caller.actor, row->task)) not_found("Task " + id_text(id) + " does not exist.");
    return detail_of(tx, std::move(*row), deps.clock.now());
  });
}

storage::WorkLogPage work_log(Deps& deps, const Caller& caller, TaskId id, const storage::WorkLogQuery& query) {
  if (query.limit < 1 || query.limit > 500) invalid("limit must be between 1 and 500.");
  return deps.store.read_value([&](Tx& tx) {
    load_visible(tx, caller, id);
    return tx.tasks().work_log_page(id, query);
  });
}

std::vector<storage::ChangeScope> list_scopes(const storage::TaskQuery& q) {
  using storage::ChangeScope;
  std::vector<ChangeScope> scopes;
  if (q.scoped) {
    // A technician's view: their tasks and their team's, whatever the filters.
    if (q.scope_user) scopes.push_back(ChangeScope::of(*q.scope_user));
    if (q.scope_team) scopes.push_back(ChangeScope::of(*q.scope_team));
  } else if (q.assignee) {
    scopes.push_back(ChangeScope::of(*q.assignee));
  } else if (q.team && !q.unassigned_only) {
    scopes.push_back(ChangeScope::of(*q.team));
  } else {
    scopes.push_back(ChangeScope::all_tasks());
  }
  scopes.push_back(ChangeScope::names());
  return scopes;
}

TaskList list_tasks(Deps& deps, const Caller& caller, storage::TaskQuery query, const AtHand& unchanged,
                    bool with_total) {
  if (query.limit < 1 || query.limit > 500) invalid("limit must be between 1 and 500.");
  // A technician's own tasks are within their scope by definition, so the
  // wider (assignee OR team) filter is only needed for other lists.
  if (!caller.actor.plans() && query.assignee != caller.actor.user) {
    query.scoped = true;
    query.scope_user = caller.actor.user;
    query.scope_team = caller.actor.team;
  }
  TaskList result;
  deps.store.read([&](Tx& tx) {
    result.version = tx.tasks().stamps(list_scopes(query)).text();
    if (unchanged && unchanged(result.version)) return;
    result.page = tx.tasks().list(query);
    if (with_total) result.total = tx.tasks().count(query);
  });
  return result;
}

TaskDetail create_task(Deps& deps, const Caller& caller, const TaskChanges& changes) {
  if (!can_plan(caller.actor)) fail(ErrorCode::forbidden, "Only managers can create tasks; report a problem instead.");
  if (!changes.title) invalid("title is required.");
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    Task task;
    const StageSet stages(tx.catalog().stages());
    const std::optional<StageId> first = stages.first();
    if (!first) fail(ErrorCode::conflict, "No stages exist yet: sync with the CMMS or run demo-data first.");
    task.stage_id = *first;
    task.request_date = std::chrono::floor<std::chrono::days>(now);
    apply_changes(task, changes);
    // Without a team named (absent, not an explicit null), the machine's team.
    if (!changes.team_id && task.equipment_id) {
      if (auto eq = tx.equipment().get(*task.equipment_id)) task.team_id = eq->team_id;
    }
    default_end(task);
    validate(task);
    check_references(tx, task);
    if (stages.is_done(task.stage_id)) fail(ErrorCode::conflict, "A new task cannot start in a done stage.");
    task.created_at = task.updated_at = now;
    tx.tasks().insert(task);
    rebuild_steps(tx, task);
    sync::task_created(tx, task, now);
    audit(tx, caller, now, "task.create", "task", id_text(task.id),
          json::serialize(json::object{{"title", task.title}}));
    publish_after_commit(deps, tx, "task.created", task.id, audience_of(task));
    return load_detail(tx, task.id, now);
  });
}

TaskDetail update_task(Deps& deps, const Caller& caller, TaskId id, const TaskChanges& changes,
                       std::optional<std::int64_t> expected_version) {
  if (!can_plan(caller.actor)) fail(ErrorCode::forbidden, "Only managers can change the planning of a task.");
  const TimePoint now = deps.clock.now();
  return deps.store.write_value(
      [&](Tx& tx) { return update_task_in(tx, deps, caller, id, changes, expected_version, now); });
}

TaskDetail update_task_in(Tx& tx, Deps& deps, const Caller& caller, TaskId id, const TaskChanges& changes,
                          std::optional<std::int64_t> expected_version, TimePoint now) {
  if (!can_plan(caller.actor)) fail(ErrorCode::forbidden, "Only managers can change the planning of a task.");
  {
    Task task = load_visible(tx, caller, id);
    if (expected_version && *expected_version != task.version)
      fail(ErrorCode::precondition_failed, "The task changed since you read it (version " +
                                               std::to_string(task.version) + " now); reload and try again.");
    const Task before = task;
    apply_changes(task, changes);
    if (changes.schedule_start && !changes.schedule_end && task.schedule_start && before.schedule_start &&
        before.schedule_end) {
      // Moving a task keeps its duration.
      task.schedule_end = *task.schedule_start + (*before.schedule_end - *before.schedule_start);
    }
    default_end(task);
    validate(task);
    check_references(tx, task);
    const StageSet stages(tx.catalog().stages());
    if (changes.stage_id && stages.is_done(task.stage_id) && !stages.is_done(before.stage_id)) {
      task.execution = Execution::completed;
      task.close_date = std::chrono::floor<std::chrono::days>(now);
    } else if (changes.stage_id && !stages.is_done(task.stage_id) && stages.is_done(before.stage_id)) {
      task.execution = Execution::not_started;
      task.close_date.reset();
    }
    task.updated_at = now;
    tx.tasks().update(task, before.version);
    // The steps follow the instructions, and the procedure of the machine and kind of work.
    if (changes.instructions || before.equipment_id != task.equipment_id || before.type != task.type)
      rebuild_steps(tx, task);
    sync::task_changed(tx, before, task, now);
    audit(tx, caller, now, "task.update", "task", id_text(id), change_detail(tx, before, task));
    const bool reassigned = before.assignee_id != task.assignee_id;
    publish_after_commit(deps, tx, reassigned ? "task.assigned" : "task.changed", id,
                         audience_of(task, before.assignee_id),
                         {{"previous_assignee_id", api::id_or_null(before.assignee_id)}});
    return load_detail(tx, id, now);
  }
}

TaskDetail load_task_detail(Tx& tx, TaskId id, TimePoint now) { return load_detail(tx, id, now); }

void publish_task_change(Deps& deps, Tx& tx, std::string type, const Task& task, json::object extra) {
  publish_after_commit(deps, tx, std::move(type), task.id, audience_of(task), std::move(extra));
}

void delete_task(Deps& deps, const Caller& caller, TaskId id, std::optional<std::int64_t> expected_version) {
  if (!can_plan(caller.actor)) fail(ErrorCode::forbidden, "Only managers can delete tasks.");
  const TimePoint now = deps.clock.now();
  deps.store.write([&](Tx& tx) {
    const Task task = load_visible(tx, caller, id);
    if (expected_version && *expected_version != task.version)
      fail(ErrorCode::precondition_failed, "The task changed since you read it; reload and try again.");
    tx.tasks().remove(id);
    sync::task_deleted(tx, task, now);
    audit(tx, caller, now, "task.delete", "task", id_text(id), json::serialize(json::object{{"title", task.title}}));
    tx.after_commit([&bus = deps.bus, id, audience = audience_of(task)] {
      bus.publish("task.deleted", json::serialize(json::object{{"id", id.value}}), audience);
    });
  });
}

TaskDetail start_task(Deps& d, const Caller& c, TaskId id, const ActionOptions& o) {
  return floor_action(d, c, id, o, Floor::start);
}
TaskDetail pause_task(Deps& d, const Caller& c, TaskId id, const ActionOptions& o) {
  return floor_action(d, c, id, o, Floor::pause);
}
TaskDetail resume_task(Deps& d, const Caller& c, TaskId id, const ActionOptions& o) {
  return floor_action(d, c, id, o, Floor::resume);
}
TaskDetail complete_task(Deps& d, const Caller& c, TaskId id, const ActionOptions& o) {
  return floor_action(d, c, id, o, Floor::complete);
}
TaskDetail complete_task(Deps& d, const Caller& c, TaskId id, const ActionOptions& o, const Completion& completion) {
  return floor_action(d, c, id, o, Floor::complete, &completion);
}

TaskDetail add_note(Deps& deps, const Caller& caller, TaskId id, const std::string& text, const ActionOptions& opts) {
  check_action_id(opts.client_action_id);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) invalid("text must not be empty.");
  if (text.size() > kMaxNote) invalid("text must be at most 4000 bytes.");
  const TimePoint now = deps.clock.now();
  const TimePoint at = action_time(opts, now);
  std::optional<Announcement> event;
  TaskDetail card;
  deps.store.write([&](Tx& tx) {
    event.reset();
    const Task task = load_visible(tx, caller, id);
    if (!can_execute(caller.actor, task))
      fail(ErrorCode::forbidden, "Only the assigned technician or a manager can add notes.");
    if (!log_action(tx, caller, id, WorkLogKind::note, at, opts, std::nullopt, text)) {
      card = load_detail(tx, id, now);  // a replay: already applied
      return;
    }
    sync::task_note(tx, task, author_of(caller), text, now);
    audit(tx, caller, now, "task.note", "task", id_text(id));
    event = Announcement{"task.note", audience_of(task), {{"note", text}}};
    card = load_detail(tx, id, now);
  });
  return answer(deps, card, std::move(event));
}

namespace {

Task new_report(Tx& tx, const ProblemReport& r, TimePoint now) {
  const std::optional<Equipment> eq = tx.equipment().get_by_code(r.equipment_code);
  if (!eq || !eq->active) not_found("No machine has the code '" + r.equipment_code + "'.");
  const StageSet stages(tx.catalog().stages());
  if (!stages.first()) fail(ErrorCode::conflict, "No stages exist yet.");
  Task t;
  t.title = r.title;
  t.description = r.description;
  t.priority = r.priority;
  t.type = MaintenanceType::corrective;
  t.equipment_id = eq->id;
  t.team_id = eq->team_id;
  t.stage_id = *stages.first();
  t.request_date = std::chrono::floor<std::chrono::days>(now);
  t.reporter_contact = r.contact;
  t.created_at = t.updated_at = now;
  validate(t);
  if (t.description.size() > kMaxNote) invalid("description must be at most 4000 bytes.");
  if (t.reporter_contact.size() > 200) invalid("contact must be at most 200 bytes.");
  return t;
}

}  // namespace

TaskDetail report_problem(Deps& deps, const Caller& caller, const ProblemReport& report) {
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    Task task = new_report(tx, report, now);
    task.reported_by = caller.actor.user;
    tx.tasks().insert(task);
    sync::task_created(tx, task, now);
    audit(tx, caller, now, "task.report", "task", id_text(task.id),
          json::serialize(json::object{{"title", task.title}, {"equipment", report.equipment_code}}));
    open_triage(tx, deps, caller, task, caller.device ? TriageSource::glasses : TriageSource::app, now);
    events::Audience audience = audience_of(task);
    audience.users.push_back(caller.actor.user);
    publish_after_commit(deps, tx, "task.created", task.id, std::move(audience));
    return load_detail(tx, task.id, now);
  });
}

TaskId report_problem_public(Deps& deps, const std::string& remote_addr, const ProblemReport& report) {
  const TimePoint now = deps.clock.now();
  const Caller caller{Actor{UserId{0}, Role::technician, std::nullopt}, "public", remote_addr, std::nullopt};
  return deps.store.write_value([&](Tx& tx) {
    // Counted in the same transaction: a failed report (unknown machine,
    // bad input) rolls its count back too.
    const auth::Attempt attempt = auth::try_attempt(tx.auth(), auth::public_report_key(remote_addr), kPublicReports, now);
    if (!attempt.allowed())
      throw auth::RateLimited("Too many reports from this address. " + auth::retry_phrase(attempt.wait), attempt.wait);
    Task task = new_report(tx, report, now);
    tx.tasks().insert(task);
    sync::task_created(tx, task, now);
    audit(tx, caller, now, "task.report_public", "task", id_text(task.id),
          json::serialize(json::object{{"title", task.title}, {"equipment", report.equipment_code}}));
    open_triage(tx, deps, caller, task, TriageSource::qr_form, now);
    events::Audience planners;
    planners.planners_only = true;
    publish_after_commit(deps, tx, "task.created", task.id, planners, {{"public_report", true}});
    return task.id;
  });
}

// ---- pieces other use cases run in their own transaction (task_internal.hpp) ----

Task load_visible_task(Tx& tx, const Caller& caller, TaskId id) { return load_visible(tx, caller, id); }
TimePoint floor_action_time(const ActionOptions& opts, TimePoint now) {
  check_action_id(opts.client_action_id);
  return action_time(opts, now);
}
bool log_floor_action(Tx& tx, const Caller& caller, TaskId id, WorkLogKind kind, TimePoint at,
                      const ActionOptions& opts, std::optional<int> step, std::string text, std::string value) {
  return log_action(tx, caller, id, kind, at, opts, step, std::move(text), std::move(value));
}
std::optional<UserId> person_of(const Caller& caller) { return author_of(caller); }

}  // namespace visor::services
