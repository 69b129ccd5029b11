// Triage decisions reach Odoo (issue 13): a fault reported in Visor becomes
// a request in Odoo; approving it writes its planning and stage, rejecting
// it archives it, merging archives it and tells the request it joined — and
// each decision is a chatter note naming the planner. Against the stand-in
// Odoo; built into sync_itest and sync_pgtest.
#include <boost/json/serialize.hpp>

#include "services/tasks.hpp"
#include "services/triage.hpp"
#include "sync_fixture.hpp"

namespace visor::testing {
namespace {
namespace json = boost::json;

class SyncTriage : public SyncTest {
 protected:
  /// A fault reported from the floor by `tech` on the machine Odoo knows as 9.
  TaskId report(const services::Caller& tech, const std::string& title) {
    const auto press = store_->read_value([&](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(9)); });
    EXPECT_TRUE(press);
    return services::report_problem(deps(), tech, services::ProblemReport{press->code, title, "Seen from the aisle.", 2, ""})
        .row.task.id;
  }
  std::int64_t odoo_id(TaskId id) {
    const auto t = store_->read_value([&](storage::Tx& tx) { return tx.tasks().get(id); });
    EXPECT_TRUE(t && t->odoo_id) << "task " << id.value << " has no Odoo request yet";
    return t && t->odoo_id ? t->odoo_id->value : 0;
  }
};

TEST_F(SyncTriage, ApproveRejectAndMergeReachOdoo) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  const auto tech = technician("demo");
  const services::Caller planner = manager();
  const TaskId approved = report(tech, "Hissing at the outlet");
  const TaskId rejected = report(tech, "Floor is dirty");
  const TaskId merged = report(tech, "Hissing again");
  sync_until_idle();
  const std::int64_t a = odoo_id(approved), r = odoo_id(rejected), m = odoo_id(merged);
  ASSERT_TRUE(a && r && m);

  services::Approval plan;
  plan.assignee_id = std::optional<UserId>(user_by_login("demo")->id);
  plan.priority = 3;
  plan.stage_id = task_by_odoo(4)->stage_id;  // In Progress
  services::approve_report(deps(), planner, approved, plan);
  services::reject_report(deps(), planner, rejected, "Cleaning, not maintenance.");
  services::merge_report(deps(), planner, merged, approved);
  sync_until_idle();

  const json::object& ra = odoo.record("maintenance.request", a);
  EXPECT_EQ(m2o(ra.at("stage_id")), 2);
  EXPECT_EQ(ra.at("priority"), "3");
  EXPECT_NE(m2o(ra.at("user_id")), 0);
  EXPECT_EQ(odoo.record("maintenance.request", r).at("archive"), true);
  EXPECT_EQ(odoo.record("maintenance.request", m).at("archive"), true);

  std::string all;
  for (const auto& post : committed(odoo, "maintenance.request", "message_post")) all += json::serialize(post) + "\n";
  EXPECT_NE(all.find("Approved in Visor</b> by"), std::string::npos) << all;
  EXPECT_NE(all.find("priority high"), std::string::npos) << all;
  EXPECT_NE(all.find("Rejected in Visor</b> by"), std::string::npos) << all;
  EXPECT_NE(all.find("Cleaning, not maintenance."), std::string::npos) << all;
  EXPECT_NE(all.find("Merged in Visor</b> by"), std::string::npos) << all;
  EXPECT_NE(all.find("Duplicate report merged: Hissing again"), std::string::npos) << all;
  EXPECT_TRUE(outbox(storage::OutboxStatus::failed).empty());
}

}  // namespace
}  // namespace visor::testing
