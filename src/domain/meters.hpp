#pragma once
// Meters: readings per machine (running hours, cycles, temperature, …), and
// the rules that turn readings into preventive work — at or above a value,
// at or below it, or every N units (meter-based maintenance). Plain
// functions: the services store readings and create the tasks.
#include <optional>
#include <string>

#include "domain/model.hpp"

namespace visor {

/// A meter of one machine, unique by name on it.
struct Meter {
  MeterId id;
  EquipmentId equipment_id;
  std::string name;  // "hours", "cycles", "temperature"
  std::string unit;  // "h", "cycles", "°C"
  TimePoint created_at{};
  /// The latest reading (by time taken), when there is one.
  std::optional<double> last_value;
  std::optional<TimePoint> last_at;
};

struct MeterReading {
  std::int64_t id = 0;
  MeterId meter_id;
  double value = 0;
  TimePoint at{};  // when it was read (offline readings keep their time)
  std::optional<UserId> user_id;
  std::optional<TaskId> task_id;  // read during a task
  std::optional<int> step;        // … at this step
  std::string client_action_id;   // makes a replayed reading harmless
};

/// A rule that creates a preventive task from readings.
struct MeterRule {
  MeterRuleId id;
  MeterId meter_id;
  MeterRuleKind kind = MeterRuleKind::above;
  /// above / below: the threshold; every: the interval (> 0).
  double value = 0;
  /// every: the reading at which the next task is due.
  std::optional<double> next_due;
  std::string title;  // the task's title ("" → a title naming the rule)
  Priority priority = 2;
  bool active = true;
  /// The last task the rule created, while it may still be open.
  std::optional<TaskId> last_task;
  std::optional<TimePoint> last_fired_at;
  TimePoint created_at{};
  std::optional<UserId> created_by;
};

/// Meter names: 1..40 bytes of letters, digits, '_' and '-'; units at most
/// 16 bytes. Throws Error(invalid_input).
void validate(const Meter& meter);
/// The value a rule reacts to is finite; an interval is > 0; titles at most
/// 200 bytes. Throws Error(invalid_input).
void validate(const MeterRule& rule);

/// The first reading an every-N rule waits for, given the meter's latest
/// reading: the next multiple of N above it (every 500 h at 1,234 h → 1,500 h).
double first_due(double interval, std::optional<double> last_value);

/// What a reading does to a rule.
struct RuleOutcome {
  bool create_task = false;
  /// every: the next reading the rule waits for, when it moved.
  std::optional<double> next_due;
};

/// Evaluates `rule` for a new `reading`. `open_task` says whether the task
/// the rule created last is still open: a rule never piles a second task on
/// an open one (an every-N rule still moves on to its next due reading).
RuleOutcome evaluate(const MeterRule& rule, double reading, bool open_task);

/// The title of the task a rule creates, in `locale` ("en" or "fr"):
/// the rule's own title, or one naming the meter and the rule.
std::string rule_task_title(const MeterRule& rule, const Meter& meter, const std::string& locale);
/// Its description (HTML): which reading fired which rule.
std::string rule_task_description(const MeterRule& rule, const Meter& meter, double reading,
                                  const std::string& locale);

}  // namespace visor
