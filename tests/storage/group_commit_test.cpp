// SQLite group commit: write() calls that queue while another transaction
// runs are run by one leader in one SQLite transaction, each in its own
// savepoint. A failing one rolls back alone; every caller returns only after
// the shared COMMIT, with its own result, and runs its own after-commit
// callbacks on its own thread.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "fixture.hpp"
#include "storage/sqlite/store.hpp"

namespace visor::storage::test {
namespace {

using namespace std::chrono_literals;

class GroupCommit : public StoreTest {};
VISOR_STORAGE_BACKENDS(GroupCommit);

TEST_P(GroupCommit, QueuedWritesShareOneCommitAndAFailingOneRollsBackAlone) {
  auto* sqlite = dynamic_cast<sqlite::SqliteStore*>(&store());
  if (!sqlite) GTEST_SKIP() << "group commit is SQLite's (PostgreSQL takes concurrent writers itself)";
  const Stage stage = add_stage("New");
  struct Boom {};

  // A holds the writer until B, C and D wait behind it; they then form the
  // next batch, led by the oldest (B).
  std::atomic<bool> a_running{false};
  auto a = std::async(std::launch::async, [&] {
    store().write([&](Tx& tx) {
      a_running = true;
      tx.settings().put("a", "1");
      const auto deadline = std::chrono::steady_clock::now() + 20s;
      while (sqlite->waiting_writes() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
      EXPECT_EQ(sqlite->waiting_writes(), 3u) << "B, C and D never queued";
    });
  });
  while (!a_running) std::this_thread::yield();

  struct Outcome {
    std::thread::id caller, ran_on, after_commit_on;
    bool threw = false;
    std::int64_t task_id = 0;
  };
  const auto writer = [&](bool fail, Outcome& out) {
    return std::async(std::launch::async, [&, fail] {
      out.caller = std::this_thread::get_id();
      Task task = new_task(stage.id, fail ? "never stored" : "stored");
      try {
        store().write([&](Tx& tx) {
          out.ran_on = std::this_thread::get_id();
          tx.tasks().insert(task);
          tx.after_commit([&] { out.after_commit_on = std::this_thread::get_id(); });
          if (fail) throw Boom{};
        });
        out.task_id = task.id.value;
      } catch (const Boom&) {
        out.threw = true;
      }
    });
  };
  Outcome b, c, d;
  // Queued in this order (each waits until the one before is queued).
  auto fb = writer(false, b);
  while (sqlite->waiting_writes() < 1) std::this_thread::yield();
  auto fc = writer(true, c);
  while (sqlite->waiting_writes() < 2) std::this_thread::yield();
  auto fd = writer(false, d);
  a.get();
  fb.get();
  fc.get();
  fd.get();

  EXPECT_EQ(c.ran_on, b.caller) << "C ran in B's batch";
  EXPECT_EQ(d.ran_on, b.caller) << "D ran in B's batch";
  EXPECT_FALSE(b.threw);
  EXPECT_TRUE(c.threw) << "C's caller gets C's error";
  EXPECT_FALSE(d.threw) << "C's failure is C's alone";
  EXPECT_EQ(b.after_commit_on, b.caller);
  EXPECT_EQ(d.after_commit_on, d.caller) << "after-commit callbacks run on their caller's thread";
  EXPECT_EQ(c.after_commit_on, std::thread::id{}) << "a rolled-back job's callbacks never run";
  store().read([&](Tx& tx) {
    EXPECT_EQ(tx.settings().get("a"), "1");
    EXPECT_TRUE(tx.tasks().get(TaskId{b.task_id}));
    EXPECT_TRUE(tx.tasks().get(TaskId{d.task_id}));
    TaskQuery q;
    q.include_done = q.include_archived = true;
    EXPECT_EQ(tx.tasks().count(q), 2) << "C's insert was rolled back to its savepoint";
  });
}

}  // namespace
}  // namespace visor::storage::test
