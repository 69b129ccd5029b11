#pragma once
// The SQL repositories of issue 14 (procedures, follow-ups, meters, failure
// codes), written once over sql::Session for both backends.
#include "storage/procedures.hpp"
#include "storage/reliability.hpp"
#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {

class SqlProcedureRepository final : public ProcedureRepository {
 public:
  explicit SqlProcedureRepository(TxContext& ctx) : ctx_(ctx) {}
  std::vector<Procedure> list(bool include_inactive) override;
  std::optional<Procedure> get(ProcedureId id) override;
  ProcedureId insert(Procedure& p) override;
  void save(Procedure& p, int expected_version) override;
  std::vector<ProcedureVersion> versions(ProcedureId id) override;
  std::vector<Procedure> candidates(EquipmentId equipment, std::optional<CategoryId> category) override;
  std::vector<TaskId> tasks_not_started(std::optional<EquipmentId> equipment,
                                        std::optional<CategoryId> category) override;
  std::optional<TaskProcedure> of_task(TaskId task) override;
  void set_of_task(TaskId task, const TaskProcedure& tp) override;
  void clear_of_task(TaskId task) override;
  std::optional<TaskSignOff> signoff(TaskId task) override;
  void save_signoff(TaskId task, const TaskSignOff& s) override;
  std::vector<TaskId> awaiting_approval(int limit) override;

 private:
  TxContext& ctx_;
};

class SqlFollowUpRepository final : public FollowUpRepository {
 public:
  explicit SqlFollowUpRepository(TxContext& ctx) : ctx_(ctx) {}
  void insert(const FollowUp& f) override;
  std::optional<FollowUp> of_step(TaskId origin, int step) override;
  std::vector<FollowUp> of_origin(TaskId origin) override;
  std::optional<FollowUp> get(TaskId follow_up) override;

 private:
  TxContext& ctx_;
};

class SqlMeterRepository final : public MeterRepository {
 public:
  explicit SqlMeterRepository(TxContext& ctx) : ctx_(ctx) {}
  std::vector<Meter> of_equipment(EquipmentId equipment) override;
  std::optional<Meter> get(MeterId id) override;
  std::optional<Meter> by_name(EquipmentId equipment, const std::string& name) override;
  MeterId insert(Meter& meter) override;
  bool add_reading(MeterReading& reading) override;
  std::optional<MeterReading> reading_by_action(MeterId meter, const std::string& client_action_id) override;
  std::vector<MeterReading> readings(MeterId meter, const ReadingQuery& query) override;
  std::vector<MeterRule> rules(MeterId meter) override;
  std::optional<MeterRule> rule(MeterRuleId id) override;
  MeterRuleId insert_rule(MeterRule& rule) override;
  void update_rule(const MeterRule& rule) override;
  void remove_rule(MeterRuleId id) override;

 private:
  TxContext& ctx_;
};

class SqlFailureCodeRepository final : public FailureCodeRepository {
 public:
  explicit SqlFailureCodeRepository(TxContext& ctx) : ctx_(ctx) {}
  std::vector<FailureCode> list(bool include_inactive) override;
  std::optional<FailureCode> get(FailureCodeId id) override;
  FailureCodeId insert(FailureCode& code) override;
  void update(const FailureCode& code) override;
  std::optional<TaskFailure> of_task(TaskId task) override;
  void save_for_task(TaskId task, const TaskFailure& failure) override;
  std::vector<FailureCount> counts(const FailureQuery& query) override;
  std::int64_t machines_in_scope(const FailureQuery& query) override;

 private:
  TxContext& ctx_;
};

}  // namespace visor::storage::sql
