#include "services/procedures.hpp"

#include <set>

#include <boost/json/serialize.hpp>

#include "storage/task_steps.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::size_t kMaxText = 50'000;

void require_planner(const Caller& caller) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only managers can read and write procedures.");
}

ParsedInstructions check(Tx& tx, const ProcedureInput& in) {
  if (in.name.find_first_not_of(" \t") == std::string::npos || in.name.size() > 120)
    invalid("name must be 1 to 120 characters.");
  if (in.category_id.has_value() == in.equipment_id.has_value())
    invalid("A procedure is for a machine category (category_id) or for one machine (equipment_id): give one.");
  if (in.category_id) {
    const auto cats = tx.catalog().categories();
    if (std::none_of(cats.begin(), cats.end(), [&](const Category& c) { return c.id == *in.category_id; }))
      invalid("category_id " + std::to_string(in.category_id->value) + " does not exist.");
  }
  if (in.equipment_id && !tx.equipment().get(*in.equipment_id))
    invalid("equipment_id " + std::to_string(in.equipment_id->value) + " does not exist.");
  if (in.text.size() > kMaxText) invalid("text must be at most 50000 bytes.");
  ParsedInstructions parsed = parse_procedure_text(in.text);
  if (parsed.steps.empty()) invalid("text holds no step: write one step per line, e.g. [check] Belt tension.");
  if (parsed.steps.size() > 200) invalid("A procedure has at most 200 steps.");
  return parsed;
}

// Tasks not started on the procedure's machine or category follow it now.
int refresh(Tx& tx, const Procedure& p, const std::optional<Procedure>& before) {
  std::set<std::int64_t> ids;
  for (const Procedure* scope : {&p, before ? &*before : nullptr}) {
    if (!scope) continue;
    for (TaskId id : tx.procedures().tasks_not_started(scope->equipment_id, scope->category_id)) ids.insert(id.value);
  }
  int n = 0;
  for (std::int64_t id : ids) {
    const auto task = tx.tasks().get(TaskId(id));
    if (!task) continue;
    storage::rebuild_task_steps(tx, *task);
    ++n;
  }
  return n;
}

void apply(Procedure& p, const ProcedureInput& in, const Caller& caller, TimePoint now) {
  p.name = in.name;
  p.category_id = in.category_id;
  p.equipment_id = in.equipment_id;
  p.type = in.type;
  p.active = in.active;
  p.text = in.text;
  p.updated_at = now;
  p.updated_by = caller.actor.user.value > 0 ? std::optional<UserId>(caller.actor.user) : std::nullopt;
}

ProcedureView view_of(Tx& tx, ProcedureId id) {
  const auto p = tx.procedures().get(id);
  if (!p) not_found("Procedure " + std::to_string(id.value) + " does not exist.");
  return ProcedureView{*p, parse_procedure_text(p->text), tx.procedures().versions(id), 0};
}

}  // namespace

std::vector<Procedure> list_procedures(Deps& deps, const Caller& caller, bool include_inactive) {
  require_planner(caller);
  return deps.store.read_value([&](Tx& tx) { return tx.procedures().list(include_inactive); });
}

ProcedureView get_procedure(Deps& deps, const Caller& caller, ProcedureId id) {
  require_planner(caller);
  return deps.store.read_value([&](Tx& tx) { return view_of(tx, id); });
}

ProcedureView create_procedure(Deps& deps, const Caller& caller, const ProcedureInput& input) {
  require_planner(caller);
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    check(tx, input);
    Procedure p;
    apply(p, input, caller, now);
    tx.procedures().insert(p);
    const int updated = refresh(tx, p, std::nullopt);
    audit(tx, caller, now, "procedure.create", "procedure", std::to_string(p.id.value),
          json::serialize(json::object{{"name", p.name}, {"tasks_updated", updated}}));
    ProcedureView v = view_of(tx, p.id);
    v.tasks_updated = updated;
    return v;
  });
}

ProcedureView save_procedure(Deps& deps, const Caller& caller, ProcedureId id, const ProcedureInput& input,
                             std::optional<int> expected_version) {
  require_planner(caller);
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    check(tx, input);
    const auto before = tx.procedures().get(id);
    if (!before) not_found("Procedure " + std::to_string(id.value) + " does not exist.");
    if (expected_version && *expected_version != before->version)
      fail(ErrorCode::precondition_failed, "The procedure changed since you read it (version " +
                                               std::to_string(before->version) + " now); reload and try again.");
    Procedure p = *before;
    apply(p, input, caller, now);
    tx.procedures().save(p, before->version);
    const int updated = refresh(tx, p, before);
    audit(tx, caller, now, "procedure.save", "procedure", std::to_string(id.value),
          json::serialize(json::object{{"version", p.version}, {"tasks_updated", updated}}));
    ProcedureView v = view_of(tx, id);
    v.tasks_updated = updated;
    return v;
  });
}

}  // namespace visor::services
