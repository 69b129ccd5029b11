#include "domain/enums.hpp"

#include <array>
#include <utility>

namespace visor {
namespace {

template <class E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<Role, 3> kRoles{{{Role::technician, "technician"}, {Role::manager, "manager"}, {Role::admin, "admin"}}};
constexpr Table<MaintenanceType, 2> kTypes{
    {{MaintenanceType::corrective, "corrective"}, {MaintenanceType::preventive, "preventive"}}};
constexpr Table<Execution, 4> kExecutions{{{Execution::not_started, "not_started"},
                                           {Execution::in_progress, "in_progress"},
                                           {Execution::paused, "paused"},
                                           {Execution::completed, "completed"}}};
constexpr Table<InstructionKind, 4> kInstructionKinds{{{InstructionKind::none, "none"},
                                                       {InstructionKind::text, "text"},
                                                       {InstructionKind::pdf, "pdf"},
                                                       {InstructionKind::google_slide, "google_slide"}}};
constexpr Table<RepeatUnit, 4> kUnits{
    {{RepeatUnit::day, "day"}, {RepeatUnit::week, "week"}, {RepeatUnit::month, "month"}, {RepeatUnit::year, "year"}}};
constexpr Table<RepeatType, 2> kRepeatTypes{{{RepeatType::forever, "forever"}, {RepeatType::until, "until"}}};
constexpr Table<WorkLogKind, 12> kLogKinds{{{WorkLogKind::started, "started"},
                                           {WorkLogKind::paused, "paused"},
                                           {WorkLogKind::resumed, "resumed"},
                                           {WorkLogKind::step_done, "step_done"},
                                           {WorkLogKind::note, "note"},
                                           {WorkLogKind::measurement, "measurement"},
                                           {WorkLogKind::photo, "photo"},
                                           {WorkLogKind::completed, "completed"},
                                           {WorkLogKind::follow_up, "follow_up"},
                                           {WorkLogKind::signed_off, "signed_off"},
                                           {WorkLogKind::approved, "approved"},
                                           {WorkLogKind::reading, "reading"}}};
constexpr Table<StepKind, 6> kStepKinds{{{StepKind::instruction, "instruction"},
                                         {StepKind::check, "check"},
                                         {StepKind::number, "number"},
                                         {StepKind::choice, "choice"},
                                         {StepKind::text, "text"},
                                         {StepKind::photo, "photo"}}};
constexpr Table<StepFlag, 4> kStepFlags{{{StepFlag::none, "none"},
                                         {StepFlag::flag, "flag"},
                                         {StepFlag::fail, "fail"},
                                         {StepFlag::out_of_range, "out_of_range"}}};
constexpr Table<SignOff, 3> kSignOffs{
    {{SignOff::none, "none"}, {SignOff::technician, "technician"}, {SignOff::supervisor, "supervisor"}}};
constexpr Table<FailureCodeKind, 3> kFailureKinds{
    {{FailureCodeKind::problem, "problem"}, {FailureCodeKind::cause, "cause"}, {FailureCodeKind::remedy, "remedy"}}};
constexpr Table<MeterRuleKind, 3> kRuleKinds{
    {{MeterRuleKind::above, "above"}, {MeterRuleKind::below, "below"}, {MeterRuleKind::every, "every"}}};

template <class E, std::size_t N>
std::string_view name_of(const Table<E, N>& t, E v) {
  for (const auto& [e, n] : t)
    if (e == v) return n;
  return "?";
}

template <class E, std::size_t N>
std::optional<E> parse(const Table<E, N>& t, std::string_view s) {
  for (const auto& [e, n] : t)
    if (n == s) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Role v) { return name_of(kRoles, v); }
std::string_view to_string(MaintenanceType v) { return name_of(kTypes, v); }
std::string_view to_string(Execution v) { return name_of(kExecutions, v); }
std::string_view to_string(InstructionKind v) { return name_of(kInstructionKinds, v); }
std::string_view to_string(RepeatUnit v) { return name_of(kUnits, v); }
std::string_view to_string(RepeatType v) { return name_of(kRepeatTypes, v); }
std::string_view to_string(WorkLogKind v) { return name_of(kLogKinds, v); }
std::string_view to_string(StepKind v) { return name_of(kStepKinds, v); }
std::string_view to_string(StepFlag v) { return name_of(kStepFlags, v); }
std::string_view to_string(SignOff v) { return name_of(kSignOffs, v); }
std::string_view to_string(FailureCodeKind v) { return name_of(kFailureKinds, v); }
std::string_view to_string(MeterRuleKind v) { return name_of(kRuleKinds, v); }

std::optional<Role> parse_role(std::string_view s) { return parse(kRoles, s); }
std::optional<MaintenanceType> parse_maintenance_type(std::string_view s) { return parse(kTypes, s); }
std::optional<Execution> parse_execution(std::string_view s) { return parse(kExecutions, s); }
std::optional<InstructionKind> parse_instruction_kind(std::string_view s) { return parse(kInstructionKinds, s); }
std::optional<RepeatUnit> parse_repeat_unit(std::string_view s) { return parse(kUnits, s); }
std::optional<RepeatType> parse_repeat_type(std::string_view s) { return parse(kRepeatTypes, s); }
std::optional<WorkLogKind> parse_work_log_kind(std::string_view s) { return parse(kLogKinds, s); }
std::optional<StepKind> parse_step_kind(std::string_view s) { return parse(kStepKinds, s); }
std::optional<StepFlag> parse_step_flag(std::string_view s) { return parse(kStepFlags, s); }
std::optional<SignOff> parse_sign_off(std::string_view s) { return parse(kSignOffs, s); }
std::optional<FailureCodeKind> parse_failure_code_kind(std::string_view s) { return parse(kFailureKinds, s); }
std::optional<MeterRuleKind> parse_meter_rule_kind(std::string_view s) { return parse(kRuleKinds, s); }

}  // namespace visor
