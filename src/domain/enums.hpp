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
enum class WorkLogKind {
  started, paused, resumed, step_done, note, measurement, photo, completed,
  follow_up,   // a corrective follow-up was raised from a step
  signed_off,  // the technician signed the work off
  approved,    // a supervisor approved the signed-off work
  reading,     // a meter reading taken on the task
};
/// What a procedure step asks for (docs/procedures.md).
enum class StepKind { instruction, check, number, choice, text, photo };
/// The verdict of a step: a check's FLAG or FAIL, a number outside its range.
enum class StepFlag { none, flag, fail, out_of_range };
/// Who signs a task's work off at completion.
enum class SignOff { none, technician, supervisor };
/// The three lists of the failure-code catalogue (ISO 14224's failure mode,
/// failure cause and maintenance activity).
enum class FailureCodeKind { problem, cause, remedy };
/// How a meter rule fires: at or above a value, at or below it, or every N units.
enum class MeterRuleKind { above, below, every };

std::string_view to_string(Role v);
std::string_view to_string(MaintenanceType v);
std::string_view to_string(Execution v);
std::string_view to_string(InstructionKind v);
std::string_view to_string(RepeatUnit v);
std::string_view to_string(RepeatType v);
std::string_view to_string(WorkLogKind v);
std::string_view to_string(StepKind v);
std::string_view to_string(StepFlag v);
std::string_view to_string(SignOff v);
std::string_view to_string(FailureCodeKind v);
std::string_view to_string(MeterRuleKind v);

std::optional<Role> parse_role(std::string_view s);
std::optional<MaintenanceType> parse_maintenance_type(std::string_view s);
std::optional<Execution> parse_execution(std::string_view s);
std::optional<InstructionKind> parse_instruction_kind(std::string_view s);
std::optional<RepeatUnit> parse_repeat_unit(std::string_view s);
std::optional<RepeatType> parse_repeat_type(std::string_view s);
std::optional<WorkLogKind> parse_work_log_kind(std::string_view s);
std::optional<StepKind> parse_step_kind(std::string_view s);
std::optional<StepFlag> parse_step_flag(std::string_view s);
std::optional<SignOff> parse_sign_off(std::string_view s);
std::optional<FailureCodeKind> parse_failure_code_kind(std::string_view s);
std::optional<MeterRuleKind> parse_meter_rule_kind(std::string_view s);

}  // namespace visor
