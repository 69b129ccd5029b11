// TaskRepository::list / count / get_row: filters, scope, search, joined
// names, and keyset pagination for every sort.
#include <algorithm>
#include <set>
#include <tuple>

#include "fixture.hpp"

namespace visor::storage::test {
namespace {

class TaskList : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    open = add_stage("New", false, 1);
    done = add_stage("Done", true, 9);
    team_a = add_team("A");
    team_b = add_team("B");
    alice = add_user("alice", team_a.id);
    bob = add_user("bob", team_b.id);
    pump = add_equipment("PUMP-1", "Pump P-7");
  }

  std::vector<TaskId> ids(const TaskQuery& q) {
    std::vector<TaskId> out;
    for (const TaskRow& r : store().read_value([&](Tx& tx) { return tx.tasks().list(q); }).rows)
      out.push_back(r.task.id);
    return out;
  }
  std::set<std::string> titles(TaskQuery q) {
    q.limit = 500;
    std::set<std::string> out;
    for (const TaskRow& r : store().read_value([&](Tx& tx) { return tx.tasks().list(q); }).rows)
      out.insert(r.task.title);
    EXPECT_EQ(store().read_value([&](Tx& tx) { return tx.tasks().count(q); }), std::int64_t(out.size()));
    return out;
  }
  Task add(const std::string& title, const std::function<void(Task&)>& edit = {}) {
    Task t = new_task(open.id, title);
    if (edit) edit(t);
    return add_task(t);
  }

  Stage open, done;
  Team team_a, team_b;
  User alice, bob;
  Equipment pump;
};
VISOR_STORAGE_BACKENDS(TaskList);

using Titles = std::set<std::string>;

TEST_P(TaskList, RowsCarryTheJoinedNames) {
  const Task t = add("Joined", [&](Task& t) {
    t.equipment_id = pump.id;
    t.assignee_id = alice.id;
  });
  store().write([&](Tx& tx) {
    std::vector<Step> steps{{1, "a"}, {2, "b"}, {3, "c"}};
    steps[0].done = steps[2].done = true;
    tx.tasks().replace_steps(t.id, steps);
  });
  const Task bare = add("Bare");
  const auto check = [&](const TaskRow& row) {
    EXPECT_EQ(row.task.title, "Joined");
    EXPECT_EQ(row.equipment_name, "Pump P-7");
    EXPECT_EQ(row.equipment_location, "Hall PUMP-1");
    EXPECT_EQ(row.equipment_code, "PUMP-1");
    EXPECT_EQ(row.assignee_name, "alice name");
    EXPECT_EQ(row.stage_name, "New");
    EXPECT_FALSE(row.stage_done);
    EXPECT_EQ(row.steps_total, 3);
    EXPECT_EQ(row.steps_done, 2);
  };
  store().read([&](Tx& tx) {
    check(*tx.tasks().get_row(t.id));
    TaskQuery q;
    q.assignee = alice.id;
    const TaskPage page = tx.tasks().list(q);
    ASSERT_EQ(page.rows.size(), 1u);
    check(page.rows[0]);
    const TaskRow b = *tx.tasks().get_row(bare.id);
    EXPECT_EQ(b.equipment_name, "");
    EXPECT_EQ(b.assignee_name, "");
    EXPECT_EQ(b.steps_total, 0);
    EXPECT_FALSE(tx.tasks().get_row(TaskId(bare.id.value + 10)));
  });
}

TEST_P(TaskList, FiltersNarrowTheList) {
  add("alice's", [&](Task& t) { t.assignee_id = alice.id; });
  add("bob's in B", [&](Task& t) {
    t.assignee_id = bob.id;
    t.team_id = team_b.id;
  });
  add("unassigned in A", [&](Task& t) { t.team_id = team_a.id; });
  add("on the pump", [&](Task& t) {
    t.equipment_id = pump.id;
    t.execution = Execution::in_progress;
    t.schedule_start = at(100);
  });
  add("later", [&](Task& t) { t.schedule_start = at(500); });
  add("finished", [&](Task& t) { t.stage_id = done.id; });
  add("archived", [&](Task& t) { t.archived = true; });

  TaskQuery q;
  EXPECT_EQ(titles(q), (Titles{"alice's", "bob's in B", "unassigned in A", "on the pump", "later"}));
  q.assignee = alice.id;
  EXPECT_EQ(titles(q), Titles{"alice's"});
  q = {};
  q.unassigned_only = true;
  EXPECT_EQ(titles(q), (Titles{"unassigned in A", "on the pump", "later"}));
  q = {};
  q.team = team_b.id;
  EXPECT_EQ(titles(q), Titles{"bob's in B"});
  q = {};
  q.equipment = pump.id;
  EXPECT_EQ(titles(q), Titles{"on the pump"});
  q = {};
  q.execution = Execution::in_progress;
  EXPECT_EQ(titles(q), Titles{"on the pump"});
  q = {};
  q.due_before = at(200);
  EXPECT_EQ(titles(q), Titles{"on the pump"});
  q = {};
  q.scheduled_from = at(100);
  q.scheduled_to = at(500);
  EXPECT_EQ(titles(q), Titles{"on the pump"});
  q.scheduled_to = at(501);
  EXPECT_EQ(titles(q), (Titles{"on the pump", "later"}));
  q = {};
  q.stage = done.id;
  EXPECT_EQ(titles(q), Titles{}) << "done stage hidden unless include_done";
  q.include_done = true;
  EXPECT_EQ(titles(q), Titles{"finished"});
  q = {};
  q.include_done = true;
  q.include_archived = true;
  EXPECT_EQ(titles(q).size(), 7u);
  q.include_done = false;
  EXPECT_EQ(titles(q).size(), 6u);
  EXPECT_TRUE(titles(q).contains("archived"));
}

TEST_P(TaskList, TechnicianScopeIsAssigneeOrTeam) {
  add("mine", [&](Task& t) { t.assignee_id = alice.id; });
  add("mine in B", [&](Task& t) {
    t.assignee_id = alice.id;
    t.team_id = team_b.id;
  });
  add("my team's", [&](Task& t) { t.team_id = team_a.id; });
  add("my team's, bob's", [&](Task& t) {
    t.team_id = team_a.id;
    t.assignee_id = bob.id;
  });
  add("not mine", [&](Task& t) {
    t.team_id = team_b.id;
    t.assignee_id = bob.id;
  });
  add("nobody's");

  TaskQuery q;
  q.scoped = true;
  q.scope_user = alice.id;
  q.scope_team = team_a.id;
  EXPECT_EQ(titles(q), (Titles{"mine", "mine in B", "my team's", "my team's, bob's"}));
  q.scope_team.reset();
  EXPECT_EQ(titles(q), (Titles{"mine", "mine in B"}));
  q.scope_user.reset();
  q.scope_team = team_a.id;
  EXPECT_EQ(titles(q), (Titles{"my team's", "my team's, bob's"}));
  q.scope_team.reset();
  EXPECT_EQ(titles(q), Titles{}) << "scoped to nobody sees nothing";
  // The scope combines with the other filters.
  q.scope_user = alice.id;
  q.scope_team = team_a.id;
  q.assignee = bob.id;
  EXPECT_EQ(titles(q), Titles{"my team's, bob's"});
}

TEST_P(TaskList, TextSearchIsCaseInsensitiveAndLiteral) {
  add("Replace the PUMP seal");
  add("Oil change", [](Task& t) { t.description = "<p>Check the pump pressure</p>"; });
  add("50% done");
  add("500 done");
  add("a_b valve");
  add("axb valve");
  add("l'huile moteur");
  add("Robert'); DROP TABLE tasks; --");
  add("\"; DROP TABLE tasks; --");
  add("C:\\temp\\log");
  add("État des freins");
  add("Ölwechsel Kompressor");
  add("ポンプ点検");

  const auto search = [&](const std::string& text) {
    TaskQuery q;
    q.text = text;
    return titles(q);
  };
  EXPECT_EQ(search("pump"), (Titles{"Replace the PUMP seal", "Oil change"}));
  EXPECT_EQ(search("PuMp SeAl"), Titles{"Replace the PUMP seal"});
  EXPECT_EQ(search("50%"), Titles{"50% done"});
  EXPECT_EQ(search("%"), Titles{"50% done"});
  EXPECT_EQ(search("a_b"), Titles{"a_b valve"});
  EXPECT_EQ(search("_"), Titles{"a_b valve"});
  EXPECT_EQ(search("l'huile"), Titles{"l'huile moteur"});
  EXPECT_EQ(search("'"), (Titles{"l'huile moteur", "Robert'); DROP TABLE tasks; --"}));
  EXPECT_EQ(search("\"; DROP TABLE tasks; --"), Titles{"\"; DROP TABLE tasks; --"});
  EXPECT_EQ(search("'); DROP TABLE tasks; --"), Titles{"Robert'); DROP TABLE tasks; --"});
  EXPECT_EQ(search("C:\\temp"), Titles{"C:\\temp\\log"});
  EXPECT_EQ(search("\\"), Titles{"C:\\temp\\log"});
  EXPECT_EQ(search("état"), Titles{"État des freins"});
  EXPECT_EQ(search("ÖLWECHSEL"), Titles{"Ölwechsel Kompressor"});
  EXPECT_EQ(search("ポンプ"), Titles{"ポンプ点検"});
  EXPECT_EQ(search("nothing like this"), Titles{});
  TaskQuery all;
  EXPECT_EQ(titles(all).size(), 13u) << "the tasks table is still there";
}

// Every sort, several page sizes, many ties: walking the pages returns each
// row exactly once, in the documented order.
TEST_P(TaskList, KeysetPaginationVisitsEveryRowOnceInOrder) {
  std::vector<Task> tasks;
  for (int i = 0; i < 23; ++i) {
    tasks.push_back(add("t" + std::to_string(i), [&](Task& t) {
      t.priority = i % 4;
      if (i % 3 != 0) t.schedule_start = at(100 * (i % 4));  // ties and unscheduled tasks
      t.updated_at = at(10 * (i % 5));
      t.assignee_id = (i % 2) ? std::optional(alice.id) : std::nullopt;
      t.team_id = (i % 5 < 2) ? std::optional(team_a.id) : std::optional(team_b.id);  // some in both scopes
      if (i == 7) t.stage_id = done.id;
      if (i == 8) t.archived = true;
    }));
  }
  const auto sched = [](const Task& t) { return t.schedule_start ? to_unix(*t.schedule_start) : INT64_MAX; };
  enum class Mode { all, alice, scope };
  const auto expected = [&](TaskSort sort, Mode mode) {
    std::vector<Task> v;
    for (const Task& t : tasks) {
      if (t.stage_id == done.id || t.archived) continue;
      if (mode == Mode::alice && !t.assignee_id) continue;
      if (mode == Mode::scope && !t.assignee_id && t.team_id != team_a.id) continue;
      v.push_back(t);
    }
    std::sort(v.begin(), v.end(), [&](const Task& a, const Task& b) {
      switch (sort) {
        case TaskSort::newest: return a.id > b.id;
        case TaskSort::schedule: return std::tuple(sched(a), a.id) < std::tuple(sched(b), b.id);
        case TaskSort::priority:
          return std::tuple(-a.priority, sched(a), a.id) < std::tuple(-b.priority, sched(b), b.id);
        case TaskSort::updated: return std::tuple(b.updated_at, b.id) < std::tuple(a.updated_at, a.id);
      }
      return false;
    });
    std::vector<TaskId> out;
    for (const Task& t : v) out.push_back(t.id);
    return out;
  };
  for (TaskSort sort : {TaskSort::newest, TaskSort::schedule, TaskSort::priority, TaskSort::updated}) {
    for (Mode mode : {Mode::all, Mode::alice, Mode::scope}) {
      for (int limit : {1, 3, 7, 50}) {
        TaskQuery q;
        q.sort = sort;
        q.limit = limit;
        if (mode == Mode::alice) q.assignee = alice.id;
        if (mode == Mode::scope) {
          q.scoped = true;
          q.scope_user = alice.id;
          q.scope_team = team_a.id;
        }
        std::vector<TaskId> walked;
        int pages = 0;
        do {
          const TaskPage page = store().read_value([&](Tx& tx) { return tx.tasks().list(q); });
          ASSERT_LE(page.rows.size(), std::size_t(limit));
          ASSERT_TRUE(!page.rows.empty() || pages == 0);
          for (const TaskRow& r : page.rows) walked.push_back(r.task.id);
          q.cursor = page.next_cursor;
          ASSERT_LT(++pages, 100);
        } while (!q.cursor.empty());
        EXPECT_EQ(walked, expected(sort, mode)) << "sort " << int(sort) << " limit " << limit << " mode " << int(mode);
      }
    }
  }
}

TEST_P(TaskList, ALastFullPageHasNoCursor) {
  for (int i = 0; i < 4; ++i) add("t" + std::to_string(i));
  TaskQuery q;
  q.limit = 4;
  EXPECT_TRUE(store().read_value([&](Tx& tx) { return tx.tasks().list(q); }).next_cursor.empty());
  q.limit = 2;
  const TaskPage first = store().read_value([&](Tx& tx) { return tx.tasks().list(q); });
  ASSERT_FALSE(first.next_cursor.empty());
  q.cursor = first.next_cursor;
  const TaskPage second = store().read_value([&](Tx& tx) { return tx.tasks().list(q); });
  EXPECT_EQ(second.rows.size(), 2u);
  EXPECT_TRUE(second.next_cursor.empty());
}

TEST_P(TaskList, TamperedCursorsAreRejected) {
  for (int i = 0; i < 5; ++i) add("t" + std::to_string(i), [&](Task& t) { t.schedule_start = at(i); });
  TaskQuery q;
  q.limit = 2;
  q.sort = TaskSort::schedule;
  const std::string cursor = store().read_value([&](Tx& tx) { return tx.tasks().list(q); }).next_cursor;
  ASSERT_FALSE(cursor.empty());

  std::vector<std::string> bad{"x", "!!!!", "' OR 1=1 --", std::string(300, 'A'), cursor + "A",
                               cursor.substr(0, cursor.size() - 1), "MS4wLjAuMC4w"};
  for (std::size_t i = 0; i < cursor.size(); ++i) {
    std::string flipped = cursor;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    bad.push_back(flipped);
  }
  for (const std::string& c : bad) {
    q.cursor = c;
    const Error e = expect_error(ErrorCode::invalid_input, [&] { store().read([&](Tx& tx) { tx.tasks().list(q); }); });
    EXPECT_EQ(e.detail(), "cursor is not valid") << c;
  }
  q.cursor = cursor;
  q.sort = TaskSort::newest;  // a cursor belongs to its sort
  expect_error(ErrorCode::invalid_input, [&] { store().read([&](Tx& tx) { tx.tasks().list(q); }); });
}

TEST_P(TaskList, LimitIsChecked) {
  TaskQuery q;
  for (int limit : {0, -1, 501}) {
    q.limit = limit;
    expect_error(ErrorCode::invalid_input, [&] { store().read([&](Tx& tx) { tx.tasks().list(q); }); });
  }
}

}  // namespace
}  // namespace visor::storage::test
