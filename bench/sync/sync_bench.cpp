// Sync benchmark, per Odoo dialect.
//
//   sync_bench [REQUESTS=100000] [MACHINES=5000] [POLLS=200] [VERSIONS=19]
//
// VERSIONS is a comma-separated list of Odoo versions (16,17,18,19): each
// runs the steps below against a stand-in of that version, with the protocol
// Visor picks for it (XML-RPC up to 18, JSON-2 from 19).
// 1. Starts the stand-in Odoo with --seed bulk:REQUESTS:MACHINES (loopback,
//    no injected latency) and imports everything into a fresh store
//    (SQLite in a temp dir, or VISOR_BENCH_SYNC_URL) with the real engine.
//    Reports wall time, the time spent waiting on the double (HTTP round
//    trips, measured around each call), Visor's share (wall − waiting), the
//    records/s on Visor's side, and the CPU time of this process (getrusage:
//    the double runs in another process and is not counted).
// 2. Runs POLLS empty incremental polls (a full engine cycle: outbox check,
//    lease, six models pulled, outcomes recorded, gauges) and reports the CPU
//    time per poll, again from getrusage, plus the wall time per poll.
// In between, one reconcile (ids of every model compared with the store).
#include <sodium.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "auth/secret_box.hpp"
#include "connectors/odoo/connector.hpp"
#include "events/bus.hpp"
#include "odoo_double.hpp"
#include "storage/store.hpp"
#include "sync/connector_settings.hpp"
#include "sync/engine.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int run(int version, long requests, long machines, int polls) {
  using namespace visor;
  char tmpl[] = "/tmp/visor-sync-bench-XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  const std::filesystem::path dir = tmpl;
  const char* url_env = std::getenv("VISOR_BENCH_SYNC_URL");
  const std::string url = url_env ? url_env : "sqlite://" + (dir / "visor.db").string();

  std::printf("== Odoo %d: starting the double with bulk:%ld:%ld …\n", version, requests, machines);
  testing::OdooDouble odoo(testing::OdooDouble::Options{
      .seed = "bulk:" + std::to_string(requests) + ":" + std::to_string(machines), .version = version});
  auto store = storage::open_store(url);
  auto bus = events::make_local_bus();
  SystemClock clock;
  metrics::Registry registry;
  const auto box = auth::SecretBox::open_or_create(sync::secret_key_file(dir));
  odoo::PullOptions pull;
  pull.settle = std::chrono::seconds(0);  // measure the settled steady state
  const auto driver = odoo::make_driver(*store, *bus, clock, registry, pull);
  sync::EngineOptions o;
  o.instance_id = "bench";
  sync::Engine engine(*store, *bus, clock, registry, box, *driver, o);
  sync::ConnectorUpdate u;
  u.url = odoo.url();
  u.database = "odoo";
  u.login = "admin";
  u.protocol = "auto";
  u.secret = Secret(odoo.options().api_key);
  store->write([&](storage::Tx& tx) { sync::save_connector(tx, u, box, *driver); });

  // 1. Initial import.
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  const sync::CycleReport r = engine.run_once(false);
  const double wall = since(t0);
  const double cpu = cpu_seconds() - cpu0;
  if (!r.ok()) {
    std::fprintf(stderr, "import failed: %s\n", r.errors.empty() ? "?" : r.errors.front().c_str());
    return 1;
  }
  const std::string server(engine.status().at("server").as_string());
  std::int64_t records = 0, calls = 0;
  double waiting = 0;
  for (const auto& p : r.pulls) {
    records += p.fetched;
    calls += p.calls;
    waiting += std::chrono::duration<double>(p.remote_time).count();
    std::printf("  %-32s %7lld records  %4lld calls  %7.2f s waiting on Odoo\n", p.model.c_str(),
                static_cast<long long>(p.fetched), static_cast<long long>(p.calls),
                std::chrono::duration<double>(p.remote_time).count());
  }
  const double visor = wall - waiting;
  std::printf("%s import (%s): %lld records in %.2f s wall; waiting on the double %.2f s; Visor %.2f s → %.0f "
              "records/s on Visor's side (%.0f records/s end to end); Visor process CPU %.2f s (%.0f records per "
              "CPU-second)\n",
              server.c_str(), store->backend().data(), static_cast<long long>(records), wall, waiting, visor,
              records / visor, records / wall, cpu, records / cpu);

  // A reconcile over everything (what each start, every 10 minutes and
  // "sync now" do).
  {
    const double c0 = cpu_seconds();
    const auto r0 = std::chrono::steady_clock::now();
    const sync::CycleReport rr = engine.run_once(true);
    double rwait = 0;
    for (const auto& p : rr.reconciles) rwait += std::chrono::duration<double>(p.remote_time).count();
    std::printf("%s reconcile of all models: %.2f s wall (%.2f s waiting on the double), Visor process CPU %.2f s\n",
                server.c_str(), since(r0), rwait, cpu_seconds() - c0);
  }

  // 2. Empty incremental polls.
  engine.run_once(false);  // settle
  const double pcpu0 = cpu_seconds();
  const auto p0 = std::chrono::steady_clock::now();
  for (int i = 0; i < polls; ++i) {
    const sync::CycleReport e = engine.run_once(false);
    for (const auto& p : e.pulls)
      if (p.fetched != 0) std::fprintf(stderr, "poll %d fetched %lld %s\n", i, (long long)p.fetched, p.model.c_str());
  }
  const double pwall = since(p0) / polls;
  const double pcpu = (cpu_seconds() - pcpu0) / polls;
  std::printf("%s empty incremental poll (%d polls, 6 models): %.3f ms CPU in Visor per poll, %.2f ms wall per "
              "poll\n",
              server.c_str(), polls, pcpu * 1e3, pwall * 1e3);
  engine.stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace visor;
  if (sodium_init() < 0) return 1;
  log::set_level(log::Level::warn);
  const long requests = argc > 1 ? std::atol(argv[1]) : 100000;
  const long machines = argc > 2 ? std::atol(argv[2]) : 5000;
  const int polls = argc > 3 ? std::atoi(argv[3]) : 200;
  std::string versions = argc > 4 ? argv[4] : "19";
  int status = 0;
  while (!versions.empty()) {
    const auto comma = versions.find(',');
    status |= run(std::atoi(versions.substr(0, comma).c_str()), requests, machines, polls);
    versions = comma == std::string::npos ? "" : versions.substr(comma + 1);
  }
  return status;
}
