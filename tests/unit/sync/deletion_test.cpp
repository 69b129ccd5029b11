// Deletions in the CMMS as the engine applies them: only what the connector
// proved gone, nothing when any comparison failed (an access error), and a
// mass deletion held until an admin confirms — with the former link kept so
// that a record coming back is linked to the same local one.
#include <boost/json/parse.hpp>

#include "engine_fixture.hpp"
#include "sync/admin.hpp"
#include "sync/deletion_guard.hpp"
#include "util/error.hpp"

namespace visor::sync {
namespace {

TEST(DeletionGuard, HoldsAMassDeletion) {
  const DeletionGuard g;  // 20 %, 50 records
  EXPECT_FALSE(must_hold(g, 0, 100));
  EXPECT_FALSE(must_hold(g, 1, 2));    // a single deletion never holds by share
  EXPECT_FALSE(must_hold(g, 20, 100));  // exactly the share
  EXPECT_TRUE(must_hold(g, 21, 100));
  EXPECT_TRUE(must_hold(g, 2, 4));
  EXPECT_TRUE(must_hold(g, 51, 100000));
  EXPECT_FALSE(must_hold(g, 50, 100000));
  EXPECT_TRUE(must_hold(DeletionGuard{5, 1000}, 6, 100));
}

class Deletions : public testing::EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    const Stage s = add_stage(1);
    for (int i = 1; i <= 20; ++i) {
      Task t = add_task(s.id, "Task " + std::to_string(i));
      store_->write([&](storage::Tx& tx) {
        t.odoo_id = OdooId(100 + i);
        tx.tasks().update(t, t.version);
      });
      tasks_.push_back(t.id);
    }
  }

  // The fake CMMS says Odoo ids `gone` of fake.model are deleted.
  void cmms_deleted(std::vector<int> gone) {
    fake_->reconciles["fake.model"] = [this, gone] {
      Reconciliation r;
      r.pull.model = "fake.model";
      r.kind = RecordKind::task;
      r.linked = 20;
      for (int i : gone) r.gone.push_back({100 + i, tasks_[std::size_t(i - 1)].value});
      return r;
    };
  }

  std::optional<Task> task(int i) {
    return store_->read_value([&](storage::Tx& tx) { return tx.tasks().get(tasks_[std::size_t(i - 1)]); });
  }

  SyncServices services() { return SyncServices{*store_, *box_, driver_, clock_, engine_.get()}; }

  std::vector<TaskId> tasks_;
};

TEST_F(Deletions, WhatTheCmmsProvedGoneIsArchivedUnlinkedAndRemembered) {
  cmms_deleted({3});
  const CycleReport r = engine_->run_once(true);
  ASSERT_TRUE(r.ok()) << r.errors.front();
  ASSERT_EQ(r.reconciles.size(), 2u);
  EXPECT_EQ(r.reconciles[1].removed, 1);
  const auto t3 = task(3);
  ASSERT_TRUE(t3);  // never dropped: its id and history stay
  EXPECT_TRUE(t3->archived);
  EXPECT_FALSE(t3->odoo_id);
  EXPECT_EQ(store_->read_value([](storage::Tx& tx) { return tx.sync().unlinked("fake.model", 103); }),
            tasks_[2].value);
  EXPECT_TRUE(task(4)->odoo_id);
}

TEST_F(Deletions, AnAccessErrorAnywhereRemovesNothing) {
  cmms_deleted({3});
  fake_->reconciles["fake.machine"] = []() -> Reconciliation {
    throw CmmsError(CmmsError::Kind::access, true, "403 AccessError", "The key may not see some records.");
  };
  const CycleReport r = engine_->run_once(true);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(task(3)->odoo_id);
  EXPECT_FALSE(task(3)->archived);
  auto status = engine_->status();
  EXPECT_EQ(status.at("state").as_string(), "alert");
  EXPECT_EQ(status.at("alert").at("kind").as_string(), "access");
  // A pull without reconcile does not hide the alert; a reconcile that goes through ends it.
  engine_->run_once(false);
  EXPECT_EQ(engine_->status().at("alert").at("kind").as_string(), "access");
  fake_->reconciles.erase("fake.machine");
  engine_->run_once(true);
  EXPECT_TRUE(engine_->status().at("alert").is_null());
  EXPECT_FALSE(task(3)->odoo_id);
}

TEST_F(Deletions, AMassDeletionWaitsForAnAdmin) {
  cmms_deleted({1, 2, 3, 4, 5, 6});  // 30 % of 20
  auto admin = bus_->subscribe(Actor{UserId(1), Role::admin, std::nullopt}, 0, [] {});
  CycleReport r = engine_->run_once(true);
  EXPECT_EQ(r.held, 6);
  for (int i = 1; i <= 6; ++i) EXPECT_TRUE(task(i)->odoo_id) << i;
  auto status = engine_->status();
  EXPECT_EQ(status.at("state").as_string(), "alert");
  EXPECT_EQ(status.at("alert").at("kind").as_string(), "deletions_held");
  EXPECT_NE(std::string(status.at("alert").at("message").as_string()).find("6 of 20 tasks"), std::string::npos);
  EXPECT_EQ(status.at("held_deletions").as_array().at(0).at("count").as_int64(), 6);
  bool pushed = false;
  for (const auto& e : admin->drain().events) pushed |= e.type == "sync.alert" && e.data.find("deletions_held") != std::string::npos;
  EXPECT_TRUE(pushed);
  // Still held on the next reconcile, nothing removed.
  r = engine_->run_once(true);
  EXPECT_EQ(r.held, 6);
  EXPECT_TRUE(task(1)->odoo_id);

  auto s = services();
  const AdminActor admin_actor{UserId(1), "root", "127.0.0.1"};
  EXPECT_THROW(confirm_deletions(s, std::string("fake.machine"), admin_actor), Error);
  EXPECT_EQ(confirm_deletions(s, std::nullopt, admin_actor), 6u);
  EXPECT_TRUE(held_deletions(s).empty());
  r = engine_->run_once(true);
  EXPECT_EQ(r.held, 0);
  EXPECT_EQ(r.reconciles[1].removed, 6);
  for (int i = 1; i <= 6; ++i) EXPECT_FALSE(task(i)->odoo_id) << i;
  EXPECT_TRUE(engine_->status().at("alert").is_null());
  EXPECT_EQ(engine_->status().at("state").as_string(), "ok");
  // The confirmation was audited.
  store_->read([](storage::Tx& tx) {
    storage::AuditQuery q;
    q.action = "sync.deletions.confirm";
    EXPECT_EQ(tx.audit().list(q).size(), 1u);
  });
}

TEST_F(Deletions, AConfirmationCoversOnlyWhatWasHeld) {
  cmms_deleted({1, 2, 3, 4, 5, 6});
  engine_->run_once(true);
  auto s = services();
  confirm_deletions(s, std::nullopt, AdminActor{UserId(1), "root", ""});
  // Meanwhile more went: the confirmed ones go, the others are held again.
  cmms_deleted({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  const CycleReport r = engine_->run_once(true);
  EXPECT_EQ(r.reconciles[1].removed, 6);
  EXPECT_EQ(r.held, 5);
  EXPECT_TRUE(task(7)->odoo_id);
}

}  // namespace
}  // namespace visor::sync
