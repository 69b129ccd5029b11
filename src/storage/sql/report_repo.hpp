#pragma once
// ReportRepository over sql::Session, written once for both backends like
// the other repositories (see ../README.md). Internal to the storage layer.
#include "storage/reports.hpp"
#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {

class SqlReportRepository final : public ReportRepository {
 public:
  explicit SqlReportRepository(TxContext& ctx) : ctx_(ctx) {}
  NowReport now(const NowQuery& query) override;
  PeriodReport period(const PeriodQuery& query) override;
  void export_tasks(const ExportQuery& query, const std::function<void(const TaskExportRow&)>& sink) override;
  void export_work_log(const ExportQuery& query, const std::function<void(const WorkLogExportRow&)>& sink) override;
  std::vector<WorkLogExportRow> recent_work_log(int limit, std::int64_t before_id) override;

 private:
  TxContext& ctx_;
};

}  // namespace visor::storage::sql
