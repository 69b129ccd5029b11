// Report use cases: the pure folding and ratios, then kpis()/exports over a
// store (access, validation, formula guard).
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "services/reports.hpp"
#include "services/tasks.hpp"

namespace visor::services::test {
namespace {

using namespace std::chrono;
using storage::Activity;
using storage::ActivityCount;
using enum MaintenanceType;

const TimePoint T0 = from_unix(1'800'000'000 - 1'800'000'000 % 86400);

TEST(ReportMath, SlotIsTheLargestCommonStepOfTheBounds) {
  EXPECT_EQ(slot_for(T0, T0 + days(7), {T0 + days(1), T0 + days(2)}), seconds(86400));
  // A DST change moves a plant midnight by an hour: hourly slots still fit.
  EXPECT_EQ(slot_for(T0, T0 + days(3), {T0 + days(1), T0 + days(2) - hours(1)}), seconds(3600));
  EXPECT_EQ(slot_for(T0, T0 + days(1), {}), seconds(86400));
  // Never finer than period / 20000.
  EXPECT_EQ(slot_for(T0, T0 + days(400), {T0 + seconds(1)}), seconds((400 * 86400 + 19999) / 20000));
}

TEST(ReportMath, FoldKeepsRunningTotalsFromTheBaseline) {
  const std::vector<TimePoint> bounds{T0 + days(1), T0 + days(2)};
  const std::vector<ActivityCount> counts{
      {Activity::reported, corrective, -1, 5, 0},   {Activity::completed, corrective, -1, 2, 0},
      {Activity::overdue_from, corrective, -1, 1, 0}, {Activity::reported, preventive, 0, 2, 0},
      {Activity::reported, corrective, 2, 1, 0},     {Activity::completed, preventive, 1, 3, 0},
      {Activity::overdue_from, preventive, 1, 2, 0}, {Activity::overdue_to, preventive, 2, 1, 0},
      {Activity::pm_due, preventive, 1, 4, 0},       {Activity::pm_on_time, preventive, 1, 3, 0},
      {Activity::repaired, corrective, 2, 2, 7200},  {Activity::reported, corrective, 99, 9, 0}};  // past `to`: ignored
  const auto b = fold_activity(counts, T0, T0 + days(3), bounds, seconds(86400));
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].start, T0);
  EXPECT_EQ(b[2].end, T0 + days(3));
  EXPECT_EQ(b[0].reported_preventive, 2);
  EXPECT_EQ(b[0].open_at_end, 5);  // 3 open before + 2
  EXPECT_EQ(b[1].completed_preventive, 3);
  EXPECT_EQ(b[1].open_at_end, 2);
  EXPECT_EQ(b[2].open_at_end, 3);
  EXPECT_EQ(b[0].overdue_at_end, 1);
  EXPECT_EQ(b[1].overdue_at_end, 3);
  EXPECT_EQ(b[2].overdue_at_end, 2);
  EXPECT_EQ(b[1].pm_due, 4);
  EXPECT_EQ(b[1].pm_on_time, 3);
  EXPECT_EQ(b[2].repairs, 2);
  EXPECT_EQ(b[2].repair_seconds, 7200);

  const KpiTotals t = totals_of(b, days(3), 10);
  EXPECT_EQ(t.reported_corrective, 1);
  EXPECT_EQ(t.reported_preventive, 2);
  EXPECT_DOUBLE_EQ(*t.pm_compliance, 0.75);
  EXPECT_DOUBLE_EQ(*t.mttr_seconds, 3600);
  EXPECT_DOUBLE_EQ(*t.mtbf_seconds, 3.0 * 86400 * 10 / 1);
  EXPECT_DOUBLE_EQ(*t.corrective_share, 1.0 / 3.0);
}

TEST(ReportMath, RatiosWithoutDenominatorAreUnknownNotZero) {
  const KpiTotals t = totals_of({KpiBucket{}}, days(1), 0);
  EXPECT_FALSE(t.mttr_seconds);
  EXPECT_FALSE(t.mtbf_seconds);
  EXPECT_FALSE(t.pm_compliance);
  EXPECT_FALSE(t.corrective_share);
  EXPECT_FALSE(mtbf_seconds(days(1), 5, 0));
  EXPECT_FALSE(mttr_seconds(0, 0));
}

class ReportUseCases : public ServicesTest {};

TEST_F(ReportUseCases, OnlyPlannersReadReports) {
  auto d = deps();
  KpiRequest r{KpiParts::all, {}, kNow - days(7), kNow};
  expect_error(ErrorCode::forbidden, [&] { kpis(d, technician(), r); });
  EXPECT_NO_THROW(kpis(d, manager(), r));
}

TEST_F(ReportUseCases, PeriodsAndBoundsAreChecked) {
  auto d = deps();
  const auto request = [&](TimePoint from, TimePoint to, std::vector<TimePoint> bounds) {
    return KpiRequest{KpiParts::period, {}, from, to, std::move(bounds)};
  };
  expect_error(ErrorCode::invalid_input, [&] { kpis(d, manager(), request(kNow, kNow, {})); });
  expect_error(ErrorCode::invalid_input, [&] { kpis(d, manager(), request(kNow - days(401), kNow, {})); });
  expect_error(ErrorCode::invalid_input, [&] { kpis(d, manager(), request(kNow - days(2), kNow, {kNow - days(1), kNow - days(1)})); });
  expect_error(ErrorCode::invalid_input, [&] { kpis(d, manager(), request(kNow - days(2), kNow, {kNow})); });
  std::vector<TimePoint> many;
  for (int i = 1; i < 250; ++i) many.push_back(kNow - days(300) + hours(i));
  expect_error(ErrorCode::invalid_input, [&] { kpis(d, manager(), request(kNow - days(300), kNow, many)); });
}

TEST_F(ReportUseCases, KpisFollowTheWork) {
  auto d = deps();
  TaskChanges c;
  c.title = "Leak";
  c.schedule_start = kNow - hours(3);
  const TaskDetail late = create_task(d, manager(), c);
  c.title = "Tomorrow";
  c.schedule_start = kNow + days(1);
  c.assignee_id = tech_id_;
  create_task(d, manager(), c);
  const KpiRequest r{KpiParts::all, {}, kNow - days(2), kNow + hours(12), {kNow - days(1), kNow - hours(12)}};
  const Kpis k = kpis(d, manager(), r);
  EXPECT_EQ(k.now.open, 2);
  EXPECT_EQ(k.now.overdue, 1);
  EXPECT_EQ(k.now.unassigned, 1);
  ASSERT_EQ(k.buckets.size(), 3u);
  EXPECT_EQ(k.buckets.back().open_at_end, 2);
  EXPECT_EQ(k.buckets.back().overdue_at_end, 1);
  EXPECT_EQ(k.totals.reported_corrective, 2);
  ASSERT_EQ(k.technicians.size(), 1u);
  EXPECT_EQ(k.technicians[0].scheduled, 1);  // the default week: 7 days from midnight (UTC)
  (void)late;

  const Kpis only_now = kpis(d, manager(), KpiRequest{KpiParts::now, {}, r.from, r.to, r.bounds});
  EXPECT_TRUE(only_now.buckets.empty());
  EXPECT_EQ(only_now.now.open, 2);
}

}  // namespace
}  // namespace visor::services::test
