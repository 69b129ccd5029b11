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
constexpr Table<WorkLogKind, 8> kLogKinds{{{WorkLogKind::started, "started"},
                                           {WorkLogKind::paused, "paused"},
                                           {WorkLogKind::resumed, "resumed"},
                                           {WorkLogKind::step_done, "step_done"},
                                           {WorkLogKind::note, "note"},
                                           {WorkLogKind::measurement, "measurement"},
                                           {WorkLogKind::photo, "photo"},
                                           {WorkLogKind::completed, "completed"}}};

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

std::optional<Role> parse_role(std::string_view s) { return parse(kRoles, s); }
std::optional<MaintenanceType> parse_maintenance_type(std::string_view s) { return parse(kTypes, s); }
std::optional<Execution> parse_execution(std::string_view s) { return parse(kExecutions, s); }
std::optional<InstructionKind> parse_instruction_kind(std::string_view s) { return parse(kInstructionKinds, s); }
std::optional<RepeatUnit> parse_repeat_unit(std::string_view s) { return parse(kUnits, s); }
std::optional<RepeatType> parse_repeat_type(std::string_view s) { return parse(kRepeatTypes, s); }
std::optional<WorkLogKind> parse_work_log_kind(std::string_view s) { return parse(kLogKinds, s); }

}  // namespace visor
