#pragma once
// Everything the API shows about one task: the row with its joined names, the
// steps with their results, the work log, and what is derived from them.
#include <chrono>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "services/procedure_detail.hpp"
#include "storage/tasks.hpp"

namespace visor::services {

/// A card holds at most this many work-log entries, and stops before their
/// texts exceed kCardLogText bytes: its size does not grow with the history
/// (the rest is paged through GET /api/v1/tasks/{id}/work-log).
inline constexpr int kCardLogEntries = 10;
inline constexpr std::size_t kCardLogText = 3000;

struct TaskDetail {
  storage::TaskRow row;
  std::vector<Step> steps;
  std::vector<std::pair<int, int>> photos;  // (step number, photos logged on it)
  std::vector<WorkLogEntry> log;            // the newest entries, oldest first
  std::string log_before;                   // cursor to older entries; empty when `log` is all
  std::optional<WorkLogEntry> session;      // the latest start, pause, resume or completion
  std::string summary;              // instruction text before the steps
  std::vector<std::string> safety;  // safety notes from the instructions
  std::chrono::seconds time_on_tool{0};
  bool overdue = false;
  ProcedureDetail procedure;  // procedure, sign-off, failure codes, follow-ups
};

}  // namespace visor::services
