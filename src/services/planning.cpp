#include "services/planning.hpp"

#include <unordered_set>

#include "util/error.hpp"

namespace visor::services {

std::vector<BulkOutcome> bulk_update(Deps& deps, const Caller& caller, const std::vector<BulkItem>& items) {
  if (!can_plan(caller.actor)) fail(ErrorCode::forbidden, "Only managers can change the planning of tasks.");
  if (items.empty()) invalid("items must hold at least one task.");
  if (items.size() > kMaxBulkItems) invalid("items: at most 500 tasks at once.");
  std::unordered_set<std::int64_t> seen;
  for (const BulkItem& item : items)
    if (!seen.insert(item.id.value).second) invalid("Task " + std::to_string(item.id.value) + " appears twice.");
  std::vector<BulkOutcome> out;
  out.reserve(items.size());
  for (const BulkItem& item : items) {
    BulkOutcome o;
    o.id = item.id;
    try {
      const TaskDetail d = update_task(deps, caller, item.id, item.changes, item.expected_version);
      o.ok = true;
      o.version = d.row.task.version;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::internal || e.code() == ErrorCode::unavailable) throw;
      o.error = e.code();
      o.detail = e.detail();
    }
    out.push_back(std::move(o));
  }
  return out;
}

ParsedInstructions preview_instructions(const Caller& caller, const Instructions& instructions) {
  if (!can_plan(caller.actor)) fail(ErrorCode::forbidden, "Only managers can edit instructions.");
  if (instructions.text.size() > 200'000) invalid("instructions.text must be at most 200,000 bytes.");
  return parse_instructions(instructions);
}

}  // namespace visor::services
