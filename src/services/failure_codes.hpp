#pragma once
// The failure-code catalogue (domain/failure_codes.hpp) and what the
// dashboard makes of the codes: a Pareto of failures by problem — for the
// plant, one machine or one category — with where they happen, and MTBF by
// failure mode.
#include <optional>
#include <string>
#include <vector>

#include "domain/failure_codes.hpp"
#include "services/context.hpp"
#include "storage/reliability.hpp"

namespace visor::services {

/// Anyone signed in (the glasses offer the codes).
std::vector<FailureCode> list_failure_codes(Deps& deps, const Caller& caller, bool include_inactive);
/// Planners: a new code in one of the three lists.
FailureCode create_failure_code(Deps& deps, const Caller& caller, FailureCode code);

/// What a planner may change; unset fields stay.
struct FailureCodeChanges {
  std::optional<std::string> code;
  std::optional<std::string> label_en;
  std::optional<std::string> label_fr;
  std::optional<bool> active;
  std::optional<int> position;
};
FailureCode update_failure_code(Deps& deps, const Caller& caller, FailureCodeId id, const FailureCodeChanges& changes);

struct FailureBar {
  std::optional<FailureCode> problem;  // none: work without a problem code
  std::int64_t failures = 0;
  double share = 0;       // of all failures in scope
  double cumulative = 0;  // Pareto's running share, most frequent first
  /// Observed machine-hours in scope divided by the failures of this mode.
  std::optional<double> mtbf_hours;
};

/// Failures of one machine or category, with its most frequent problem.
struct FailureGroup {
  std::int64_t id = 0;  // machine or category id (0: machines without a category)
  std::string name;
  std::int64_t failures = 0;
  std::optional<FailureCode> top_problem;
};

struct FailureReport {
  TimePoint from{};
  TimePoint to{};
  std::int64_t machines = 0;  // active machines in scope (MTBF's observed time)
  std::int64_t failures = 0;
  std::int64_t uncoded = 0;   // corrective work without a problem code yet
  std::vector<FailureBar> pareto;
  std::vector<FailureGroup> by_machine;   // most failures first, at most 20
  std::vector<FailureGroup> by_category;  // idem
};

/// Corrective work requested in [from, to) (at most 3 years), optionally for
/// one machine or one category. Needs the reports permission.
FailureReport failure_report(Deps& deps, const Caller& caller, const storage::FailureQuery& query);

}  // namespace visor::services
