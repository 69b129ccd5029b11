#pragma once
// The failure-code catalogue, in the spirit of ISO 14224: what was wrong
// (problem — the failure mode), why (cause — mechanism or root cause) and
// what was done (remedy — the maintenance activity). Visor ships a default
// catalogue (migration 0004) in English and French; planners edit it.
#include <optional>
#include <string>

#include "domain/model.hpp"

namespace visor {

struct FailureCode {
  FailureCodeId id;
  FailureCodeKind kind = FailureCodeKind::problem;
  std::string code;  // short and stable: "ELP", "WEAR", "REPL"
  std::string label_en;
  std::string label_fr;
  bool active = true;  // retired codes stay on past work but are not offered
  int position = 0;    // order within its list
};

/// The codes recorded on one piece of corrective work.
struct TaskFailure {
  std::optional<FailureCodeId> problem;
  std::optional<FailureCodeId> cause;
  std::optional<FailureCodeId> remedy;
  std::optional<UserId> recorded_by;
  TimePoint recorded_at{};
};

/// Codes: 1..16 of A–Z, 0–9, '.', '-', '_'; labels 1..80 bytes each.
/// Throws Error(invalid_input).
void validate(const FailureCode& code);

/// The label in `locale` ("fr" → French, anything else English).
const std::string& label(const FailureCode& code, const std::string& locale);

}  // namespace visor
