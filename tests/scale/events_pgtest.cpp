// Issue 11, events across instances: two real `visor serve` processes on one
// PostgreSQL database (each with a data folder of its own, as on two
// machines), a stream open on each. Needs VISOR_TEST_PG_URL.
#include <gtest/gtest.h>

#include <unistd.h>

#include <regex>

#include "../api/client.hpp"
#include "plant.hpp"

namespace visor::scaletest {
namespace {

using apitest::EventStream;
using apitest::Headers;
using apitest::request;
using apitest::within;
using namespace std::chrono_literals;

struct Seen {
  std::uint64_t id;
  std::string type, data;
};

// The events of `stream` so far with an id, in the order received.
std::vector<Seen> events_of(const std::string& text) {
  static const std::regex kEvent("id: ([0-9]+)\nevent: ([a-z._]+)\ndata: ([^\n]*)\n\n");
  std::vector<Seen> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kEvent); it != std::sregex_iterator(); ++it)
    out.push_back(Seen{std::stoull((*it)[1]), (*it)[2], (*it)[3]});
  return out;
}

std::vector<Seen> notes_of(const std::string& text) {
  std::vector<Seen> notes;
  for (Seen& s : events_of(text))
    if (s.type == "task.note") notes.push_back(std::move(s));
  return notes;
}

class TwoInstances : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!plant.ready()) {
      if (std::getenv("VISOR_SKIP_PG")) GTEST_SKIP() << "VISOR_SKIP_PG is set";
      FAIL() << "VISOR_TEST_PG_URL is not set: eval \"$(scripts/lib/pg-cluster.sh start)\"";
    }
    ASSERT_NE(plant.tech_task(), 0) << "the demo plant has no task for alice's team";
    first = std::make_unique<Instance>(plant);
    second = std::make_unique<Instance>(plant);
    ASSERT_NE(first->port(), 0) << first->process().errors();
    ASSERT_NE(second->port(), 0) << second->process().errors();
  }

  // Adds a note through `instance` as the manager.
  void note(const Instance& instance, const std::string& text) {
    const auto r = request(instance.port(), "POST", "/api/v1/tasks/" + std::to_string(plant.tech_task()) + "/notes",
                           {{"Authorization", plant.manager_bearer()}, {"Content-Type", "application/json"}},
                           R"({"text":")" + text + R"("})");
    ASSERT_EQ(r.status, 201) << r.describe();
  }

  Headers as(const std::string& bearer, std::uint64_t last_event_id = 0) {
    Headers h{{"Authorization", bearer}, {"Accept", "text/event-stream"}};
    if (last_event_id) h.emplace_back("Last-Event-ID", std::to_string(last_event_id));
    return h;
  }

  Plant plant{"visor_scale_events_" + std::to_string(::getpid())};
  std::unique_ptr<Instance> first, second;
};

TEST_F(TwoInstances, ANoteWrittenThroughOneReachesTheStreamsOfBothInOrder) {
  EventStream on_first(first->port(), "/api/v1/events", as(plant.manager_bearer()));
  EventStream on_second(second->port(), "/api/v1/events", as(plant.manager_bearer()));
  EventStream tech_on_second(second->port(), "/api/v1/events", as(plant.tech_bearer()));
  ASSERT_EQ(on_first.status(), 200);
  ASSERT_EQ(on_second.status(), 200);
  ASSERT_EQ(tech_on_second.status(), 200);

  note(*first, "one");
  note(*second, "two");
  note(*first, "three");
  for (EventStream* s : {&on_first, &on_second, &tech_on_second})
    ASSERT_TRUE(s->wait_for("three", within(5s))) << s->received();

  const auto a = notes_of(on_first.received()), b = notes_of(on_second.received()),
             t = notes_of(tech_on_second.received());
  ASSERT_EQ(a.size(), 3u) << on_first.received();
  ASSERT_EQ(b.size(), 3u) << on_second.received();
  ASSERT_EQ(t.size(), 3u) << tech_on_second.received();
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a[i].id, b[i].id) << "ids mean the same on every instance";
    EXPECT_EQ(a[i].data, b[i].data);
    EXPECT_EQ(t[i].id, a[i].id);
  }
  EXPECT_NE(a[0].data.find("\"one\""), std::string::npos);
  EXPECT_NE(a[1].data.find("\"two\""), std::string::npos);
  EXPECT_NE(a[2].data.find("\"three\""), std::string::npos);
  EXPECT_LT(a[0].id, a[1].id);
  EXPECT_LT(a[1].id, a[2].id);
}

// A client that was on the first instance reconnects to the second with
// Last-Event-ID: it gets what came after, nothing before, nothing twice.
TEST_F(TwoInstances, AReconnectToTheOtherInstanceMissesNothingAndRepeatsNothing) {
  std::uint64_t last_seen = 0;
  {
    EventStream on_first(first->port(), "/api/v1/events", as(plant.manager_bearer()));
    note(*first, "before-1");
    note(*second, "before-2");
    ASSERT_TRUE(on_first.wait_for("before-2", within(5s))) << on_first.received();
    const auto seen = events_of(on_first.received());
    ASSERT_FALSE(seen.empty());
    last_seen = seen.back().id;
  }  // the connection drops
  note(*first, "while-away-1");
  note(*second, "while-away-2");

  EventStream resumed(second->port(), "/api/v1/events", as(plant.manager_bearer(), last_seen));
  ASSERT_EQ(resumed.status(), 200);
  note(*second, "after");
  ASSERT_TRUE(resumed.wait_for("after", within(5s))) << resumed.received();
  const auto got = notes_of(resumed.received());
  ASSERT_EQ(got.size(), 3u) << resumed.received();
  EXPECT_NE(got[0].data.find("while-away-1"), std::string::npos);
  EXPECT_NE(got[1].data.find("while-away-2"), std::string::npos);
  EXPECT_NE(got[2].data.find("\"after\""), std::string::npos);
  EXPECT_GT(got[0].id, last_seen);
  EXPECT_EQ(resumed.received().find("resync"), std::string::npos) << "no gap: " << resumed.received();
  EXPECT_EQ(resumed.received().find("before-"), std::string::npos) << "nothing twice";
}

// A device revoked through one instance loses its stream on the other
// within a second, and no event written after the revocation reaches it.
TEST_F(TwoInstances, ADeviceRevokedOnOneInstanceLosesItsStreamOnTheOtherWithinOneSecond) {
  EventStream tech_on_second(second->port(), "/api/v1/events", as(plant.tech_bearer()));
  ASSERT_EQ(tech_on_second.status(), 200);
  note(*first, "still-allowed");
  ASSERT_TRUE(tech_on_second.wait_for("still-allowed", within(5s))) << tech_on_second.received();

  const auto revoked =
      request(first->port(), "DELETE", "/api/v1/devices/" + std::to_string(plant.tech_device()),
              {{"Authorization", plant.manager_bearer()}});
  ASSERT_EQ(revoked.status / 100, 2) << revoked.describe();
  const auto at = std::chrono::steady_clock::now();
  EXPECT_TRUE(tech_on_second.wait_closed(within(1s))) << "the stream on the other instance is still open";
  EXPECT_LT(std::chrono::steady_clock::now() - at, 1s);
  note(*first, "after-revocation");
  EXPECT_EQ(tech_on_second.received().find("after-revocation"), std::string::npos);
  EXPECT_EQ(request(second->port(), "GET", "/api/v1/events", as(plant.tech_bearer())).status, 401);
}

}  // namespace
}  // namespace visor::scaletest
