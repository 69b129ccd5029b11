// The task list is the hottest query (every glasses refresh, every console
// view). This fills a store with 100,000 tasks across 200 technicians and
// times the list shapes the API uses. Prints results; asserts nothing.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>

#include <unistd.h>

#include "storage/store.hpp"

namespace {

using namespace visor;
using namespace visor::storage;

constexpr int kTasks = 100'000;
constexpr int kUsers = 200;
constexpr int kTeams = 10;
constexpr int kEquipment = 2'000;

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  std::vector<UserId> users;
  std::vector<TeamId> teams;

  Fixture() {
    std::string url;
    if (const char* env = std::getenv("VISOR_BENCH_STORE_URL")) {
      url = env;
    } else {
      dir = std::filesystem::temp_directory_path() / ("visor-store-bench-" + std::to_string(::getpid()));
      url = "sqlite://" + (dir / "bench.db").string();
    }
    store = open_store(url);
    fill();
  }
  ~Fixture() {
    store.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }

  void fill() {
    std::mt19937 rng(42);
    const TimePoint t0 = from_unix(1'790'000'000);
    std::vector<StageId> stages;
    std::vector<EquipmentId> equipment;
    store->write([&](Tx& tx) {
      for (int i = 0; i < 5; ++i) {
        Stage s;
        s.name = "Stage " + std::to_string(i);
        s.sequence = i;
        s.done = i == 4;
        tx.catalog().save_stage(s);
        stages.push_back(s.id);
      }
      for (int i = 0; i < kTeams; ++i) {
        Team t;
        t.name = "Team " + std::to_string(i);
        tx.catalog().save_team(t);
        teams.push_back(t.id);
      }
      for (int i = 0; i < kUsers; ++i) {
        User u;
        u.login = "tech" + std::to_string(i);
        u.name = "Technician " + std::to_string(i);
        u.team_id = teams[i % kTeams];
        u.created_at = t0;
        tx.users().insert(u, "");
        users.push_back(u.id);
      }
      for (int i = 0; i < kEquipment; ++i) {
        Equipment e;
        e.name = "Machine " + std::to_string(i);
        e.code = "EQ-" + std::to_string(i);
        e.location = "Hall " + std::to_string(i % 12);
        e.updated_at = t0;
        tx.equipment().insert(e);
        equipment.push_back(e.id);
      }
    });
    for (int batch = 0; batch < kTasks / 5000; ++batch) {
      store->write([&](Tx& tx) {
        for (int i = 0; i < 5000; ++i) {
          Task t;
          t.title = "Inspect machine " + std::to_string(rng() % kEquipment) + " — check pressure and oil";
          t.description = "<p>Routine inspection, see the checklist.</p>";
          t.stage_id = stages[rng() % stages.size()];
          t.assignee_id = users[rng() % users.size()];
          t.team_id = teams[rng() % teams.size()];
          t.equipment_id = equipment[rng() % equipment.size()];
          t.priority = static_cast<int>(rng() % 4);
          if (rng() % 5) t.schedule_start = t0 + std::chrono::hours(rng() % 2000);
          t.created_at = t.updated_at = t0 + std::chrono::seconds(rng() % 1'000'000);
          tx.tasks().insert(t);
          tx.tasks().replace_steps(t.id, {Step{1, "Open the panel"}, Step{2, "Read the gauge"}, Step{3, "Close"}});
        }
      });
    }
  }
};

Fixture& fixture() {
  static Fixture f;  // filled once for all benchmarks of the run
  return f;
}

void run_list(benchmark::State& state, TaskQuery q) {
  Fixture& f = fixture();
  std::size_t rows = 0;
  for (auto _ : state) {
    const TaskPage page = f.store->read_value([&](Tx& tx) { return tx.tasks().list(q); });
    rows = page.rows.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_ListAssignee(benchmark::State& state) {
  TaskQuery q;
  q.assignee = fixture().users[17];
  q.limit = 20;
  run_list(state, q);
}

void BM_ListAssigneeSecondPage(benchmark::State& state) {
  TaskQuery q;
  q.assignee = fixture().users[17];
  q.limit = 20;
  q.cursor = fixture().store->read_value([&](Tx& tx) { return tx.tasks().list(q).next_cursor; });
  run_list(state, q);
}

void BM_ListTechnicianScopeBySchedule(benchmark::State& state) {
  TaskQuery q;
  q.scoped = true;
  q.scope_user = fixture().users[17];
  q.scope_team = fixture().teams[7];
  q.sort = TaskSort::schedule;
  q.limit = 20;
  run_list(state, q);
}

void BM_ListAllByPriority(benchmark::State& state) {
  TaskQuery q;
  q.sort = TaskSort::priority;
  q.limit = 50;
  run_list(state, q);
}

void BM_ListAllNewest(benchmark::State& state) {
  TaskQuery q;
  q.limit = 50;
  run_list(state, q);
}

void BM_ListRecentlyUpdated(benchmark::State& state) {
  TaskQuery q;
  q.sort = TaskSort::updated;
  q.limit = 50;
  run_list(state, q);
}

void BM_ListTextSearch(benchmark::State& state) {
  TaskQuery q;
  q.text = "machine 1234 ";
  q.limit = 20;
  run_list(state, q);
}

void BM_CountAssignee(benchmark::State& state) {
  Fixture& f = fixture();
  TaskQuery q;
  q.assignee = f.users[17];
  for (auto _ : state) benchmark::DoNotOptimize(f.store->read_value([&](Tx& tx) { return tx.tasks().count(q); }));
}

void BM_Revision(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.store->read_value([](Tx& tx) { return tx.tasks().revision(); }));
}

BENCHMARK(BM_ListAssignee)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListAssigneeSecondPage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListTechnicianScopeBySchedule)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListAllNewest)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListAllByPriority)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListRecentlyUpdated)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListTextSearch)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CountAssignee)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Revision)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
