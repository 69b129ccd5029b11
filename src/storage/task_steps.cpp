#include "storage/task_steps.hpp"

#include <algorithm>

#include "domain/instructions.hpp"
#include "domain/steps.hpp"

namespace visor::storage {

void rebuild_task_steps(Tx& tx, const Task& task) {
  const ParsedInstructions parsed = parse_instructions(task.instructions);
  const std::vector<Step> current = tx.tasks().steps(task.id);
  const std::optional<TaskProcedure> before = tx.procedures().of_task(task.id);
  // Started, or answered already (a step recorded before START): either way
  // the task keeps the steps it has, so nothing recorded is lost to an edit.
  const bool started = task.execution != Execution::not_started ||
                       std::any_of(current.begin(), current.end(), [](const Step& s) {
                         return s.done || !s.value.empty() || !s.note.empty();
                       });

  TaskProcedure now;
  std::optional<std::vector<StepSpec>> procedure_steps;
  if (started) {
    // The snapshot: the procedure it started with, and the sign-off it asked.
    if (before) now = *before;
    now.signoff = std::max(now.signoff, parsed.signoff);
  } else {
    now.signoff = parsed.signoff;
    if (task.equipment_id) {
      const std::optional<Equipment> machine = tx.equipment().get(*task.equipment_id);
      const std::optional<CategoryId> category = machine ? machine->category_id : std::nullopt;
      const std::vector<Procedure> candidates = tx.procedures().candidates(*task.equipment_id, category);
      if (const Procedure* chosen = choose_procedure(candidates, task, category)) {
        const ParsedInstructions proc = parse_procedure_text(chosen->text);
        procedure_steps = proc.steps;
        now.procedure_id = chosen->id;
        now.version = chosen->version;
        now.signoff = std::max(now.signoff, proc.signoff);
      }
    }
  }
  std::vector<Step> steps = assemble_steps(current, parsed.steps, procedure_steps, started);
  const bool same = steps.size() == current.size() &&
                    std::equal(steps.begin(), steps.end(), current.begin(), [](const Step& a, const Step& b) {
                      return a.number == b.number && a.text == b.text && a.kind == b.kind && a.unit == b.unit &&
                             a.min == b.min && a.max == b.max && a.options == b.options && a.required == b.required &&
                             a.meter == b.meter && a.origin == b.origin && a.value == b.value && a.done == b.done &&
                             a.note == b.note;
                    });
  if (!same) tx.tasks().replace_steps(task.id, steps);
  const bool follows = now.procedure_id || now.signoff != SignOff::none;
  if (follows && (!before || before->procedure_id != now.procedure_id || before->version != now.version ||
                  before->signoff != now.signoff)) {
    tx.procedures().set_of_task(task.id, now);
  } else if (!follows && before) {
    tx.procedures().clear_of_task(task.id);
  }
}

}  // namespace visor::storage
