// Recording a step's result: its answer checked against what the step asks
// for (domain/steps.hpp), a meter reading when the step names a meter, and
// what the CMMS hears at once (comments and flagged answers; the rest comes
// with the completion's table).
#include <boost/json/serialize.hpp>

#include "domain/steps.hpp"
#include "domain/value_range.hpp"
#include "services/meters.hpp"
#include "services/task_internal.hpp"
#include "sync/changes.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::size_t kMaxNote = 4000;

std::string id_text(TaskId id) { return std::to_string(id.value); }

int photos_of(Tx& tx, TaskId id, int step) {
  int n = 0;
  for (const auto& e : tx.tasks().work_log(id))
    if (e.kind == WorkLogKind::photo && e.step == step) ++n;
  return n;
}

// A typed step is done only with its answer (unless it is optional).
void check_done_allowed(Tx& tx, TaskId id, const Step& step) {
  if (step.kind == StepKind::instruction || !step.required) return;
  if (answered(step, step.kind == StepKind::photo ? photos_of(tx, id, step.number) : 0)) return;
  const char* what = step.kind == StepKind::photo    ? "a photo"
                     : step.kind == StepKind::check  ? "PASS, FLAG or FAIL"
                     : step.kind == StepKind::number ? "its value"
                     : step.kind == StepKind::choice ? "a choice"
                                                     : "its answer";
  invalid("Step " + std::to_string(step.number) + " needs " + what + " before it is done.");
}

}  // namespace

TaskDetail record_step(Deps& deps, const Caller& caller, TaskId id, int number, const StepResult& result,
                       const ActionOptions& opts) {
  if (result.note && result.note->size() > kMaxNote) invalid("note must be at most 4000 bytes.");
  if (result.value && result.value->size() > kMaxTextAnswer) invalid("value must be at most 1000 bytes.");
  if (!result.done && !result.note && !result.value) invalid("Send at least one of done, note or value.");
  const TimePoint now = deps.clock.now();
  const TimePoint at = floor_action_time(opts, now);
  return deps.store.write_value([&](Tx& tx) {
    Task task = load_visible_task(tx, caller, id);
    if (!can_execute(caller.actor, task))
      fail(ErrorCode::forbidden, "Only the assigned technician or a manager can record steps.");
    if (task.execution == Execution::completed) fail(ErrorCode::conflict, "This task is already completed.");
    std::vector<Step> steps = tx.tasks().steps(id);
    if (number < 1 || number > int(steps.size()))
      not_found("Task " + id_text(id) + " has no step " + std::to_string(number) + ".");
    Step& step = steps[std::size_t(number - 1)];
    const std::optional<std::string> value =
        result.value ? std::optional<std::string>(normalise_answer(step, *result.value, result.note)) : std::nullopt;
    const WorkLogKind kind = result.done.value_or(false) ? WorkLogKind::step_done
                             : value                     ? WorkLogKind::measurement
                                                         : WorkLogKind::note;
    if (!log_floor_action(tx, caller, id, kind, at, opts, number, result.note.value_or(""), value.value_or("")))
      return load_task_detail(tx, id, now);
    if (result.note) step.note = *result.note;
    if (value) step.value = *value;
    if (step.kind == StepKind::check && (step.value == "flag" || step.value == "fail") &&
        step.note.find_first_not_of(" \t\r\n") == std::string::npos)
      invalid("Step " + std::to_string(number) + ": a FLAG or FAIL keeps its comment.");
    if (result.done) {
      if (*result.done) check_done_allowed(tx, id, step);
      step.done = *result.done;
      step.done_at = step.done ? std::optional<TimePoint>(at) : std::nullopt;
      step.done_by = step.done ? std::optional<UserId>(caller.actor.user) : std::nullopt;
    }
    tx.tasks().save_step(id, step);
    const StepFlag flag = step_flag(step);
    if (value && !value->empty() && !step.meter.empty() && task.equipment_id) {
      MeterReading reading;
      reading.value = *parse_measured(*value);
      reading.at = at;
      if (caller.actor.user.value > 0) reading.user_id = caller.actor.user;
      reading.task_id = id;
      reading.step = number;
      reading.client_action_id = opts.client_action_id;
      record_step_reading(tx, deps, caller, *task.equipment_id, step.meter, step.unit, reading, now);
    }
    // The CMMS hears comments and flagged answers at once; plain steps'
    // values too (as before steps had types). The rest comes with the
    // completion's table.
    const bool comment = result.note && !result.note->empty();
    const bool worth_a_note = comment || (value && !value->empty() && (flag != StepFlag::none ||
                                                                        step.kind == StepKind::instruction));
    if (worth_a_note) {
      sync::StepReport r{number, step.text, step.done, value.value_or(""), value ? step.unit : std::string(),
                         result.note.value_or("")};
      r.kind = std::string(to_string(step.kind));
      r.flag = std::string(to_string(flag));
      sync::task_step_result(tx, task, person_of(caller), r, now);
    }
    audit(tx, caller, now, "task.step", "task", id_text(id),
          json::serialize(json::object{{"step", number}, {"done", step.done}, {"flag", to_string(flag)}}));
    publish_task_change(deps, tx, "step.done", task,
                        {{"step", number}, {"step_done", step.done}, {"flag", to_string(flag)},
                         {"by", caller.actor.user.value}});
    return load_task_detail(tx, id, now);
  });
}

}  // namespace visor::services
