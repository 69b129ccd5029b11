#pragma once
// The exports of a period: tasks, the work log and the KPIs. The CSV files
// are for people: headings and values in their language (English or
// French: words for priorities, types and statuses, yes/no, and the
// spreadsheet conventions of the language — ';' and decimal commas in
// French), times on the plant's clock. The JSON documents hold the same rows
// for other tools: stable keys and codes, times in ISO 8601 with the plant's
// offset. Planners only.
#include <string>

#include "services/reports.hpp"
#include "util/zone.hpp"

namespace visor::services {

/// How an export is written.
struct ExportFormat {
  /// "en" or "fr"; empty: the language of the caller's profile.
  std::string lang;
  PlantZone zone;
};

/// CSV with a UTF-8 byte-order mark (spreadsheets then read accents right).
std::string tasks_csv(Deps& deps, const Caller& caller, const storage::ExportQuery& query, const ExportFormat& format);
std::string worklog_csv(Deps& deps, const Caller& caller, const storage::ExportQuery& query,
                        const ExportFormat& format);
std::string kpis_csv(Deps& deps, const Caller& caller, const KpiRequest& request, const ExportFormat& format);

/// {"timezone", "from", "to", "items": [...]}: the CSV's rows with keys.
std::string tasks_json(Deps& deps, const Caller& caller, const storage::ExportQuery& query, const PlantZone& zone);
std::string worklog_json(Deps& deps, const Caller& caller, const storage::ExportQuery& query, const PlantZone& zone);
/// {"timezone", "from", "to", "buckets": [...], "total": {...}}.
std::string kpis_json(Deps& deps, const Caller& caller, const KpiRequest& request, const PlantZone& zone);

}  // namespace visor::services
