// Scoped invalidation (decision 0018): after every kind of write, each view
// that may show the change shows it at once, each view that may not stays
// as it was — still validated by its ETag, still served from the cache —
// and no technician's view ever holds a task they may not see.
//
// Views: alice's and chen's (team Mechanical) and bruno's (Electrical) own
// lists and team lists, the manager's board and bruno's lane, task cards as
// each of them sees them, and the dashboard's report.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <functional>
#include <map>
#include <set>

#include "server.hpp"

namespace visor::apitest {
namespace {
namespace json = boost::json;

std::string task_path(TaskId id, std::string_view rest = "") {
  return "/api/v1/tasks/" + std::to_string(id.value) + std::string(rest);
}
Req with(std::string name, std::string value) { return Req{{{std::move(name), std::move(value)}}}; }

const std::string kKpis = "/api/v1/reports/kpis?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z&parts=now";

struct View {
  Who who;
  std::string path;
  bool list = false;
};

// The value of one sample of /metrics, e.g. visor_body_cache_total{cache="kpis",result="hit"}.
double metric(TestServer& s, std::string_view sample) {
  const Reply r = s.raw_call("GET", "/metrics", {});
  const auto at = r.body.find(std::string(sample) + " ");
  if (at == std::string::npos) return 0;
  return std::stod(r.body.substr(at + sample.size() + 1));
}

class Observer {
 public:
  explicit Observer(TestServer& s) : s_(s) {}

  void add(std::string name, View v) { views_.emplace(std::move(name), std::move(v)); }

  /// Reads every view, runs `write`, reads every view again. Views named in
  /// `changed` must show something new (a different body, or a different
  /// status); the others must be confirmed unchanged by their ETag (304).
  /// Views in `any` are only checked for visibility. The report must be
  /// recomputed iff `report_changes`.
  void expect(const std::string& what, const std::function<void()>& write, std::set<std::string> changed,
              bool report_changes, std::set<std::string> any = {}) {
    SCOPED_TRACE(what);
    std::map<std::string, Reply> before;
    for (const auto& [name, v] : views_) before[name] = read(name, v, {});
    const double misses = metric(s_, R"(visor_body_cache_total{cache="kpis",result="miss"})");
    s_.call(Who::manager, "GET", kKpis);  // cached now, if it was not
    const double misses_cached = metric(s_, R"(visor_body_cache_total{cache="kpis",result="miss"})");
    ASSERT_GE(misses_cached, misses);

    write();

    for (const auto& [name, v] : views_) {
      SCOPED_TRACE(name);
      const Reply& old = before[name];
      const auto etag = old.header("ETag");
      const Reply now = read(name, v, etag ? with("If-None-Match", *etag) : Req{});
      if (any.contains(name)) continue;
      if (changed.contains(name)) {
        EXPECT_TRUE(now.status != old.status || (now.status == 200 && now.body != old.body))
            << "the change is not visible: " << now.describe();
        // Seen at once also without a validator (a fresh client, a cached body).
        const Reply fresh = read(name, v, {});
        if (now.status == 200) EXPECT_EQ(fresh.body, now.body);
      } else if (old.status == 200 && etag) {
        EXPECT_EQ(now.status, 304) << "changed for someone the change is not about: " << now.describe();
      } else {
        EXPECT_EQ(now.status, old.status);
        EXPECT_EQ(now.status == 200 ? now.body : now.detail(), old.status == 200 ? old.body : old.detail());
      }
    }
    const double hits = metric(s_, R"(visor_body_cache_total{cache="kpis",result="hit"})");
    const double misses_before = metric(s_, R"(visor_body_cache_total{cache="kpis",result="miss"})");
    const Reply report = s_.call(Who::manager, "GET", kKpis);
    ASSERT_EQ(report.status, 200) << report.describe();
    if (report_changes) {
      EXPECT_EQ(metric(s_, R"(visor_body_cache_total{cache="kpis",result="miss"})"), misses_before + 1)
          << "the report was served from a copy older than the change";
    } else {
      EXPECT_EQ(metric(s_, R"(visor_body_cache_total{cache="kpis",result="hit"})"), hits + 1)
          << "the report was computed again for a change it does not show";
    }
  }

 private:
  Reply read(const std::string& name, const View& v, const Req& opts) {
    Reply r = s_.call(v.who, "GET", v.path, "", opts);
    if (v.list && r.status == 200) check_visible(name, v.who, r);
    return r;
  }

  // Nobody else: a technician's list never holds a task that is neither
  // theirs nor their team's, whatever was cached before.
  void check_visible(const std::string& name, Who who, const Reply& r) {
    if (who == Who::manager) return;
    const Identity& me = s_.identity(who);
    const json::value body = r.json();
    for (const auto& item : body.at("items").as_array()) {
      const json::object& t = item.as_object();
      const bool mine = !t.at("assignee").is_null() && t.at("assignee").at("id").as_int64() == me.user.value;
      const bool team = !t.at("team_id").is_null() && me.team && t.at("team_id").as_int64() == me.team->value;
      EXPECT_TRUE(mine || team) << name << " shows task " << t.at("id").as_int64() << ", which " << to_string(who)
                                << " may not see";
    }
  }

  TestServer& s_;
  std::map<std::string, View> views_;
};

TEST(ScopedInvalidation, EveryWriteIsSeenAtOnceByExactlyThoseWhoMaySeeIt) {
  TestServer& s = TestServer::get();
  const UserId alice = s.identity(Who::technician).user;
  const UserId bruno = s.identity(Who::other_technician).user;
  const UserId chen = s.identity(Who::team_mate).user;
  const TaskId a = s.create_task(alice, s.mechanical(), true, "Alice's pump");
  const TaskId b = s.create_task(bruno, s.electrical(), true, "Bruno's panel");
  const TaskId c = s.create_task(chen, s.mechanical(), false, "Chen's belt");

  Observer o(s);
  // Done tasks included, so that a completed task stays in view.
  const std::string mine = "/api/v1/tasks?assignee=me&include_done=true&limit=500";
  const std::string scope = "/api/v1/tasks?include_done=true&limit=500";
  o.add("alice.mine", {Who::technician, mine, true});
  o.add("alice.team", {Who::technician, scope, true});
  o.add("chen.mine", {Who::team_mate, mine, true});
  o.add("chen.team", {Who::team_mate, scope, true});
  o.add("bruno.mine", {Who::other_technician, mine, true});
  o.add("bruno.team", {Who::other_technician, scope, true});
  o.add("manager.board", {Who::manager, "/api/v1/tasks?sort=updated&include_done=true&limit=500", true});
  o.add("manager.bruno",
        {Who::manager, "/api/v1/tasks?include_done=true&limit=500&assignee=" + std::to_string(bruno.value), true});
  o.add("A.alice", {Who::technician, task_path(a)});
  o.add("A.chen", {Who::team_mate, task_path(a)});
  o.add("A.bruno", {Who::other_technician, task_path(a)});
  o.add("A.manager", {Who::manager, task_path(a)});
  o.add("B.bruno", {Who::other_technician, task_path(b)});
  o.add("B.alice", {Who::technician, task_path(b)});
  o.add("B.manager", {Who::manager, task_path(b)});
  o.add("C.chen", {Who::team_mate, task_path(c)});
  o.add("C.manager", {Who::manager, task_path(c)});
  const std::set<std::string> a_views{"alice.mine", "alice.team", "chen.team", "manager.board",
                                      "A.alice",    "A.chen",     "A.manager"};
  const std::set<std::string> b_views{"bruno.mine", "bruno.team", "manager.board", "manager.bruno",
                                      "B.bruno",    "B.manager"};
  const auto post = [&](Who who, const std::string& path, const std::string& body, int status) {
    const Reply r = s.call(who, "POST", path, body);
    ASSERT_EQ(r.status, status) << r.describe();
  };
  const auto patch = [&](TaskId id, const std::string& body) {
    const Reply r = s.call(Who::manager, "PATCH", task_path(id), body);
    ASSERT_EQ(r.status, 200) << r.describe();
  };

  // A note shows on its task's card only: no list, no report.
  o.expect("a note on Bruno's task", [&] { post(Who::other_technician, task_path(b, "/notes"), R"({"text":"fuse ok"})", 201); },
           {"B.bruno", "B.manager"}, false);
  o.expect("a replayed note", [&] {
    post(Who::other_technician, task_path(b, "/notes"), R"({"text":"once","client_action_id":"n-1"})", 201);
  }, {"B.bruno", "B.manager"}, false);
  o.expect("the same note again (replay)", [&] {
    post(Who::other_technician, task_path(b, "/notes"), R"({"text":"once","client_action_id":"n-1"})", 201);
  }, {}, false);
  // A step shows in the lists that hold the task (step counts) and its card.
  o.expect("a step on Alice's task", [&] { post(Who::technician, task_path(a, "/steps/1"), R"({"done":true})", 200); },
           a_views, false);
  o.expect("Alice starts", [&] { post(Who::technician, task_path(a, "/start"), "", 200); }, a_views, true);
  o.expect("Alice pauses", [&] { post(Who::technician, task_path(a, "/pause"), "", 200); }, a_views, true);
  o.expect("a photo on Bruno's step", [&] {
    const Reply r = s.call(Who::other_technician, "POST", task_path(b, "/photos?step=1"), tiny_png(),
                           Req{{}, true, "image/png"});
    ASSERT_EQ(r.status, 201) << r.describe();
  }, {"B.bruno", "B.manager"}, false);
  o.expect("Bruno completes", [&] { post(Who::other_technician, task_path(b, "/complete"), "", 200); }, b_views, true);

  // Assignments move a task out of one technician's list into another's;
  // the team still sees it (with its new assignee).
  o.expect("A is given to Bruno", [&] { patch(a, R"({"assignee_id":)" + std::to_string(bruno.value) + "}"); },
           {"alice.mine", "alice.team", "chen.team", "bruno.mine", "bruno.team", "manager.board", "manager.bruno",
            "A.alice", "A.chen", "A.bruno", "A.manager"},
           true);
  // Team changes: A leaves Mechanical (alice and chen no longer see it at
  // all) for Electrical.
  o.expect("A moves to Electrical", [&] { patch(a, R"({"team_id":)" + std::to_string(s.electrical().value) + "}"); },
           {"alice.team", "chen.team", "bruno.mine", "bruno.team", "manager.board", "manager.bruno", "A.alice",
            "A.chen", "A.bruno", "A.manager"},
           true);
  // Deletions.
  o.expect("C is deleted", [&] {
    const Reply r = s.call(Who::manager, "DELETE", task_path(c));
    ASSERT_EQ(r.status, 204) << r.describe();
  }, {"chen.mine", "chen.team", "alice.team", "manager.board", "C.chen", "C.manager"}, true);
  // Creation.
  o.expect("a task for Bruno", [&] { s.create_task(bruno, s.electrical(), false, "Bruno's new one"); },
           {"bruno.mine", "bruno.team", "manager.board", "manager.bruno"}, true);
  o.expect("an unassigned Mechanical task", [&] { s.create_task(std::nullopt, s.mechanical(), false, "Anyone's"); },
           {"alice.team", "chen.team", "manager.board"}, true);
  // A sync pull writes through the same repositories: a task renamed in Odoo.
  o.expect("a pull renames B", [&] {
    s.store().write([&](storage::Tx& tx) {
      Task t = *tx.tasks().get(b);
      t.title = "Bruno's panel (from Odoo)";
      tx.tasks().update(t, t.version);
    });
  }, b_views, true);
  o.expect("a pull adds a task for Chen", [&] {
    s.store().write([&](storage::Tx& tx) {
      Task t;
      t.odoo_id = OdooId{987654};
      t.title = "Pulled for Chen";
      t.assignee_id = chen;
      t.team_id = s.mechanical();
      t.stage_id = tx.catalog().stages().front().id;
      t.created_at = t.updated_at = s.clock().now();
      tx.tasks().insert(t);
    });
  }, {"chen.mine", "chen.team", "alice.team", "manager.board"}, true);
  // Names show everywhere: a rename changes every view that shows it.
  o.expect("Bruno is renamed", [&] {
    const Reply r = s.call(Who::admin, "PATCH", "/api/v1/users/" + std::to_string(bruno.value), R"({"name":"Bruno L."})");
    ASSERT_EQ(r.status, 200) << r.describe();
  }, {"bruno.mine", "bruno.team", "manager.board", "manager.bruno", "A.bruno", "A.manager", "B.bruno", "B.manager"},
           true, {"alice.mine", "alice.team", "chen.mine", "chen.team", "A.alice", "A.chen", "B.alice", "C.chen",
                  "C.manager"});
}

TEST(ScopedInvalidation, ANoteOnBrunosTaskLeavesAlicesListCached) {
  TestServer& s = TestServer::get();
  const TaskId b = s.create_task(s.identity(Who::other_technician).user, s.electrical(), false, "Bruno's");
  const std::string mine = "/api/v1/tasks?assignee=me&limit=50";
  const Reply first = s.call(Who::technician, "GET", mine);
  ASSERT_EQ(first.status, 200);
  const double hits = metric(s, R"(visor_body_cache_total{cache="tasks",result="hit"})");
  ASSERT_EQ(s.call(Who::other_technician, "POST", task_path(b, "/notes"), R"({"text":"noted"})").status, 201);
  ASSERT_EQ(s.call(Who::other_technician, "POST", task_path(b, "/start"), "").status, 200);
  const Reply again = s.call(Who::technician, "GET", mine);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(metric(s, R"(visor_body_cache_total{cache="tasks",result="hit"})"), hits + 1)
      << "Alice's list was rendered again after writes on Bruno's task";
}

}  // namespace
}  // namespace visor::apitest
