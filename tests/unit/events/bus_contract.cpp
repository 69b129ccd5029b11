// The event-bus contract: the same tests run against the in-process bus
// (events_test) and the PostgreSQL bus (events_pgtest, needs
// VISOR_TEST_PG_URL), which must behave alike for one instance; the
// PostgreSQL suite adds what only several instances can show.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "events/bus.hpp"
#ifdef VISOR_EVENTS_PGTEST
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "storage/event_bus.hpp"
#include "storage/postgres/event_bus.hpp"
#include "storage/postgres/pg.hpp"
#endif

using namespace visor;
using namespace visor::events;

namespace {

const Actor kTech{UserId{10}, Role::technician, TeamId{1}};
const Actor kManager{UserId{20}, Role::manager, std::nullopt};
const Audience kAll{{}, {}, false, false, true};

#ifdef VISOR_EVENTS_PGTEST
// A schema of its own on the test cluster (dropped at the end), migrated;
// each make() is another instance on it.
class Backend {
 public:
  Backend() {
    const char* base = std::getenv("VISOR_TEST_PG_URL");
    base_ = base ? base : "";
    if (base_.empty()) return;
    std::random_device rd;
    schema_ = "visor_events_" + std::to_string(::getpid()) + "_" + std::to_string(rd() % 1000000);
    storage::postgres::Connection(base_).exec("CREATE SCHEMA " + schema_);
    url_ = base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    store_ = storage::open_store(url_);
  }
  ~Backend() {
    if (base_.empty()) return;
    store_.reset();
    try {
      storage::postgres::Connection(base_).exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (...) {
    }
  }
  bool ready() const { return !base_.empty(); }
  std::unique_ptr<EventBus> make(std::size_t history = 4096,
                                 std::chrono::milliseconds poll = std::chrono::milliseconds(1000)) {
    storage::EventBusOptions o;
    o.history = history;
    o.poll = poll;
    return storage::open_event_bus(*store_, url_, o);
  }
  const std::string& url() const { return url_; }

 private:
  std::string base_, schema_, url_;
  std::unique_ptr<storage::Store> store_;
};
#else
class Backend {
 public:
  bool ready() const { return true; }
  std::unique_ptr<EventBus> make(std::size_t history = 4096) { return make_local_bus(history); }
};
#endif

class BusContract : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!backend.ready()) {
      if (std::getenv("VISOR_SKIP_PG")) GTEST_SKIP() << "VISOR_SKIP_PG is set";
      FAIL() << "VISOR_TEST_PG_URL is not set: eval \"$(scripts/lib/pg-cluster.sh start)\"";
    }
  }
  Backend backend;
};

// Collects what a subscription delivers, woken as a stream is.
class Reader {
 public:
  Reader(EventBus& bus, const Actor& actor, std::uint64_t last_event_id = 0)
      : sub_(bus.subscribe(actor, last_event_id, [this] {
          const std::lock_guard l(m_);
          ++wakes_;
          cv_.notify_all();
        })) {}
  /// Drains until `n` events arrived in all or the deadline passed.
  std::vector<Event> wait_for(std::size_t n, std::chrono::milliseconds within = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
      Subscription::Batch b = sub_->drain();
      gap_ = gap_ || b.gap;
      for (Event& e : b.events) got_.push_back(std::move(e));
      if (got_.size() >= n) return got_;
      std::unique_lock l(m_);
      if (!cv_.wait_until(l, deadline, [&] { return wakes_ != seen_wakes_; })) return got_;
      seen_wakes_ = wakes_;
    }
  }
  bool gap() const { return gap_; }
  int wakes() {
    const std::lock_guard l(m_);
    return wakes_;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  int wakes_ = 0, seen_wakes_ = 0;
  std::vector<Event> got_;
  bool gap_ = false;
  std::unique_ptr<Subscription> sub_;
};

TEST_F(BusContract, DeliversOnlyVisibleEventsInOrderAndWakes) {
  auto bus = backend.make();
  std::atomic<int> wakes{0};
  auto sub = bus->subscribe(kTech, 0, [&] { ++wakes; });
  bus->publish("task.changed", R"({"id":1})", Audience{{UserId{10}}, {}, false, false, false});
  bus->publish("task.changed", R"({"id":2})", Audience{{UserId{11}}, {}, false, false, false});
  bus->publish("task.created", R"({"id":3})", Audience{{}, TeamId{1}, false, false, false});
  bus->publish("sync.alert", "{}", Audience{{}, {}, false, true, false});
  bus->publish("user.created", "{}", Audience{{UserId{10}}, {}, true, false, false});
  // publish returns with its subscribers woken, and only those who may see
  // the event: with many streams open, waking all cost more than the sends.
  EXPECT_EQ(wakes.load(), 2);
  const auto batch = sub->drain();
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].data, R"({"id":1})");
  EXPECT_EQ(batch.events[0].audience.users, std::vector<UserId>{UserId{10}});
  EXPECT_EQ(batch.events[1].type, "task.created");
  EXPECT_EQ(batch.events[1].audience.team, TeamId{1});
  EXPECT_LT(batch.events[0].id, batch.events[1].id);
  EXPECT_FALSE(batch.gap);
  EXPECT_TRUE(sub->drain().events.empty());
}

TEST_F(BusContract, EventsASubscriberMayNotSeeNeverAgeItOutOfTheHistory) {
  // Not woken for them, an up-to-date subscriber still moves past them: a
  // busy plant's other teams must not make a quiet HUD resync.
  auto bus = backend.make(16);
  std::atomic<int> wakes{0};
  auto sub = bus->subscribe(kTech, 0, [&] { ++wakes; });
  const Audience elsewhere{{UserId{99}}, TeamId{7}, false, false, false};
  for (int i = 0; i < 40; ++i) bus->publish("task.changed", "x", elsewhere);
  EXPECT_EQ(wakes.load(), 0);
  bus->publish("task.changed", "mine", Audience{{kTech.user}, {}, false, false, false});
  EXPECT_EQ(wakes.load(), 1);
  const auto batch = sub->drain();
  EXPECT_FALSE(batch.gap);
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(batch.events[0].data, "mine");
}

TEST_F(BusContract, ResumesFromLastEventIdAndReportsGaps) {
  auto bus = backend.make(16);
  std::uint64_t third = 0;
  for (int i = 1; i <= 5; ++i) {
    const auto id = bus->publish("e", std::to_string(i), kAll);
    if (i == 3) third = id;
  }
  EXPECT_EQ(bus->last_id(), third + 2);
  auto resumed = bus->subscribe(kTech, third, [] {});
  const auto batch = resumed->drain();
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].data, "4");
  EXPECT_EQ(batch.events[1].data, "5");
  EXPECT_FALSE(batch.gap);

  for (int i = 0; i < 40; ++i) bus->publish("e", "x", kAll);
  auto late = bus->subscribe(kTech, third, [] {});
  const auto lost = late->drain();
  EXPECT_TRUE(lost.gap);
  EXPECT_EQ(lost.events.size(), 16u);
  EXPECT_EQ(lost.events.back().id, bus->last_id());
}

TEST_F(BusContract, UnsubscribesOnDestructionAndSurvivesConcurrency) {
  auto bus = backend.make();
  {
    auto s = bus->subscribe(kTech, 0, [] {});
    EXPECT_EQ(bus->subscribers(), 1u);
  }
  EXPECT_EQ(bus->subscribers(), 0u);

  const std::uint64_t before = bus->last_id();
  Reader all(*bus, kManager);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) bus->publish("e", std::to_string(t * 100 + i), kAll);
    });
  }
  for (auto& t : threads) t.join();
  const auto got = all.wait_for(200);
  ASSERT_EQ(got.size(), 200u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].id, before + i + 1);  // no gap, no repeat
  EXPECT_EQ(bus->last_id(), before + 200);
  EXPECT_FALSE(all.gap());
}

#ifdef VISOR_EVENTS_PGTEST

// Two instances publishing at once: each sees all events of both, with the
// same ids in the same order; a client moving from one to the other with
// Last-Event-ID misses nothing and sees nothing twice.
TEST_F(BusContract, InstancesShareOneOrderAndResumeAcrossEachOther) {
  auto a = backend.make();
  auto b = backend.make();
  Reader on_a(*a, kManager), on_b(*b, kManager);
  Reader tech_on_b(*b, kTech);
  std::thread ta([&] {
    for (int i = 0; i < 60; ++i) a->publish("a", std::to_string(i), kAll);
  });
  std::thread tb([&] {
    for (int i = 0; i < 60; ++i)
      b->publish("b", std::to_string(i), Audience{{}, TeamId{i % 2 == 0 ? 1 : 2}, false, false, false});
  });
  ta.join();
  tb.join();
  const auto seen_a = on_a.wait_for(120), seen_b = on_b.wait_for(120);
  ASSERT_EQ(seen_a.size(), 120u);
  ASSERT_EQ(seen_b.size(), 120u);
  for (std::size_t i = 0; i < 120; ++i) {
    EXPECT_EQ(seen_a[i].id, seen_b[i].id);
    EXPECT_EQ(seen_a[i].type + seen_a[i].data, seen_b[i].type + seen_b[i].data);
    if (i > 0) {
      EXPECT_EQ(seen_a[i].id, seen_a[i - 1].id + 1);
    }
  }
  // The audience travels with the event: the technician of team 1 gets the
  // 60 "a" events and the 30 team-1 "b" events, on the other instance too.
  const auto tech = tech_on_b.wait_for(90);
  EXPECT_EQ(tech.size(), 90u);

  // Resume on the other instance from the middle.
  const std::uint64_t middle = seen_a[49].id;
  auto moved = b->subscribe(kManager, middle, [] {});
  const auto rest = moved->drain();
  ASSERT_EQ(rest.events.size(), 70u);
  EXPECT_EQ(rest.events.front().id, middle + 1);
  EXPECT_EQ(rest.events.back().id, seen_a.back().id);
  EXPECT_FALSE(rest.gap);
}

// Another instance's event arrives by NOTIFY: with the fallback read an
// hour away, nothing else could bring it.
TEST_F(BusContract, AnotherInstanceIsWokenByItsNotification) {
  auto a = backend.make();
  auto b = backend.make(4096, std::chrono::hours(1));
  Reader on_b(*b, kManager);
  // The first can only come through b's listening connection (its history
  // was read before): once it is there, b is listening.
  a->publish("a", "0", kAll);
  ASSERT_EQ(on_b.wait_for(1).size(), 1u);
  for (int i = 1; i <= 3; ++i) a->publish("a", std::to_string(i), kAll);
  const auto got = on_b.wait_for(4);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[3].data, "3");
}

// An instance started later holds the recent history (a client reconnecting
// to it resumes), and ids go on from the table, not from zero.
TEST_F(BusContract, ALaterInstanceResumesFromTheSharedHistory) {
  auto first = backend.make();
  for (int i = 1; i <= 10; ++i) first->publish("e", std::to_string(i), kAll);
  const std::uint64_t last = first->last_id();
  auto later = backend.make();
  EXPECT_EQ(later->last_id(), last);
  auto resumed = later->subscribe(kTech, last - 3, [] {});
  const auto batch = resumed->drain();
  ASSERT_EQ(batch.events.size(), 3u);
  EXPECT_EQ(batch.events[0].data, "8");
  EXPECT_EQ(later->publish("e", "11", kAll), last + 1);
}

// The table keeps a bounded history; a client further behind gets a gap.
TEST_F(BusContract, PrunesTheTableToTheHistory) {
  auto bus = backend.make(16);
  for (int i = 0; i < 50; ++i) bus->publish("e", "x", kAll);
  dynamic_cast<storage::postgres::PgEventBus&>(*bus).prune();
  storage::postgres::Connection c(backend.url());
  EXPECT_EQ(c.exec("SELECT count(*) FROM events").value(0, 0), "16");
  auto fresh = backend.make(16);
  auto behind = fresh->subscribe(kTech, 3, [] {});
  const auto batch = behind->drain();
  EXPECT_TRUE(batch.gap);
  EXPECT_EQ(batch.events.size(), 16u);
}

#endif

}  // namespace
