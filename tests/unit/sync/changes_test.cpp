// Outbox messages recorded by the use cases: only when a CMMS is enabled,
// with the changed fields, their previous values and one key per message.
#include <boost/json/parse.hpp>

#include "store_fixture.hpp"
#include "sync/changes.hpp"

namespace visor::sync {
namespace {
namespace json = boost::json;

class Changes : public testing::StoreTest {
 protected:
  void enable() {
    store_->write([](storage::Tx& tx) { tx.settings().put(kCmmsEnabledKey, "1"); });
  }
};

TEST_F(Changes, NothingWithoutACmms) {
  const Stage s = add_stage(1);
  const Task t = add_task(s.id);
  store_->write([&](storage::Tx& tx) {
    task_created(tx, t, clock_.now());
    task_note(tx, t, "<p>x</p>", clock_.now());
  });
  EXPECT_TRUE(outbox().empty());
}

TEST_F(Changes, WriteCarriesValuesAndBase) {
  enable();
  const Stage s1 = add_stage(1);
  const Stage s2 = add_stage(2);
  const Task before = add_task(s1.id);
  Task after = before;
  after.stage_id = s2.id;
  after.priority = 3;
  after.schedule_start = parse_iso8601("2026-11-26T08:00:00Z");
  store_->write([&](storage::Tx& tx) {
    task_changed(tx, before, after, clock_.now());
    task_changed(tx, after, after, clock_.now());  // nothing changed: no message
  });
  const auto box = outbox();
  ASSERT_EQ(box.size(), 1u);
  const auto& m = box[0];
  EXPECT_EQ(m.record_key, "task:" + std::to_string(before.id.value));
  EXPECT_EQ(m.operation, "write");
  EXPECT_EQ(m.status, storage::OutboxStatus::pending);
  EXPECT_EQ(m.idempotency_key.size(), 32u);
  const auto p = json::parse(m.payload).as_object();
  EXPECT_EQ(p.at("task_id").as_int64(), before.id.value);
  const auto& values = p.at("values").as_object();
  const auto& base = p.at("base").as_object();
  EXPECT_EQ(values.size(), 3u);
  EXPECT_EQ(values.at("stage_id").as_int64(), s2.id.value);
  EXPECT_EQ(base.at("stage_id").as_int64(), s1.id.value);
  EXPECT_EQ(values.at("priority").as_int64(), 3);
  EXPECT_EQ(base.at("priority").as_int64(), 1);
  EXPECT_EQ(values.at("schedule_start").as_string(), "2026-11-26T08:00:00Z");
  EXPECT_TRUE(base.at("schedule_start").is_null());
}

TEST_F(Changes, CreateDeleteNoteAndUser) {
  enable();
  const Stage s = add_stage(1);
  Task t = add_task(s.id);
  User u;
  u.id = UserId(5);
  store_->write([&](storage::Tx& tx) {
    task_created(tx, t, clock_.now());
    task_note(tx, t, "<p>Done</p>", clock_.now());
    t.odoo_id = OdooId(77);
    task_created(tx, t, clock_.now());  // already in the CMMS: nothing
    task_deleted(tx, t, clock_.now());
    user_created(tx, u, clock_.now());
  });
  const auto box = outbox();
  ASSERT_EQ(box.size(), 4u);
  EXPECT_EQ(box[0].operation, "create");
  EXPECT_EQ(box[1].operation, "message_post");
  EXPECT_EQ(json::parse(box[1].payload).at("body").as_string(), "<p>Done</p>");
  EXPECT_EQ(box[2].operation, "unlink");
  EXPECT_EQ(json::parse(box[2].payload).at("odoo_id").as_int64(), 77);
  EXPECT_EQ(box[3].model, "res.users");
  EXPECT_EQ(box[3].record_key, "user:5");
  EXPECT_NE(box[0].idempotency_key, box[1].idempotency_key);
}

}  // namespace
}  // namespace visor::sync
