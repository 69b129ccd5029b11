#pragma once
// The plain-text convention that turns a line of instructions into a typed
// step (docs/procedures.md): what a planner types in the CMMS's instruction
// field or in a Visor procedure.
//
//   [check] Belt tension                     PASS / FLAG / FAIL
//   [number 3.0–3.5 bar] Pump pressure       a number, flagged outside the range
//   [choice OK / worn / replaced] Drive belt one of a list
//   [text] Serial number of the new filter   a short text
//   [photo] The panel after cleaning         a photo ([photo optional])
//   [meter hours h] Running hours            a number that is also the machine's meter reading
//   [sign-off] / [sign-off supervisor]       (a line of its own) sign-off at completion
//
// French: [contrôle], [nombre …] or [mesure …], [choix …], [texte], [photo],
// [compteur …], [visa] / [visa superviseur]. "optional" / "facultatif" and
// "required" / "obligatoire" may follow the type. An unknown tag leaves the
// line a plain step, with a warning the console's preview shows.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.hpp"

namespace visor {

/// What a step asks for, before anyone answers it.
struct StepSpec {
  std::string text;
  StepKind kind = StepKind::instruction;
  bool wants_value = false;  // kind == number
  std::string unit;
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> options;
  bool required = false;
  std::string meter;
};

/// Limits of the convention: what a tag may declare.
inline constexpr std::size_t kMaxOptions = 12;
inline constexpr std::size_t kMaxOptionBytes = 60;
inline constexpr std::size_t kMaxMeterName = 40;

/// A line read for a leading tag.
struct TaggedLine {
  /// The line is a typed step (spec holds it, text included).
  std::optional<StepSpec> step;
  /// The line is a sign-off directive, not a step.
  std::optional<SignOff> signoff;
  /// Why a tag was not understood ("" when all is well); the line is then a
  /// plain step with its words as written.
  std::string warning;
};

/// Reads a line that may start with "[tag …]". A line without a tag gives
/// an empty result (neither step nor sign-off, no warning).
TaggedLine read_step_tag(std::string_view line);

/// The tag that writes `spec` back in the convention ("[number 3–3.5 bar]"),
/// for the console's step toolbar and tests.
std::string tag_of(const StepSpec& spec);

}  // namespace visor
