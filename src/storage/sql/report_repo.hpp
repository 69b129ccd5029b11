#pragma once
// ReportRepository over sql::Session, written once for both backends like
// the other repositories (see ../README.md). Internal to the storage layer.
#include "storage/reports.hpp"
#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {

class SqlReportRepository final : public ReportRepository {
 public:
  explicit SqlReportRepository(TxContext& ctx) : ctx_(ctx) {}
  Snapshot snapshot(const ReportFilter& filter, TimePoint now, TimePoint day_start) override;
  std::vector<TeamBacklog> backlog_by_team(const ReportFilter& filter, TimePoint now) override;
  std::vector<TechnicianLoad> workload(const ReportFilter& filter, TimePoint from, TimePoint to,
                                       TimePoint now) override;
  std::vector<ActivityCount> activity(const ActivityQuery& query) override;
  std::vector<Reliability> reliability(const ReportFilter& filter, TimePoint from, TimePoint to, ReliabilityBy by,
                                       int limit) override;
  std::int64_t machines(const ReportFilter& filter) override;
  void export_tasks(const ExportQuery& query, const std::function<void(const TaskExportRow&)>& sink) override;
  void export_work_log(const ExportQuery& query, const std::function<void(const WorkLogExportRow&)>& sink) override;

 private:
  TxContext& ctx_;
};

}  // namespace visor::storage::sql
