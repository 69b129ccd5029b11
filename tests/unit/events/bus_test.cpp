#include "events/bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace visor;
using namespace visor::events;

namespace {
const Actor kTech{UserId{10}, Role::technician, TeamId{1}};
const Actor kOther{UserId{11}, Role::technician, TeamId{2}};
const Actor kManager{UserId{20}, Role::manager, std::nullopt};
const Actor kAdmin{UserId{30}, Role::admin, std::nullopt};
}  // namespace

TEST(Audience, RolesUsersAndTeams) {
  EXPECT_TRUE(visible_to(Audience{{UserId{10}}, {}, false, false, false}, kTech));
  EXPECT_FALSE(visible_to(Audience{{UserId{10}}, {}, false, false, false}, kOther));
  EXPECT_TRUE(visible_to(Audience{{}, TeamId{2}, false, false, false}, kOther));
  EXPECT_TRUE(visible_to(Audience{{}, TeamId{2}, false, false, false}, kManager));
  EXPECT_FALSE(visible_to(Audience{{UserId{10}}, {}, true, false, false}, kTech));
  EXPECT_FALSE(visible_to(Audience{{}, {}, false, true, false}, kManager));
  EXPECT_TRUE(visible_to(Audience{{}, {}, false, true, false}, kAdmin));
  EXPECT_TRUE(visible_to(Audience{{}, {}, false, false, true}, kOther));
}

TEST(LocalBus, DeliversOnlyVisibleEventsInOrderAndWakes) {
  auto bus = make_local_bus();
  std::atomic<int> wakes{0};
  auto sub = bus->subscribe(kTech, 0, [&] { ++wakes; });
  bus->publish("task.changed", R"({"id":1})", Audience{{UserId{10}}, {}, false, false, false});
  bus->publish("task.changed", R"({"id":2})", Audience{{UserId{11}}, {}, false, false, false});
  bus->publish("task.created", R"({"id":3})", Audience{{}, TeamId{1}, false, false, false});
  EXPECT_EQ(wakes.load(), 2) << "only the events the subscriber may see wake it";
  const auto batch = sub->drain();
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].data, R"({"id":1})");
  EXPECT_EQ(batch.events[1].type, "task.created");
  EXPECT_LT(batch.events[0].id, batch.events[1].id);
  EXPECT_FALSE(batch.gap);
  EXPECT_TRUE(sub->drain().events.empty());
}

TEST(LocalBus, EventsASubscriberMayNotSeeNeverAgeItOutOfTheHistory) {
  // Not woken for them, an up-to-date subscriber still moves past them: a
  // busy plant's other teams must not make a quiet HUD resync.
  auto bus = make_local_bus(16);
  int wakes = 0;
  auto sub = bus->subscribe(kTech, 0, [&] { ++wakes; });
  const Audience elsewhere{{UserId{99}}, TeamId{7}, false, false, false};
  for (int i = 0; i < 40; ++i) bus->publish("task.changed", "x", elsewhere);
  EXPECT_EQ(wakes, 0);
  bus->publish("task.changed", "mine", Audience{{kTech.user}, {}, false, false, false});
  EXPECT_EQ(wakes, 1);
  const auto batch = sub->drain();
  EXPECT_FALSE(batch.gap);
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(batch.events[0].data, "mine");
}

TEST(LocalBus, ResumesFromLastEventIdAndReportsGaps) {
  auto bus = make_local_bus(16);
  const Audience all{{}, {}, false, false, true};
  std::uint64_t third = 0;
  for (int i = 1; i <= 5; ++i) {
    const auto id = bus->publish("e", std::to_string(i), all);
    if (i == 3) third = id;
  }
  auto resumed = bus->subscribe(kTech, third, [] {});
  const auto batch = resumed->drain();
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].data, "4");

  for (int i = 0; i < 40; ++i) bus->publish("e", "x", all);
  auto late = bus->subscribe(kTech, third, [] {});
  EXPECT_TRUE(late->drain().gap);
}

TEST(LocalBus, UnsubscribesOnDestructionAndSurvivesConcurrency) {
  auto bus = make_local_bus();
  {
    auto s = bus->subscribe(kTech, 0, [] {});
    EXPECT_EQ(bus->subscribers(), 1u);
  }
  EXPECT_EQ(bus->subscribers(), 0u);

  std::atomic<int> seen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto s = bus->subscribe(kManager, 0, [] {});
      for (int i = 0; i < 200; ++i) {
        bus->publish("e", "x", Audience{{}, {}, false, false, true});
        seen += int(s->drain().events.size());
      }
      seen += int(s->drain().events.size());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(seen.load(), 800);
  EXPECT_EQ(bus->last_id(), 800u);
}
