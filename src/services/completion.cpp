#include "services/completion.hpp"

#include <boost/json/serialize.hpp>

#include "domain/failure_codes.hpp"
#include "domain/steps.hpp"
#include "domain/value_range.hpp"
#include "services/task_internal.hpp"
#include "sync/changes.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::size_t kMaxSignature = 200;
constexpr std::size_t kMaxComment = 1000;

std::string id_text(TaskId id) { return std::to_string(id.value); }

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

int photos_of(const std::vector<WorkLogEntry>& log, int step) {
  int n = 0;
  for (const auto& e : log)
    if (e.kind == WorkLogKind::photo && e.step == step) ++n;
  return n;
}

// The code `id`, checked: it exists, is active and belongs to `kind`'s list.
FailureCode checked_code(Tx& tx, FailureCodeId id, FailureCodeKind kind) {
  const std::string field = std::string(to_string(kind)) + "_id";
  const std::optional<FailureCode> code = tx.failure_codes().get(id);
  if (!code) invalid(field + " " + std::to_string(id.value) + " is not a failure code.");
  if (code->kind != kind)
    invalid(field + " " + std::to_string(id.value) + " (" + code->code + ") is a " + std::string(to_string(code->kind)) +
            " code, not a " + std::string(to_string(kind)) + " code.");
  if (!code->active) invalid(field + " " + std::to_string(id.value) + " (" + code->code + ") is retired.");
  return *code;
}

void save_codes(Tx& tx, const Caller& caller, TaskId id, const FailureCodes& codes, TimePoint now) {
  if (codes.problem) checked_code(tx, *codes.problem, FailureCodeKind::problem);
  if (codes.cause) checked_code(tx, *codes.cause, FailureCodeKind::cause);
  if (codes.remedy) checked_code(tx, *codes.remedy, FailureCodeKind::remedy);
  TaskFailure f{codes.problem, codes.cause, codes.remedy, person_of(caller), now};
  tx.failure_codes().save_for_task(id, f);
}

std::string locale_of(Tx& tx, std::optional<UserId> user) {
  if (!user) return "en";
  const auto u = tx.users().get(*user);
  return u ? u->locale : "en";
}

std::string expected_words(const Step& s) {
  if (s.kind != StepKind::number) return "";
  const std::string unit = s.unit.empty() ? "" : " " + s.unit;
  if (s.min && s.max) return format_decimal(*s.min) + "–" + format_decimal(*s.max) + unit;
  if (s.max) return "≤ " + format_decimal(*s.max) + unit;
  if (s.min) return "≥ " + format_decimal(*s.min) + unit;
  return "";
}

}  // namespace

void record_completion(Tx& tx, const Caller& caller, const Task& task, const Completion& c, TimePoint at,
                       TimePoint now) {
  const std::vector<Step> steps = tx.tasks().steps(task.id);
  const std::vector<WorkLogEntry> log = tx.tasks().work_log(task.id);
  const auto missing = missing_answers(steps, [&](int n) { return photos_of(log, n); });
  if (!missing.empty()) {
    std::string list;
    for (const Step* s : missing) list += (list.empty() ? "" : ", ") + std::to_string(s->number) + " (" + s->text + ")";
    fail(ErrorCode::conflict, (missing.size() == 1 ? "Step " : "Steps ") + list + (missing.size() == 1 ? " needs" : " need") +
                                  " an answer before the task can be completed.");
  }
  if (c.signature.size() > kMaxSignature) invalid("signature must be at most 200 bytes.");
  const std::optional<TaskProcedure> followed = tx.procedures().of_task(task.id);
  const SignOff asked = followed ? followed->signoff : SignOff::none;
  if (asked != SignOff::none && blank(c.signature))
    invalid("This task asks for your sign-off: send signature (your name, or what you said to confirm).");
  if (!blank(c.signature)) {
    TaskSignOff s = tx.procedures().signoff(task.id).value_or(TaskSignOff{});
    s.signature = c.signature;
    s.signed_by = person_of(caller);
    s.signed_at = at;
    tx.procedures().save_signoff(task.id, s);
    WorkLogEntry e;
    e.task_id = task.id;
    e.user_id = person_of(caller);
    e.kind = WorkLogKind::signed_off;
    e.at = at;
    e.text = c.signature;
    tx.tasks().append_log(e);
  }
  if (!c.codes.empty()) save_codes(tx, caller, task.id, c.codes, now);
}

void report_completion(Tx& tx, const Task& task, std::optional<UserId> author, const TaskDetail& d, TimePoint now) {
  sync::CompletionReport report;
  report.time_on_tool = d.time_on_tool;
  for (const Step& s : d.steps) {
    sync::StepReport r{s.number, s.text, s.done, s.value, s.unit, s.note};
    r.kind = std::string(to_string(s.kind));
    r.flag = std::string(to_string(step_flag(s)));
    r.expected = expected_words(s);
    r.photos = photos_of(d.log, s.number);
    r.follow_up = follow_up_of_step(d.procedure, s.number);
    report.steps.push_back(std::move(r));
  }
  const std::string locale = locale_of(tx, author);
  for (const auto* code : {&d.procedure.problem, &d.procedure.cause, &d.procedure.remedy})
    if (*code) report.codes.push_back({std::string(to_string((*code)->kind)), (*code)->code, label(**code, locale)});
  if (d.procedure.signoff) report.signature = d.procedure.signoff->signature;
  report.approval_required = d.procedure.followed && d.procedure.followed->signoff == SignOff::supervisor;
  sync::task_completed(tx, task, author, report, now);
}

TaskDetail approve_task(Deps& deps, const Caller& caller, TaskId id, const std::string& comment) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only a supervisor (manager) can approve work.");
  if (comment.size() > kMaxComment) invalid("comment must be at most 1000 bytes.");
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    const Task task = load_visible_task(tx, caller, id);
    const std::optional<TaskProcedure> followed = tx.procedures().of_task(id);
    if (!followed || followed->signoff != SignOff::supervisor)
      fail(ErrorCode::conflict, "Task " + id_text(id) + " does not ask for a supervisor's approval.");
    if (task.execution != Execution::completed)
      fail(ErrorCode::conflict, "Task " + id_text(id) + " is not completed yet: approve it once it is signed off.");
    TaskSignOff s = tx.procedures().signoff(id).value_or(TaskSignOff{});
    if (s.approved_at) fail(ErrorCode::conflict, "Task " + id_text(id) + " is approved already.");
    s.approved_by = person_of(caller);
    s.approved_at = now;
    s.approval_comment = comment;
    tx.procedures().save_signoff(id, s);
    WorkLogEntry e;
    e.task_id = id;
    e.user_id = person_of(caller);
    e.kind = WorkLogKind::approved;
    e.at = now;
    e.text = comment;
    tx.tasks().append_log(e);
    sync::task_approved(tx, task, person_of(caller), comment, now);
    audit(tx, caller, now, "task.approve", "task", id_text(id));
    publish_task_change(deps, tx, "task.changed", task, {{"action", "approved"}, {"by", caller.actor.user.value}});
    return load_task_detail(tx, id, now);
  });
}

TaskDetail set_failure_codes(Deps& deps, const Caller& caller, TaskId id, const FailureCodes& codes) {
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    const Task task = load_visible_task(tx, caller, id);
    if (!can_execute(caller.actor, task))
      fail(ErrorCode::forbidden, "Only the assigned technician or a manager can record failure codes.");
    save_codes(tx, caller, id, codes, now);
    audit(tx, caller, now, "task.failure_codes", "task", id_text(id),
          json::serialize(json::object{{"problem_id", codes.problem ? json::value(codes.problem->value) : nullptr},
                                       {"cause_id", codes.cause ? json::value(codes.cause->value) : nullptr},
                                       {"remedy_id", codes.remedy ? json::value(codes.remedy->value) : nullptr}}));
    publish_task_change(deps, tx, "task.changed", task, {{"action", "failure_codes"}});
    return load_task_detail(tx, id, now);
  });
}

ProcedureDetail load_procedure_detail(Tx& tx, TaskId id) {
  ProcedureDetail d;
  d.followed = tx.procedures().of_task(id);
  if (d.followed && d.followed->procedure_id)
    if (auto p = tx.procedures().get(*d.followed->procedure_id)) d.procedure_name = p->name;
  d.signoff = tx.procedures().signoff(id);
  d.failure = tx.failure_codes().of_task(id);
  if (d.failure) {
    if (d.failure->problem) d.problem = tx.failure_codes().get(*d.failure->problem);
    if (d.failure->cause) d.cause = tx.failure_codes().get(*d.failure->cause);
    if (d.failure->remedy) d.remedy = tx.failure_codes().get(*d.failure->remedy);
  }
  d.follow_ups = tx.follow_ups().of_origin(id);
  d.follow_up_of = tx.follow_ups().get(id);
  if (d.follow_up_of)
    if (auto origin = tx.tasks().get(d.follow_up_of->origin_id)) d.origin_title = origin->title;
  return d;
}

}  // namespace visor::services
