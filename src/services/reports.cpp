#include "services/reports.hpp"

#include <algorithm>
#include <numeric>

#include "util/error.hpp"

namespace visor::services {
namespace {

using namespace std::chrono;
using storage::Activity;
using storage::ActivityCount;

constexpr std::int64_t kMaxSlots = 20000;
constexpr int kTopMachines = 20;
constexpr int kTopCategories = 50;

void require_planner(const Caller& caller) {
  if (!caller.actor.plans()) fail(ErrorCode::forbidden, "Only managers and admins can read reports.");
}

void check_request(const KpiRequest& r) {
  check_period(r.from, r.to);
  if (r.bounds.size() + 1 > kMaxBuckets)
    invalid("bounds: at most " + std::to_string(kMaxBuckets - 1) + " bounds (" + std::to_string(kMaxBuckets) +
            " buckets).");
  TimePoint previous = r.from;
  for (const TimePoint b : r.bounds) {
    if (b <= previous || b >= r.to) invalid("bounds must increase strictly and lie between from and to.");
    previous = b;
  }
  if (r.week_from && r.week_to && *r.week_to <= *r.week_from) invalid("week_to must come after week_from.");
}

std::vector<TimePoint> starts_of(TimePoint from, const std::vector<TimePoint>& bounds) {
  std::vector<TimePoint> starts{from};
  starts.insert(starts.end(), bounds.begin(), bounds.end());
  return starts;
}

}  // namespace

void check_period(TimePoint from, TimePoint to) {
  if (to <= from) invalid("to must come after from.");
  if (to - from > kMaxReportPeriod) invalid("A report covers at most 400 days.");
}

seconds slot_for(TimePoint from, TimePoint to, const std::vector<TimePoint>& bounds) {
  const std::int64_t period = (to - from).count();
  std::int64_t g = period;
  for (const TimePoint b : bounds) g = std::gcd(g, (b - from).count());
  if (g <= 0) g = 1;
  const std::int64_t floor_slot = (period + kMaxSlots - 1) / kMaxSlots;
  return seconds(std::max(g, floor_slot));
}

std::vector<KpiBucket> fold_activity(const std::vector<ActivityCount>& counts, TimePoint from, TimePoint to,
                                     const std::vector<TimePoint>& bounds, seconds slot) {
  const std::vector<TimePoint> starts = starts_of(from, bounds);
  std::vector<KpiBucket> buckets(starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i) {
    buckets[i].start = starts[i];
    buckets[i].end = i + 1 < starts.size() ? starts[i + 1] : to;
  }
  // Per bucket: net change of open and overdue work; before `from`: baseline.
  std::vector<std::int64_t> open_delta(buckets.size(), 0), overdue_delta(buckets.size(), 0);
  std::int64_t open_base = 0, overdue_base = 0;
  for (const ActivityCount& c : counts) {
    const bool corrective = c.type == MaintenanceType::corrective;
    if (c.slot < 0) {
      if (c.kind == Activity::reported) open_base += c.count;
      if (c.kind == Activity::completed) open_base -= c.count;
      if (c.kind == Activity::overdue_from) overdue_base += c.count;
      if (c.kind == Activity::overdue_to) overdue_base -= c.count;
      continue;
    }
    const TimePoint at = from + slot * c.slot;
    if (at >= to) continue;
    const auto it = std::upper_bound(starts.begin(), starts.end(), at);
    const std::size_t i = std::size_t(it - starts.begin()) - 1;
    KpiBucket& b = buckets[i];
    switch (c.kind) {
      case Activity::reported:
        (corrective ? b.reported_corrective : b.reported_preventive) += c.count;
        open_delta[i] += c.count;
        break;
      case Activity::completed:
        (corrective ? b.completed_corrective : b.completed_preventive) += c.count;
        open_delta[i] -= c.count;
        break;
      case Activity::overdue_from: overdue_delta[i] += c.count; break;
      case Activity::overdue_to: overdue_delta[i] -= c.count; break;
      case Activity::pm_due: b.pm_due += c.count; break;
      case Activity::pm_on_time: b.pm_on_time += c.count; break;
      case Activity::repaired:
        b.repairs += c.count;
        b.repair_seconds += c.seconds;
        break;
    }
  }
  std::int64_t open = open_base, overdue = overdue_base;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    open += open_delta[i];
    overdue += overdue_delta[i];
    buckets[i].open_at_end = open;
    buckets[i].overdue_at_end = overdue;
  }
  return buckets;
}

std::optional<double> mtbf_seconds(seconds period, std::int64_t machines, std::int64_t failures) {
  if (failures <= 0 || machines <= 0) return std::nullopt;
  return double(period.count()) * double(machines) / double(failures);
}

std::optional<double> mttr_seconds(std::int64_t repairs, std::int64_t repair_seconds) {
  if (repairs <= 0) return std::nullopt;
  return double(repair_seconds) / double(repairs);
}

KpiTotals totals_of(const std::vector<KpiBucket>& buckets, seconds period, std::int64_t machines) {
  KpiTotals t;
  for (const KpiBucket& b : buckets) {
    t.reported_corrective += b.reported_corrective;
    t.reported_preventive += b.reported_preventive;
    t.completed_corrective += b.completed_corrective;
    t.completed_preventive += b.completed_preventive;
    t.pm_due += b.pm_due;
    t.pm_on_time += b.pm_on_time;
    t.repairs += b.repairs;
    t.repair_seconds += b.repair_seconds;
  }
  t.machines = machines;
  t.mttr_seconds = mttr_seconds(t.repairs, t.repair_seconds);
  t.mtbf_seconds = mtbf_seconds(period, machines, t.reported_corrective);
  if (t.pm_due > 0) t.pm_compliance = double(t.pm_on_time) / double(t.pm_due);
  const std::int64_t reported = t.reported_corrective + t.reported_preventive;
  if (reported > 0) t.corrective_share = double(t.reported_corrective) / double(reported);
  return t;
}

Kpis kpis(Deps& deps, const Caller& caller, const KpiRequest& r) { return *kpis_unless(deps, caller, r, {}); }

std::optional<Kpis> kpis_unless(Deps& deps, const Caller& caller, const KpiRequest& r,
                                const std::function<bool(const std::string&)>& at_hand) {
  require_planner(caller);
  check_request(r);
  Kpis k;
  k.from = r.from;
  k.to = r.to;
  k.generated_at = deps.clock.now();
  k.day_start = r.day_start.value_or(floor<days>(k.generated_at));
  k.week_from = r.week_from.value_or(k.day_start);
  k.week_to = r.week_to.value_or(k.week_from + days(7));
  const seconds slot = slot_for(r.from, r.to, r.bounds);
  const storage::NowQuery now_query{r.filter, k.generated_at, k.day_start, k.week_from, k.week_to};
  const storage::PeriodQuery period_query{r.filter, r.from, r.to, k.generated_at, slot, kTopMachines, kTopCategories};
  storage::PeriodReport period;
  const bool want_now = r.parts != KpiParts::period, want_period = r.parts != KpiParts::now;
  k.parts = r.parts;
  bool found = false;
  deps.store.read([&](storage::Tx& tx) {
    if (at_hand && (found = at_hand(tx.tasks().stamps({storage::ChangeScope::reports()}).text()))) return;
    if (want_now) {
      storage::NowReport now = tx.reports().now(now_query);
      k.now = now.totals;
      k.teams = std::move(now.teams);
      k.technicians = std::move(now.technicians);
    }
    if (want_period) period = tx.reports().period(period_query);
  });
  if (found) return std::nullopt;
  if (!want_period) return k;
  k.machines = std::move(period.machines);
  k.categories = std::move(period.categories);
  const std::vector<ActivityCount>& activity = period.activity;
  const std::int64_t machines = period.machine_count;
  k.buckets = fold_activity(activity, r.from, r.to, r.bounds, slot);
  k.totals = totals_of(k.buckets, duration_cast<seconds>(r.to - r.from), machines);
  return k;
}

std::vector<storage::WorkLogExportRow> recent_activity(Deps& deps, const Caller& caller, int limit,
                                                       std::int64_t before_id) {
  require_planner(caller);
  return deps.store.read_value([&](storage::Tx& tx) { return tx.reports().recent_work_log(limit, before_id); });
}

}  // namespace visor::services
