// Write-to-event latency across instances, and the fan-out's rate, on the
// PostgreSQL bus (decision 0015). Two buses in one process stand for two
// instances: each has its own pool and its own listening connection, so an
// event published on A reaches B exactly as it would another machine
// (INSERT + NOTIFY, B's listener woken, B reads the table) — minus the
// network between the machines.
//
//   build/bench/events/pg_event_latency postgresql://… [EVENTS (default 2000)]
//
// 1. latency: EVENTS events published one at a time (each waits for B), the
//    time from publish() called on A to B's subscriber holding it: p50, p99.
// 2. rate: EVENTS events published as fast as two threads on A can, the
//    time until B's subscriber (a planner: sees all) and 100 technicians'
//    subscribers on B have drained them: events/s.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "storage/event_bus.hpp"
#include "storage/postgres/pg.hpp"
#include "util/log.hpp"

using namespace visor;
using Steady = std::chrono::steady_clock;

namespace {

struct Waiter {
  std::mutex m;
  std::condition_variable cv;
  std::uint64_t wakes = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s postgresql://… [EVENTS]\n", argv[0]);
    return 2;
  }
  log::set_level(log::Level::error);
  const int events = argc > 2 ? std::stoi(argv[2]) : 2000;
  const std::string base = argv[1];
  const std::string schema = "visor_bench_" + std::to_string(::getpid());
  storage::postgres::Connection(base).exec("CREATE SCHEMA " + schema);
  const std::string url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  {
    auto store = storage::open_store(url);
    auto a = storage::open_event_bus(*store, url);
    auto b = storage::open_event_bus(*store, url);
    const Actor planner{UserId{1}, Role::manager, std::nullopt};
    Waiter w;
    auto sub = b->subscribe(planner, 0, [&] {
      std::lock_guard l(w.m);
      ++w.wakes;
      w.cv.notify_all();
    });
    const events::Audience all{{}, {}, false, false, true};

    // 1. Latency, one at a time.
    std::vector<double> ms;
    for (int i = 0; i < events; ++i) {
      const auto t0 = Steady::now();
      const std::uint64_t id = a->publish("bench", "{}", all);
      std::uint64_t got = 0;
      while (got < id) {
        auto batch = sub->drain();
        if (!batch.events.empty()) got = batch.events.back().id;
        if (got >= id) break;
        std::unique_lock l(w.m);
        const auto seen = w.wakes;
        w.cv.wait_for(l, std::chrono::milliseconds(5), [&] { return w.wakes != seen; });
      }
      ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("write->event on another instance, %d events: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", events,
                ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.back());

    // 2. Rate: two publishers on A, 1 planner + 100 technicians on B.
    std::vector<std::unique_ptr<events::Subscription>> techs;
    for (int t = 0; t < 100; ++t) techs.push_back(b->subscribe(Actor{UserId{100 + t}, Role::technician, TeamId{t % 5}}, 0, [] {}));
    const std::uint64_t first = a->last_id() + 1, last = first + std::uint64_t(events) - 1;
    const auto t0 = Steady::now();
    std::vector<std::thread> pubs;
    for (int p = 0; p < 2; ++p)
      pubs.emplace_back([&, p] {
        for (int i = p; i < events; i += 2)
          a->publish("bench", "{\"n\":" + std::to_string(i) + "}", events::Audience{{}, TeamId{i % 5}, false, false, false});
      });
    std::uint64_t got = 0;
    std::size_t delivered = 0;
    while (got < last) {
      auto batch = sub->drain();
      if (!batch.events.empty()) got = batch.events.back().id;
      for (auto& s : techs) delivered += s->drain().events.size();
      std::unique_lock l(w.m);
      const auto seen = w.wakes;
      w.cv.wait_for(l, std::chrono::milliseconds(5), [&] { return w.wakes != seen; });
    }
    for (auto& s : techs) delivered += s->drain().events.size();
    const double secs = std::chrono::duration<double>(Steady::now() - t0).count();
    for (auto& t : pubs) t.join();
    std::printf("fan-out: %d events published on A in %.2f s reached B: %.0f events/s; %zu deliveries to 100 "
                "technicians on B (%.0f/s)\n",
                events, secs, events / secs, delivered, double(delivered) / secs);
  }
  storage::postgres::Connection(base).exec("DROP SCHEMA " + schema + " CASCADE");
  return 0;
}
