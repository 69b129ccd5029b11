#pragma once
// Triage storage: the inbox of reported faults (domain/triage.hpp).
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/triage.hpp"

namespace visor::storage {

struct TriageQuery {
  TriageState state = TriageState::pending;
  /// Keyset: the page starts after this (reported_at, task_id), oldest first
  /// for pending reports, newest first for decided ones.
  std::optional<TimePoint> after_at;
  std::int64_t after_task = 0;
  int limit = 50;  // 1..200
};

class TriageRepository {
 public:
  virtual ~TriageRepository() = default;
  /// Records a new report (state pending). One per task.
  virtual void insert(const TriageRecord& record) = 0;
  virtual std::optional<TriageRecord> get(TaskId task) = 0;
  /// Stores a decision (state, decided_at/by, reason, merged_into).
  virtual void decide(const TriageRecord& record) = 0;
  virtual std::vector<TriageRecord> list(const TriageQuery& query) = 0;
  /// Reports in `state` (the badge counts pending ones).
  virtual std::int64_t count(TriageState state) = 0;
};

}  // namespace visor::storage
