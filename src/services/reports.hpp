#pragma once
// Reporting use cases: the dashboard's KPIs and the CSV exports for a period.
// The store computes the aggregates (storage/reports.hpp holds the
// definitions); here they are folded into the buckets the console draws and
// into ratios (MTTR, MTBF, PM compliance). Planners only.
//
// Periods are explicit instants: Visor does not carry a timezone database,
// so the console computes the plant's midnights (it knows the plant's
// timezone) and sends them as bucket bounds, `day_start` and the week.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "services/context.hpp"
#include "storage/reports.hpp"

namespace visor::services {

/// The longest period a report covers, and the most buckets it draws.
inline constexpr auto kMaxReportPeriod = std::chrono::days(400);
inline constexpr std::size_t kMaxBuckets = 200;

/// Which half of the KPIs to compute: work as it stands (cheap, refreshed
/// on every event) or the period's activity and reliability (heavier).
enum class KpiParts { all, now, period };

struct KpiRequest {
  KpiParts parts = KpiParts::all;
  storage::ReportFilter filter;
  TimePoint from{};
  TimePoint to{};  // exclusive
  /// Interior bucket bounds, strictly increasing, inside (from, to); none
  /// means one bucket for the whole period.
  std::vector<TimePoint> bounds;
  /// Start of the plant's today ("done today"); default: midnight UTC.
  std::optional<TimePoint> day_start;
  /// The workload window; default: the 7 days from day_start.
  std::optional<TimePoint> week_from;
  std::optional<TimePoint> week_to;
};

/// One bucket of the period, for the charts.
struct KpiBucket {
  TimePoint start{};
  TimePoint end{};
  std::int64_t reported_corrective = 0;
  std::int64_t reported_preventive = 0;
  std::int64_t completed_corrective = 0;
  std::int64_t completed_preventive = 0;
  std::int64_t open_at_end = 0;     // open work when the bucket ends
  std::int64_t overdue_at_end = 0;  // overdue work when the bucket ends (up to now)
  std::int64_t pm_due = 0;
  std::int64_t pm_on_time = 0;
  std::int64_t repairs = 0;
  std::int64_t repair_seconds = 0;
};

/// Sums over the period, and the ratios the dashboard shows. A ratio with
/// nothing to divide by is nullopt (shown as "—"), never 0.
struct KpiTotals {
  std::int64_t reported_corrective = 0;
  std::int64_t reported_preventive = 0;
  std::int64_t completed_corrective = 0;
  std::int64_t completed_preventive = 0;
  std::int64_t pm_due = 0;
  std::int64_t pm_on_time = 0;
  std::int64_t repairs = 0;
  std::int64_t repair_seconds = 0;
  std::int64_t machines = 0;  // active machines covered
  std::optional<double> mttr_seconds;
  std::optional<double> mtbf_seconds;
  std::optional<double> pm_compliance;    // 0..1
  std::optional<double> corrective_share; // of reported work, 0..1
};

struct Kpis {
  KpiParts parts = KpiParts::all;
  TimePoint from{};
  TimePoint to{};
  TimePoint generated_at{};
  TimePoint day_start{};
  TimePoint week_from{};
  TimePoint week_to{};
  storage::Snapshot now;
  std::vector<storage::TeamBacklog> teams;
  std::vector<storage::TechnicianLoad> technicians;
  std::vector<KpiBucket> buckets;
  KpiTotals totals;
  std::vector<storage::Reliability> machines;    // most failures first (top 20)
  std::vector<storage::Reliability> categories;  // most failures first
};

/// Throws invalid_input unless from < to and the period is at most
/// kMaxReportPeriod long.
void check_period(TimePoint from, TimePoint to);

Kpis kpis(Deps& deps, const Caller& caller, const KpiRequest& request);
/// As kpis(), but in the same read transaction it first reads the
/// reports' version (the stamp of what they aggregate, decision 0018): a
/// note or a step elsewhere leaves it unchanged. When `at_hand(version)`
/// says the report of that version is already at hand (a rendered copy in a
/// cache), nothing else is read and the result is empty.
std::optional<Kpis> kpis_unless(Deps& deps, const Caller& caller, const KpiRequest& request,
                                const std::function<bool(const std::string& version)>& at_hand);

/// The exports (CSV for people, JSON for tools): services/exports.hpp.

/// What happened on the floor lately (the live floor's feed on load): the
/// newest work-log entries of every task, before entry `before_id` if > 0.
std::vector<storage::WorkLogExportRow> recent_activity(Deps& deps, const Caller& caller, int limit,
                                                       std::int64_t before_id);

// --- pure parts, tested directly ---------------------------------------------

/// The slot the store counts activity in: the largest whole number of
/// seconds that divides the period and every bound's offset from `from`
/// (so every slot lies in exactly one bucket), but no finer than
/// period / 20000.
std::chrono::seconds slot_for(TimePoint from, TimePoint to, const std::vector<TimePoint>& bounds);

/// Folds the store's slot counts into buckets [from, b1), [b1, b2) … [bn, to),
/// with running totals of open and overdue work.
std::vector<KpiBucket> fold_activity(const std::vector<storage::ActivityCount>& counts, TimePoint from,
                                     TimePoint to, const std::vector<TimePoint>& bounds, std::chrono::seconds slot);

/// Sums the buckets and derives the ratios. MTBF = period × machines /
/// corrective requests; MTTR = repair time / repairs.
KpiTotals totals_of(const std::vector<KpiBucket>& buckets, std::chrono::seconds period, std::int64_t machines);

/// MTBF and MTTR of one machine or category row (nullopt: nothing to divide).
std::optional<double> mtbf_seconds(std::chrono::seconds period, std::int64_t machines, std::int64_t failures);
std::optional<double> mttr_seconds(std::int64_t repairs, std::int64_t repair_seconds);

}  // namespace visor::services
