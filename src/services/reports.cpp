#include "services/reports.hpp"

#include <algorithm>
#include <numeric>

#include "services/csv.hpp"
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

std::string tasks_csv(Deps& deps, const Caller& caller, const storage::ExportQuery& q) {
  require_planner(caller);
  check_period(q.from, q.to);
  const TimePoint now = deps.clock.now();
  CsvWriter csv;
  for (const char* h : {"id", "odoo_id", "title", "type", "priority", "stage", "stage_done", "execution",
                        "equipment_code", "equipment", "team", "assignee_login", "assignee", "reported_at",
                        "schedule_start", "schedule_end", "completed_at", "overdue", "steps_done", "steps_total",
                        "recurring"})
    csv.text(h);
  csv.end_row();
  deps.store.read([&](storage::Tx& tx) {
    tx.reports().export_tasks(q, [&](const storage::TaskExportRow& r) {
      const Task& t = r.task;
      csv.number(t.id.value);
      if (t.odoo_id) csv.number(t.odoo_id->value);
      else csv.empty();
      csv.text(t.title).text(to_string(t.type)).number(t.priority).text(r.stage_name).number(r.stage_done ? 1 : 0);
      csv.text(to_string(t.execution)).text(r.equipment_code).text(r.equipment_name).text(r.team_name);
      csv.text(r.assignee_login).text(r.assignee_name).time(r.reported_at).time(t.schedule_start);
      csv.time(t.schedule_end).time(r.completed_at).number(is_overdue(t, r.stage_done, now) ? 1 : 0);
      csv.number(r.steps_done).number(r.steps_total).number(t.recurrence.enabled ? 1 : 0).end_row();
    });
  });
  return csv.take();
}

std::string worklog_csv(Deps& deps, const Caller& caller, const storage::ExportQuery& q) {
  require_planner(caller);
  check_period(q.from, q.to);
  CsvWriter csv;
  for (const char* h : {"id", "at", "task_id", "task", "equipment_code", "kind", "user_login", "user", "step",
                        "step_text", "value", "note", "media_id"})
    csv.text(h);
  csv.end_row();
  deps.store.read([&](storage::Tx& tx) {
    tx.reports().export_work_log(q, [&](const storage::WorkLogExportRow& r) {
      const WorkLogEntry& e = r.entry;
      csv.number(e.id).time(e.at).number(e.task_id.value).text(r.task_title).text(r.equipment_code);
      csv.text(to_string(e.kind)).text(r.user_login).text(r.user_name);
      if (e.step) csv.number(*e.step);
      else csv.empty();
      csv.text(r.step_text).text(e.value).text(e.text);
      if (e.media) csv.number(e.media->value);
      else csv.empty();
      csv.end_row();
    });
  });
  return csv.take();
}

std::string kpis_csv(Deps& deps, const Caller& caller, const KpiRequest& request) {
  KpiRequest all = request;
  all.parts = KpiParts::period;
  const Kpis k = kpis(deps, caller, all);
  CsvWriter csv;
  for (const char* h : {"bucket_start", "bucket_end", "reported_corrective", "reported_preventive",
                        "completed_corrective", "completed_preventive", "open_at_end", "overdue_at_end", "pm_due",
                        "pm_on_time", "pm_compliance_pct", "repairs", "mttr_hours", "mtbf_hours"})
    csv.text(h);
  csv.end_row();
  const auto ratio = [&](std::optional<double> v, double scale) {
    if (v) csv.decimal(*v * scale, 2);
    else csv.empty();
  };
  for (const KpiBucket& b : k.buckets) {
    csv.time(b.start).time(b.end).number(b.reported_corrective).number(b.reported_preventive);
    csv.number(b.completed_corrective).number(b.completed_preventive).number(b.open_at_end).number(b.overdue_at_end);
    csv.number(b.pm_due).number(b.pm_on_time);
    ratio(b.pm_due > 0 ? std::optional<double>(double(b.pm_on_time) / double(b.pm_due)) : std::nullopt, 100.0);
    csv.number(b.repairs);
    ratio(mttr_seconds(b.repairs, b.repair_seconds), 1.0 / 3600.0);
    ratio(mtbf_seconds(duration_cast<seconds>(b.end - b.start), k.totals.machines, b.reported_corrective),
          1.0 / 3600.0);
    csv.end_row();
  }
  const KpiTotals& t = k.totals;
  csv.text("total").time(k.to).number(t.reported_corrective).number(t.reported_preventive);
  csv.number(t.completed_corrective).number(t.completed_preventive);
  csv.number(k.buckets.empty() ? 0 : k.buckets.back().open_at_end);
  csv.number(k.buckets.empty() ? 0 : k.buckets.back().overdue_at_end).number(t.pm_due).number(t.pm_on_time);
  ratio(t.pm_compliance, 100.0);
  csv.number(t.repairs);
  ratio(t.mttr_seconds, 1.0 / 3600.0);
  ratio(t.mtbf_seconds, 1.0 / 3600.0);
  csv.end_row();
  return csv.take();
}

}  // namespace visor::services
