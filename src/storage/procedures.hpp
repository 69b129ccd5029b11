#pragma once
// Procedure storage: templates and their versions, the procedure a task's
// steps were built from, sign-offs and follow-ups (domain/steps.hpp).
#include <optional>
#include <vector>

#include "domain/model.hpp"

namespace visor::storage {

class ProcedureRepository {
 public:
  virtual ~ProcedureRepository() = default;

  /// Every procedure with its current version's text, by name.
  virtual std::vector<Procedure> list(bool include_inactive) = 0;
  virtual std::optional<Procedure> get(ProcedureId id) = 0;
  /// Inserts `p` with its text as version 1 (sets id and version).
  virtual ProcedureId insert(Procedure& p) = 0;
  /// Saves `p` as a new version (its text, name, scope, type, active) if the
  /// stored version is `expected_version`; then p.version is one more.
  /// Throws Error(precondition_failed) on a stale version, not_found.
  virtual void save(Procedure& p, int expected_version) = 0;
  /// Every version, newest first.
  virtual std::vector<ProcedureVersion> versions(ProcedureId id) = 0;
  /// Active procedures of this machine or of this category (task candidates).
  virtual std::vector<Procedure> candidates(EquipmentId equipment, std::optional<CategoryId> category) = 0;
  /// Open tasks not started yet, on `equipment` or on any machine of
  /// `category`: their steps follow the procedure as it is now.
  virtual std::vector<TaskId> tasks_not_started(std::optional<EquipmentId> equipment,
                                                std::optional<CategoryId> category) = 0;

  /// The procedure a task's steps came from (none: no row).
  virtual std::optional<TaskProcedure> of_task(TaskId task) = 0;
  virtual void set_of_task(TaskId task, const TaskProcedure& tp) = 0;
  virtual void clear_of_task(TaskId task) = 0;

  virtual std::optional<TaskSignOff> signoff(TaskId task) = 0;
  virtual void save_signoff(TaskId task, const TaskSignOff& s) = 0;
  /// Completed tasks whose procedure asks a supervisor's approval that has
  /// not been given, oldest signature first.
  virtual std::vector<TaskId> awaiting_approval(int limit) = 0;
};

class FollowUpRepository {
 public:
  virtual ~FollowUpRepository() = default;
  /// Throws Error(conflict) when the step already has a follow-up.
  virtual void insert(const FollowUp& f) = 0;
  /// The follow-up raised from a step, if any.
  virtual std::optional<FollowUp> of_step(TaskId origin, int step) = 0;
  /// The follow-ups raised from a task's steps, by step.
  virtual std::vector<FollowUp> of_origin(TaskId origin) = 0;
  /// What a follow-up task came from, if it is one.
  virtual std::optional<FollowUp> get(TaskId follow_up) = 0;
};

}  // namespace visor::storage
