// Store-level promises: transactions commit or roll back as a whole,
// after_commit, nesting, read-only transactions, concurrency, the revision
// counter, migrations.
#include <atomic>
#include <set>
#include <thread>

#include "fixture.hpp"
#include "storage/migrations.hpp"

namespace visor::storage::test {
namespace {

class StoreTx : public StoreTest {};
VISOR_STORAGE_BACKENDS(StoreTx);

int latest_migration() { return migrations(MigrationSet::sqlite).back().version; }

TEST_P(StoreTx, WriteCommitsAndReadSeesIt) {
  store().write([](Tx& tx) { tx.settings().put("k", "v"); });
  EXPECT_EQ(store().read_value([](Tx& tx) { return tx.settings().get("k"); }), "v");
  EXPECT_TRUE(store().healthy());
  EXPECT_EQ(store().backend(), GetParam() == Backend::postgres ? "postgresql" : "sqlite");
}

TEST_P(StoreTx, ThrowingWriteLeavesNothingHalfWritten) {
  const Stage stage = add_stage("New");
  const std::int64_t revision = store().read_value([](Tx& tx) { return tx.tasks().revision(); });
  struct Boom {};
  EXPECT_THROW(store().write([&](Tx& tx) {
    Task t = new_task(stage.id);
    tx.tasks().insert(t);
    tx.tasks().replace_steps(t.id, {Step{1, "one"}});
    WorkLogEntry e;
    e.task_id = t.id;
    e.at = at();
    tx.tasks().append_log(e);
    OutboxMessage m;
    m.record_key = "task:1";
    m.model = "maintenance.request";
    m.operation = "create";
    tx.outbox().enqueue(m);
    AuditEntry a;
    a.action = "task.create";
    tx.audit().append(a);
    tx.settings().put("half", "written");
    throw Boom{};
  }),
               Boom);
  store().read([&](Tx& tx) {
    TaskQuery q;
    q.include_done = q.include_archived = true;
    EXPECT_EQ(tx.tasks().count(q), 0);
    EXPECT_TRUE(tx.outbox().list(std::nullopt, 10).empty());
    EXPECT_TRUE(tx.audit().list({}).empty());
    EXPECT_FALSE(tx.settings().get("half"));
    EXPECT_EQ(tx.tasks().revision(), revision);
  });
}

TEST_P(StoreTx, AfterCommitRunsAfterCommitOnTheCallersThread) {
  int calls = 0;
  std::thread::id ran_on;
  store().write([&](Tx& tx) {
    tx.settings().put("k", "v");
    tx.after_commit([&] {
      ++calls;
      ran_on = std::this_thread::get_id();
      // The change is committed: a new transaction sees it.
      EXPECT_EQ(store().read_value([](Tx& t) { return t.settings().get("k"); }), "v");
    });
    EXPECT_EQ(calls, 0);
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST_P(StoreTx, AfterCommitIsNotCalledOnRollback) {
  bool called = false;
  EXPECT_THROW(store().write([&](Tx& tx) {
    tx.after_commit([&] { called = true; });
    invalid("no");
  }),
               Error);
  EXPECT_FALSE(called);

  // Nor when the database refuses the change.
  const Stage stage = add_stage("New");
  add_task(new_task(stage.id));
  expect_error(ErrorCode::conflict, [&] {
    store().write([&](Tx& tx) {
      tx.after_commit([&] { called = true; });
      Task t = new_task(StageId(stage.id.value + 1000));  // no such stage
      tx.tasks().insert(t);
    });
  });
  EXPECT_FALSE(called);
}

TEST_P(StoreTx, ThrowingAfterCommitCallbackDoesNotUndoTheWrite) {
  bool second = false;
  store().write([&](Tx& tx) {
    tx.settings().put("k", "v");
    tx.after_commit([] { throw std::runtime_error("subscriber failed"); });
    tx.after_commit([&] { second = true; });
  });
  EXPECT_TRUE(second);
  EXPECT_EQ(store().read_value([](Tx& tx) { return tx.settings().get("k"); }), "v");
}

TEST_P(StoreTx, NestedTransactionsAreProgrammingErrors) {
  store().write([&](Tx& tx) {
    tx.settings().put("outer", "1");
    expect_error(ErrorCode::internal, [&] { store().write([](Tx&) {}); });
    expect_error(ErrorCode::internal, [&] { store().read([](Tx&) {}); });
    expect_error(ErrorCode::internal, [&] { store().migrate(); });
    expect_error(ErrorCode::internal, [&] { store().schema_version(); });
  });
  // The outer transaction was not disturbed.
  EXPECT_EQ(store().read_value([](Tx& tx) { return tx.settings().get("outer"); }), "1");
  // And the store is usable again.
  store().write([](Tx& tx) { tx.settings().put("after", "1"); });
}

TEST_P(StoreTx, ReadTransactionsRefuseWrites) {
  const Stage stage = add_stage("New");
  store().read([&](Tx& tx) {
    expect_error(ErrorCode::internal, [&] { tx.settings().put("k", "v"); });
    expect_error(ErrorCode::internal, [&] {
      Task t = new_task(stage.id);
      tx.tasks().insert(t);
    });
  });
}

TEST_P(StoreTx, ValueHelpersReturnResults) {
  const int n = store().write_value([](Tx& tx) {
    tx.settings().put("n", "42");
    return 42;
  });
  EXPECT_EQ(n, 42);
  EXPECT_EQ(store().read_value([](Tx& tx) { return *tx.settings().get("n"); }), "42");
}

TEST_P(StoreTx, ReadSeesOneSnapshot) {
  if (!shared()) GTEST_SKIP() << "one connection: a concurrent write would wait for the read";
  const Stage stage = add_stage("New");
  add_task(new_task(stage.id));
  store().read([&](Tx& tx) {
    const std::int64_t before = tx.tasks().count({});
    std::thread([&] { add_task(new_task(stage.id)); }).join();
    EXPECT_EQ(tx.tasks().count({}), before);
  });
  EXPECT_EQ(store().read_value([](Tx& tx) { return tx.tasks().count({}); }), 2);
}

TEST_P(StoreTx, ConcurrentWritersFromSeveralThreads) {
  const Stage stage = add_stage("New");
  const std::int64_t revision = store().read_value([](Tx& tx) { return tx.tasks().revision(); });
  constexpr int kThreads = 6;
  constexpr int kWrites = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::mutex ids_mutex;
  std::set<std::int64_t> ids;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        try {
          Task task = new_task(stage.id, "thread " + std::to_string(t) + " task " + std::to_string(i));
          store().write([&](Tx& tx) {
            tx.tasks().insert(task);
            tx.tasks().replace_steps(task.id, {Step{1, "a"}, Step{2, "b"}});
          });
          const std::lock_guard lock(ids_mutex);
          ids.insert(task.id.value);
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(ids.size(), std::size_t(kThreads * kWrites));
  store().read([&](Tx& tx) {
    EXPECT_EQ(tx.tasks().count({}), kThreads * kWrites);
    EXPECT_EQ(tx.tasks().revision(), revision + kThreads * kWrites) << "one step per committed change";
  });
}

TEST_P(StoreTx, DeadlockedWritesAreRetried) {
  if (GetParam() != Backend::postgres) GTEST_SKIP() << "a single writer cannot deadlock";
  store().write([](Tx& tx) {
    tx.settings().put("a", "0");
    tx.settings().put("b", "0");
  });
  // Each writer locks one row, waits until the other holds the other row,
  // then asks for it: the server aborts one (40P01) and write() retries it.
  std::atomic<int> locked{0}, calls{0};
  const auto writer = [&](const char* first, const char* second) {
    store().write([&](Tx& tx) {
      const bool first_attempt = calls++ < 2;
      tx.settings().put(first, "1");
      if (first_attempt) {
        ++locked;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (locked < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
      }
      tx.settings().put(second, "1");
    });
  };
  std::thread one([&] { EXPECT_NO_THROW(writer("a", "b")); });
  std::thread two([&] { EXPECT_NO_THROW(writer("b", "a")); });
  one.join();
  two.join();
  EXPECT_EQ(calls, 3) << "one of the two was retried once";
  store().read([](Tx& tx) {
    EXPECT_EQ(tx.settings().get("a"), "1");
    EXPECT_EQ(tx.settings().get("b"), "1");
  });
}

TEST_P(StoreTx, ConcurrentUpdatesOfOneVersionLetExactlyOneWin) {
  const Stage stage = add_stage("New");
  const Task task = add_task(new_task(stage.id));
  constexpr int kThreads = 6;
  std::atomic<int> won{0}, stale{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Task mine = task;
      mine.title = "writer " + std::to_string(t);
      try {
        store().write([&](Tx& tx) { tx.tasks().update(mine, task.version); });
        ++won;
      } catch (const Error& e) {
        if (e.code() == ErrorCode::precondition_failed) ++stale;
        else ADD_FAILURE() << e.detail() << " " << e.internal();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(stale, kThreads - 1);
  EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.tasks().get(task.id)->version; }), task.version + 1);
}

TEST_P(StoreTx, RevisionGrowsWithEveryTaskStepAndLogChange) {
  const Stage stage = add_stage("New");
  const auto revision = [&] { return store().read_value([](Tx& tx) { return tx.tasks().revision(); }); };
  std::int64_t last = revision();
  const auto expect_grew = [&](const char* what) {
    const std::int64_t now = revision();
    EXPECT_GT(now, last) << what;
    last = now;
  };
  const auto expect_same = [&](const char* what) { EXPECT_EQ(revision(), last) << what; };

  Task t = add_task(new_task(stage.id));
  expect_grew("insert");
  store().write([&](Tx& tx) {
    t.title = "changed";
    tx.tasks().update(t, t.version);
  });
  expect_grew("update");
  store().write([&](Tx& tx) { tx.tasks().replace_steps(t.id, {Step{1, "a"}}); });
  expect_grew("replace_steps");
  store().write([&](Tx& tx) {
    Step s{1, "a"};
    s.done = true;
    tx.tasks().save_step(t.id, s);
  });
  expect_grew("save_step");
  WorkLogEntry e;
  e.task_id = t.id;
  e.at = at();
  e.client_action_id = "a1";
  store().write([&](Tx& tx) { tx.tasks().append_log(e); });
  expect_grew("append_log");
  store().write([&](Tx& tx) { tx.tasks().append_log(e); });
  expect_same("replayed append_log");
  store().write([&](Tx& tx) { tx.settings().put("x", "y"); });
  expect_same("unrelated write");
  EXPECT_THROW(store().write([&](Tx& tx) {
    t.title = "rolled back";
    tx.tasks().update(t, t.version);
    invalid("undo");
  }),
               Error);
  expect_same("rolled back update");
  store().write([&](Tx& tx) {
    const std::int64_t before = tx.tasks().revision();
    tx.tasks().remove(t.id);
    EXPECT_GT(tx.tasks().revision(), before) << "seen inside the writing transaction";
  });
  expect_grew("remove");
}

TEST_P(StoreTx, RevisionIsSharedByInstancesOnOneDatabase) {
  if (!shared()) GTEST_SKIP() << "needs a database two stores can share";
  const Stage stage = add_stage("New");
  auto other = open_again();
  const std::int64_t start = store().read_value([](Tx& tx) { return tx.tasks().revision(); });
  add_task(new_task(stage.id));
  other->write([&](Tx& tx) {
    Task t = new_task(stage.id);
    tx.tasks().insert(t);
  });
  add_task(new_task(stage.id));
  const std::int64_t mine = store().read_value([](Tx& tx) { return tx.tasks().revision(); });
  const std::int64_t theirs = other->read_value([](Tx& tx) { return tx.tasks().revision(); });
  EXPECT_EQ(mine, start + 3);
  EXPECT_EQ(theirs, start + 3);
}

TEST_P(StoreTx, MigrationsAreAppliedOnceAndIdempotentOnReopen) {
  EXPECT_EQ(store().schema_version(), latest_migration());
  EXPECT_EQ(store().migrate(), 0);
  if (!shared()) return;
  store().write([](Tx& tx) { tx.settings().put("kept", "yes"); });
  store_.reset();
  store_ = open_store(url_);
  EXPECT_EQ(store().schema_version(), latest_migration());
  EXPECT_EQ(store().migrate(), 0);
  EXPECT_EQ(store().read_value([](Tx& tx) { return tx.settings().get("kept"); }), "yes");
}

TEST_P(StoreTx, MigrateFalseLeavesTheSchemaAlone) {
  auto fresh = open_store(fresh_url(), StoreOptions{.migrate = false});
  EXPECT_EQ(fresh->schema_version(), 0);
  EXPECT_EQ(fresh->migrate(), static_cast<int>(migrations(MigrationSet::sqlite).size()));
  EXPECT_EQ(fresh->schema_version(), latest_migration());
  EXPECT_EQ(fresh->migrate(), 0);
  fresh->write([](Tx& tx) { tx.settings().put("k", "v"); });
}

TEST_P(StoreTx, InstancesStartingTogetherMigrateOnce) {
  if (!shared()) GTEST_SKIP() << "needs a database two stores can share";
  const std::string url = fresh_url();
  constexpr int kInstances = 4;
  std::vector<std::unique_ptr<Store>> stores(kInstances);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] {
      try {
        stores[i] = open_store(url);
      } catch (const Error& e) {
        ++failures;
        ADD_FAILURE() << e.detail() << " " << e.internal();
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures, 0);
  for (auto& s : stores) EXPECT_EQ(s->schema_version(), latest_migration());
  stores[0]->write([](Tx& tx) { tx.settings().put("k", "v"); });
  EXPECT_EQ(stores[kInstances - 1]->read_value([](Tx& tx) { return tx.settings().get("k"); }), "v");
}

}  // namespace
}  // namespace visor::storage::test
