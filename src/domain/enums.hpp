#pragma once
// Closed sets of values with their one text form each (used by the API, the
// store and the CMMS mapping). Parsing an unknown text yields nullopt: callers
// turn that into an error, never into a default.
#include <optional>
#include <string_view>

namespace visor {

enum class Role { technician, manager, admin };
enum class MaintenanceType { corrective, preventive };
/// Where a task stands on the floor, independent of the CMMS stage.
enum class Execution { not_started, in_progress, paused, completed };
enum class InstructionKind { none, text, pdf, google_slide };
enum class RepeatUnit { day, week, month, year };
enum class RepeatType { forever, until };
enum class WorkLogKind { started, paused, resumed, step_done, note, measurement, photo, completed };

std::string_view to_string(Role v);
std::string_view to_string(MaintenanceType v);
std::string_view to_string(Execution v);
std::string_view to_string(InstructionKind v);
std::string_view to_string(RepeatUnit v);
std::string_view to_string(RepeatType v);
std::string_view to_string(WorkLogKind v);

std::optional<Role> parse_role(std::string_view s);
std::optional<MaintenanceType> parse_maintenance_type(std::string_view s);
std::optional<Execution> parse_execution(std::string_view s);
std::optional<InstructionKind> parse_instruction_kind(std::string_view s);
std::optional<RepeatUnit> parse_repeat_unit(std::string_view s);
std::optional<RepeatType> parse_repeat_type(std::string_view s);
std::optional<WorkLogKind> parse_work_log_kind(std::string_view s);

}  // namespace visor
