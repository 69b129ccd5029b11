#pragma once
// Everything the API shows about one task: the row with its joined names, the
// steps with their results, the work log, and what is derived from them.
#include <chrono>
#include <string>
#include <vector>

#include "services/procedure_detail.hpp"
#include "storage/tasks.hpp"

namespace visor::services {

struct TaskDetail {
  storage::TaskRow row;
  std::vector<Step> steps;
  std::vector<WorkLogEntry> log;
  std::string summary;              // instruction text before the steps
  std::vector<std::string> safety;  // safety notes from the instructions
  std::chrono::seconds time_on_tool{0};
  bool overdue = false;
  ProcedureDetail procedure;  // procedure, sign-off, failure codes, follow-ups
};

}  // namespace visor::services
