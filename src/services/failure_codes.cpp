#include "services/failure_codes.hpp"

#include <algorithm>
#include <map>

#include <boost/json/serialize.hpp>

#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

void require_planner(const Caller& caller) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only managers can edit the failure codes.");
}

std::vector<FailureGroup> top(std::map<std::int64_t, FailureGroup> groups,
                              const std::map<std::int64_t, std::map<std::int64_t, std::int64_t>>& problems,
                              const std::map<std::int64_t, FailureCode>& codes) {
  std::vector<FailureGroup> out;
  for (auto& [id, g] : groups) {
    if (auto it = problems.find(id); it != problems.end()) {
      std::int64_t best = 0;
      for (const auto& [code, n] : it->second) {
        if (n > best) {
          best = n;
          g.top_problem = codes.at(code);
        }
      }
    }
    out.push_back(std::move(g));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.failures > b.failures; });
  if (out.size() > 20) out.resize(20);
  return out;
}

}  // namespace

std::vector<FailureCode> list_failure_codes(Deps& deps, const Caller&, bool include_inactive) {
  return deps.store.read_value([&](Tx& tx) { return tx.failure_codes().list(include_inactive); });
}

FailureCode create_failure_code(Deps& deps, const Caller& caller, FailureCode code) {
  require_planner(caller);
  validate(code);
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    tx.failure_codes().insert(code);
    audit(tx, caller, now, "failure_code.create", "failure_code", std::to_string(code.id.value),
          json::serialize(json::object{{"kind", to_string(code.kind)}, {"code", code.code}}));
    return code;
  });
}

FailureCode update_failure_code(Deps& deps, const Caller& caller, FailureCodeId id, const FailureCodeChanges& c) {
  require_planner(caller);
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](Tx& tx) {
    auto code = tx.failure_codes().get(id);
    if (!code) not_found("Failure code " + std::to_string(id.value) + " does not exist.");
    if (c.code) code->code = *c.code;
    if (c.label_en) code->label_en = *c.label_en;
    if (c.label_fr) code->label_fr = *c.label_fr;
    if (c.active) code->active = *c.active;
    if (c.position) code->position = *c.position;
    validate(*code);
    tx.failure_codes().update(*code);
    audit(tx, caller, now, "failure_code.update", "failure_code", std::to_string(id.value),
          json::serialize(json::object{{"code", code->code}, {"active", code->active}}));
    return *code;
  });
}

FailureReport failure_report(Deps& deps, const Caller&, const storage::FailureQuery& q) {
  if (q.to <= q.from) invalid("to must be after from.");
  if (q.to - q.from > std::chrono::days(3 * 366)) invalid("A failure report spans at most 3 years.");
  FailureReport r;
  r.from = q.from;
  r.to = q.to;
  deps.store.read([&](Tx& tx) {
    std::map<std::int64_t, FailureCode> codes;
    for (FailureCode& c : tx.failure_codes().list(true)) codes.emplace(c.id.value, std::move(c));
    std::map<std::int64_t, std::string> categories;
    for (const Category& c : tx.catalog().categories()) categories.emplace(c.id.value, c.name);
    r.machines = tx.failure_codes().machines_in_scope(q);
    std::map<std::int64_t, std::int64_t> by_problem;  // 0: uncoded
    std::map<std::int64_t, FailureGroup> machines, cats;
    std::map<std::int64_t, std::map<std::int64_t, std::int64_t>> machine_problems, category_problems;
    for (const storage::FailureCount& c : tx.failure_codes().counts(q)) {
      const std::int64_t problem = c.problem ? c.problem->value : 0;
      r.failures += c.failures;
      by_problem[problem] += c.failures;
      if (c.equipment) {
        FailureGroup& g = machines[c.equipment->value];
        if (g.name.empty()) {
          g.id = c.equipment->value;
          const auto e = tx.equipment().get(*c.equipment);
          g.name = e ? e->name : "#" + std::to_string(g.id);
        }
        g.failures += c.failures;
        if (problem) machine_problems[g.id][problem] += c.failures;
      }
      const std::int64_t cat = c.category ? c.category->value : 0;
      FailureGroup& g = cats[cat];
      g.id = cat;
      if (cat) g.name = categories.count(cat) ? categories[cat] : "#" + std::to_string(cat);
      g.failures += c.failures;
      if (problem) category_problems[cat][problem] += c.failures;
    }
    r.uncoded = by_problem.count(0) ? by_problem[0] : 0;
    const double hours = std::chrono::duration<double>(q.to - q.from).count() / 3600.0;
    for (const auto& [problem, n] : by_problem) {
      FailureBar bar;
      if (problem) bar.problem = codes.at(problem);
      bar.failures = n;
      if (problem && r.machines > 0) bar.mtbf_hours = hours * double(r.machines) / double(n);
      r.pareto.push_back(std::move(bar));
    }
    // Most frequent first; work without a code last, whatever its count.
    std::stable_sort(r.pareto.begin(), r.pareto.end(), [](const FailureBar& a, const FailureBar& b) {
      if (a.problem.has_value() != b.problem.has_value()) return a.problem.has_value();
      if (a.failures != b.failures) return a.failures > b.failures;
      return a.problem && b.problem && a.problem->code < b.problem->code;
    });
    double running = 0;
    for (FailureBar& bar : r.pareto) {
      bar.share = r.failures ? double(bar.failures) / double(r.failures) : 0;
      running += bar.share;
      bar.cumulative = running;
    }
    r.by_machine = top(std::move(machines), machine_problems, codes);
    r.by_category = top(std::move(cats), category_problems, codes);
  });
  return r;
}

}  // namespace visor::services
