#pragma once
// Meter and failure-code storage: meters, readings and rules per machine;
// the failure-code catalogue, the codes recorded on work, and the failure
// counts the dashboard's Pareto and MTBF by failure mode are made of.
#include <optional>
#include <string>
#include <vector>

#include "domain/failure_codes.hpp"
#include "domain/meters.hpp"

namespace visor::storage {

struct ReadingQuery {
  std::optional<TimePoint> from;  // at >= from
  std::optional<TimePoint> to;    // at < to
  int limit = 500;                // the newest `limit` in range, returned oldest first
};

class MeterRepository {
 public:
  virtual ~MeterRepository() = default;
  /// A machine's meters with their latest reading, by name.
  virtual std::vector<Meter> of_equipment(EquipmentId equipment) = 0;
  virtual std::optional<Meter> get(MeterId id) = 0;
  virtual std::optional<Meter> by_name(EquipmentId equipment, const std::string& name) = 0;
  /// Throws Error(conflict) when the machine has a meter of that name.
  virtual MeterId insert(Meter& meter) = 0;

  /// Appends a reading; false (nothing written) when one with the same
  /// non-empty client_action_id exists for the meter.
  virtual bool add_reading(MeterReading& reading) = 0;
  virtual std::optional<MeterReading> reading_by_action(MeterId meter, const std::string& client_action_id) = 0;
  virtual std::vector<MeterReading> readings(MeterId meter, const ReadingQuery& query) = 0;

  virtual std::vector<MeterRule> rules(MeterId meter) = 0;
  virtual std::optional<MeterRule> rule(MeterRuleId id) = 0;
  virtual MeterRuleId insert_rule(MeterRule& rule) = 0;
  /// Stores next_due, active, last_task and last_fired_at.
  virtual void update_rule(const MeterRule& rule) = 0;
  virtual void remove_rule(MeterRuleId id) = 0;
};

/// One row of a failure count: corrective work with this problem code.
struct FailureCount {
  std::optional<FailureCodeId> problem;  // none: work without a code yet
  std::optional<EquipmentId> equipment;
  std::optional<CategoryId> category;
  std::int64_t failures = 0;
};

struct FailureQuery {
  TimePoint from{};  // corrective work requested in [from, to)
  TimePoint to{};
  std::optional<EquipmentId> equipment;
  std::optional<CategoryId> category;
};

class FailureCodeRepository {
 public:
  virtual ~FailureCodeRepository() = default;
  /// The catalogue by kind and position (retired codes too when asked).
  virtual std::vector<FailureCode> list(bool include_inactive) = 0;
  virtual std::optional<FailureCode> get(FailureCodeId id) = 0;
  /// Throws Error(conflict) when the kind already has that code.
  virtual FailureCodeId insert(FailureCode& code) = 0;
  virtual void update(const FailureCode& code) = 0;

  virtual std::optional<TaskFailure> of_task(TaskId task) = 0;
  virtual void save_for_task(TaskId task, const TaskFailure& failure) = 0;
  /// Corrective work in the query's range grouped by problem, machine and
  /// the machine's category (archived work left out).
  virtual std::vector<FailureCount> counts(const FailureQuery& query) = 0;
  /// Machines in the query's scope (active ones), for MTBF.
  virtual std::int64_t machines_in_scope(const FailureQuery& query) = 0;
};

}  // namespace visor::storage
