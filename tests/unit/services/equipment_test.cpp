// The machine's service history (GET /equipment/{id}/history): everyone's
// done work, newest first, the last job and the last preventive one, and who
// looks after the machine — for a technician standing at it.
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "services/equipment.hpp"

namespace visor::services::test {
namespace {

class History : public ServicesTest {
 protected:
  EquipmentId machine(std::optional<UserId> technician = std::nullopt) {
    Equipment e;
    store_->write([&](storage::Tx& tx) {
      e.name = "Press 3";
      e.code = "M-PRESS" + std::to_string(++machines_);
      e.technician_id = technician;
      e.updated_at = kNow;
      tx.equipment().insert(e);
    });
    return e.id;
  }

  // A task on `m`, done (in the Done stage, closed `days_ago`) or open, assigned to `who`.
  int machines_ = 0;

  void task(EquipmentId m, const std::string& title, std::optional<int> days_ago, MaintenanceType type,
            std::optional<UserId> who = std::nullopt) {
    store_->write([&](storage::Tx& tx) {
      Task t;
      t.title = title;
      t.type = type;
      t.equipment_id = m;
      t.assignee_id = who;
      t.stage_id = stages_[days_ago ? 2 : 0].id;
      if (days_ago) {
        t.execution = Execution::completed;
        t.close_date = std::chrono::floor<std::chrono::days>(kNow) - std::chrono::days(*days_ago);
      }
      t.created_at = t.updated_at = kNow;
      tx.tasks().insert(t);
    });
  }
};

TEST_F(History, EveryonesDoneWorkNewestFirstWithTheLastJobs) {
  UserId other{0};
  store_->write([&](storage::Tx& tx) {
    User u;
    u.login = "omar";
    u.name = "Omar";
    u.created_at = kNow;
    tx.users().insert(u, "hash");
    other = u.id;
  });
  const EquipmentId m = machine(tech_id_);
  task(m, "Quarterly service", 40, MaintenanceType::preventive, other);  // someone else's, older
  task(m, "Oil leak", 3, MaintenanceType::corrective, other);
  task(m, "Belt slipping", 10, MaintenanceType::corrective, tech_id_);
  task(m, "Open work", std::nullopt, MaintenanceType::corrective, tech_id_);
  task(machine(), "Another machine", 1, MaintenanceType::preventive);

  auto d = deps();
  const EquipmentHistory h = equipment_history(d, technician(), m, 10);
  std::vector<std::string> titles;
  for (const auto& row : h.items) titles.push_back(row.task.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"Oil leak", "Belt slipping", "Quarterly service"}))
      << "done work only, everyone's, newest closed first";
  ASSERT_TRUE(h.last_done);
  EXPECT_EQ(h.last_done->task.title, "Oil leak");
  ASSERT_TRUE(h.last_preventive);
  EXPECT_EQ(h.last_preventive->task.title, "Quarterly service");
  ASSERT_TRUE(h.technician);
  EXPECT_EQ(h.technician->name, "tina");

  const EquipmentHistory one = equipment_history(d, technician(), m, 1);
  ASSERT_EQ(one.items.size(), 1u);
  ASSERT_TRUE(one.last_preventive) << "the last preventive job is found beyond the items listed";
  EXPECT_EQ(one.last_preventive->task.title, "Quarterly service");
}

TEST_F(History, AMachineWithNoDoneWorkAndBadInput) {
  const EquipmentId m = machine();
  task(m, "Open work", std::nullopt, MaintenanceType::corrective);
  auto d = deps();
  const EquipmentHistory h = equipment_history(d, technician(), m, 10);
  EXPECT_TRUE(h.items.empty());
  EXPECT_FALSE(h.last_done);
  EXPECT_FALSE(h.last_preventive);
  EXPECT_FALSE(h.technician);
  expect_error(ErrorCode::invalid_input, [&] { equipment_history(d, technician(), m, 0); });
  expect_error(ErrorCode::invalid_input, [&] { equipment_history(d, technician(), m, 51); });
  expect_error(ErrorCode::not_found, [&] { equipment_history(d, technician(), EquipmentId{999}, 10); });
}

}  // namespace
}  // namespace visor::services::test
