#pragma once
// Procedure templates: written by planners in the plain-text step convention
// (docs/procedures.md) for a machine category or one machine, versioned on
// every save. Tasks not started yet follow the current version at once;
// started tasks keep the steps they started with.
#include <optional>
#include <string>
#include <vector>

#include "domain/instructions.hpp"
#include "services/context.hpp"

namespace visor::services {

struct ProcedureInput {
  std::string name;                        // 1..120 bytes
  std::optional<CategoryId> category_id;   // exactly one of category and machine
  std::optional<EquipmentId> equipment_id;
  std::optional<MaintenanceType> type;     // none: any kind of work
  bool active = true;
  std::string text;                        // the steps, at most 50,000 bytes, at least one step
};

struct ProcedureView {
  Procedure procedure;
  ParsedInstructions parsed;               // its steps, sign-off and warnings
  std::vector<ProcedureVersion> versions;  // newest first
  int tasks_updated = 0;                   // tasks not started that now follow this version
};

/// Planners only.
std::vector<Procedure> list_procedures(Deps& deps, const Caller& caller, bool include_inactive);
ProcedureView get_procedure(Deps& deps, const Caller& caller, ProcedureId id);
ProcedureView create_procedure(Deps& deps, const Caller& caller, const ProcedureInput& input);
/// A new version; `expected_version` (If-Match) guards against lost edits.
ProcedureView save_procedure(Deps& deps, const Caller& caller, ProcedureId id, const ProcedureInput& input,
                             std::optional<int> expected_version);

}  // namespace visor::services
