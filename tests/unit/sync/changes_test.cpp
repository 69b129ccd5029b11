// Outbox messages recorded by the use cases: whenever a CMMS is configured
// (enabled or not), in Visor's own terms, with the changed fields, their
// previous values and one key per message.
#include <boost/json/parse.hpp>

#include <tuple>

#include "store_fixture.hpp"
#include "sync/changes.hpp"

namespace visor::sync {
namespace {
namespace json = boost::json;

class Changes : public testing::StoreTest {
 protected:
  void enable() {
    store_->write([](storage::Tx& tx) { tx.settings().put("cmms.url", "https://odoo.example"); });
  }
};

TEST_F(Changes, NothingWithoutACmms) {
  const Stage s = add_stage(1);
  const Task t = add_task(s.id);
  store_->write([&](storage::Tx& tx) {
    task_created(tx, t, clock_.now());
    task_note(tx, t, UserId(1), "x", clock_.now());
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
  EXPECT_EQ(m.model, "task");
  EXPECT_EQ(m.operation, "update");
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

TEST_F(Changes, CreateDeleteNotesAndUser) {
  enable();
  const Stage s = add_stage(1);
  Task t = add_task(s.id);
  User u;
  u.id = UserId(5);
  store_->write([&](storage::Tx& tx) {
    task_created(tx, t, clock_.now());
    task_note(tx, t, UserId(5), "Done <quickly>", clock_.now());
    task_step_result(tx, t, UserId(5), {3, "Measure the pressure", false, "3.1", "bar", ""}, clock_.now());
    task_completed(tx, t, UserId(5), CompletionReport{std::chrono::seconds(3900), {{1, "Lock out", true, "", "", "ok"}}},
                   clock_.now());
    task_photo(tx, t, std::nullopt, MediaId(9), 2, clock_.now());
    t.odoo_id = OdooId(77);
    task_created(tx, t, clock_.now());  // already in the CMMS: nothing
    task_deleted(tx, t, clock_.now());
    user_created(tx, u, clock_.now());
  });
  const auto box = outbox();
  ASSERT_EQ(box.size(), 7u);
  EXPECT_EQ(box[0].model, "task");
  EXPECT_EQ(box[0].operation, "create");
  // Notes say who and what, in Visor's terms: the connector writes the text.
  EXPECT_EQ(box[1].operation, "note");
  const auto note = json::parse(box[1].payload).as_object();
  EXPECT_EQ(note.at("kind").as_string(), "note");
  EXPECT_EQ(note.at("author_id").as_int64(), 5);
  EXPECT_EQ(note.at("text").as_string(), "Done <quickly>");
  const auto step = json::parse(box[2].payload).as_object();
  EXPECT_EQ(step.at("kind").as_string(), "step");
  EXPECT_EQ(step.at("step").as_int64(), 3);
  EXPECT_EQ(step.at("value").as_string(), "3.1");
  EXPECT_EQ(step.at("unit").as_string(), "bar");
  EXPECT_FALSE(step.contains("note"));
  const auto done = json::parse(box[3].payload).as_object();
  EXPECT_EQ(done.at("kind").as_string(), "completion");
  EXPECT_EQ(done.at("time_on_tool_seconds").as_int64(), 3900);
  EXPECT_EQ(done.at("steps").as_array().at(0).at("note").as_string(), "ok");
  const auto photo = json::parse(box[4].payload).as_object();
  EXPECT_EQ(photo.at("media_id").as_int64(), 9);
  EXPECT_FALSE(photo.contains("author_id"));
  EXPECT_EQ(box[5].operation, "delete");
  EXPECT_EQ(json::parse(box[5].payload).at("cmms_id").as_int64(), 77);
  EXPECT_EQ(box[6].model, "user");
  EXPECT_EQ(box[6].record_key, "user:5");
  EXPECT_NE(box[0].idempotency_key, box[1].idempotency_key);
  for (const auto& m : box) {
    const auto type = message_type(m);
    EXPECT_EQ(type.record, m.model);
    EXPECT_EQ(type.operation, m.operation);
  }
}

TEST_F(Changes, MessagesRecordedBeforeVisorsOwnNamesAreReadAsWhatTheyMeant) {
  storage::OutboxMessage m;
  for (auto [model, op, record, operation] :
       {std::tuple{"maintenance.request", "create", kTaskRecord, kCreate},
        std::tuple{"maintenance.request", "write", kTaskRecord, kUpdate},
        std::tuple{"maintenance.request", "unlink", kTaskRecord, kDelete},
        std::tuple{"maintenance.request", "message_post", kTaskRecord, kNote},
        std::tuple{"res.users", "create", kUserRecord, kCreate}}) {
    m.model = model;
    m.operation = op;
    EXPECT_EQ(message_type(m).record, record) << model << " " << op;
    EXPECT_EQ(message_type(m).operation, operation) << model << " " << op;
  }
  m.model = "task";
  m.operation = "fly";
  EXPECT_EQ(message_type(m).operation, "");
}

}  // namespace
}  // namespace visor::sync
