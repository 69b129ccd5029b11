// kill -9 of a sync process mid-pull and mid-push: after a restart the
// store converges with Odoo, nothing is imported or delivered twice, nothing
// is lost.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include <boost/json/serialize.hpp>

#include "services/tasks.hpp"
#include "sync_fixture.hpp"

extern char** environ;

namespace visor::testing {
namespace {
namespace json = boost::json;

class SyncKill : public SyncTest {
 protected:
  pid_t spawn_driver(const std::string& mode, int page_size) {
    std::vector<std::string> args{VISOR_SYNC_DRIVER, db_->url(), dir_.string(), mode, std::to_string(page_size)};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, VISOR_SYNC_DRIVER, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start sync_driver");
    return pid;
  }

  int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // Waits until `ready()` (polling the double's log), then kill -9.
  void kill_when(pid_t pid, const std::function<bool()>& ready) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!ready()) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) FAIL() << "the driver ended before the kill";
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        wait_exit(pid);
        FAIL() << "the driver never reached the kill point";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, SIGKILL);
    wait_exit(pid);
  }

  std::int64_t local_tasks() {
    return store_->read_value([](storage::Tx& tx) {
      storage::TaskQuery q;
      q.include_done = q.include_archived = true;
      return tx.tasks().count(q);
    });
  }

  static std::size_t count_calls(OdooDouble& odoo, const std::string& query) {
    std::size_t n = 0;
    for (const auto& c : odoo.calls(query)) n += c.at("committed").as_bool() ? 1 : 0;
    return n;
  }
};

TEST_F(SyncKill, KilledMidPullConverges) {
  OdooDouble odoo(OdooDouble::Options{.seed = "bulk:3000:200"});
  connect(odoo);
  odoo.control("POST", "latency", {{"ms", 15}});
  for (int round = 0; round < 3; ++round) {
    const pid_t pid = spawn_driver("loop", 100);
    const std::size_t before = count_calls(odoo, "model=maintenance.request&method=search_read");
    // Somewhere inside the request pages (30 of them).
    kill_when(pid, [&] {
      return count_calls(odoo, "model=maintenance.request&method=search_read") >= before + 3 + 4 * std::size_t(round);
    });
  }
  const std::int64_t partial = local_tasks();
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, 3000);
  odoo.control("POST", "latency", {{"ms", 0}});
  EXPECT_EQ(wait_exit(spawn_driver("once", 100)), 0);
  EXPECT_EQ(local_tasks(), 3000);
  const auto machines = store_->read_value([](storage::Tx& tx) {
    storage::EquipmentQuery q;
    q.include_inactive = true;
    q.limit = 500;
    return tx.equipment().list(q).size();
  });
  EXPECT_EQ(machines, 200u);
  // Converged: the next poll has nothing to fetch.
  const sync::CycleReport r = sync();
  for (const auto& p : r.pulls) EXPECT_EQ(p.created + p.updated + p.removed, 0) << p.model;
}

TEST_F(SyncKill, KilledMidPushDeliversEverythingOnce) {
  OdooDouble odoo;
  connect(odoo);
  sync();
  auto& d = deps();
  const auto tech = technician("demo");
  std::vector<TaskId> tasks;
  for (std::int64_t id : {4, 5, 9, 12, 15, 16}) tasks.push_back(task_by_odoo(id)->id);
  int notes = 0;
  for (int round = 0; round < 4; ++round) {
    for (TaskId t : tasks) {
      services::add_note(d, tech, t, "note " + std::to_string(round) + " on " + std::to_string(t.value), {});
      ++notes;
    }
  }
  const auto eq = store_->read_value([](storage::Tx& tx) { return tx.equipment().get_by_odoo(OdooId(10)); });
  for (int i = 0; i < 3; ++i) services::report_problem(d, tech, {eq->code, "Fault " + std::to_string(i), "", 2, ""});
  odoo.control("POST", "latency", {{"ms", 20}});
  for (int round = 0; round < 4; ++round) {
    const pid_t pid = spawn_driver("loop", 500);
    const std::size_t before = count_calls(odoo, "method=message_post");
    kill_when(pid, [&] { return count_calls(odoo, "method=message_post") >= before + 2; });
  }
  odoo.control("POST", "latency", {{"ms", 0}});
  // Restarted: runs until everything is out.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!outbox(storage::OutboxStatus::pending).empty() && std::chrono::steady_clock::now() < deadline) {
    EXPECT_EQ(wait_exit(spawn_driver("once", 500)), 0);
  }
  EXPECT_TRUE(outbox(storage::OutboxStatus::pending).empty());
  EXPECT_TRUE(outbox(storage::OutboxStatus::failed).empty());
  // Exactly once: every note and every report, no more.
  const auto posts = committed(odoo, "maintenance.request", "message_post");
  EXPECT_EQ(posts.size(), std::size_t(notes));
  std::set<std::string> bodies;
  for (const auto& p : posts) bodies.insert(json::serialize(p.at("params").at("body")));
  EXPECT_EQ(bodies.size(), std::size_t(notes));
  int faults = 0;
  for (const auto& r : odoo.records("maintenance.request"))
    faults += std::string(r.at("name").as_string()).rfind("Fault ", 0) == 0 ? 1 : 0;
  EXPECT_EQ(faults, 3);
  // In order per task: the notes of each task arrived in round order.
  for (TaskId t : tasks) {
    int last = -1;
    for (const auto& p : posts) {
      const std::string body(p.at("params").at("body").as_string());
      const std::string tail = " on " + std::to_string(t.value) + "<";
      if (body.find(tail) == std::string::npos) continue;
      const int round = body[body.find("note ") + 5] - '0';
      EXPECT_GT(round, last) << body;
      last = round;
    }
    EXPECT_EQ(last, 3);
  }
}

}  // namespace
}  // namespace visor::testing
