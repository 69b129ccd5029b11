// Issue 11, a real load balancer: PostgreSQL, three `visor serve` processes
// and Debian's HAProxy running deploy/haproxy.cfg. Needs VISOR_TEST_PG_URL
// and haproxy (scripts/lib/deps.sh installs it).
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <regex>
#include <thread>

#include "../api/client.hpp"
#include "haproxy.hpp"
#include "plant.hpp"

namespace visor::scaletest {
namespace {

using apitest::EventStream;
using apitest::Headers;
using apitest::request;
using apitest::within;
using namespace std::chrono_literals;

class ThreeBehindHaproxy : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!plant.ready()) {
      if (std::getenv("VISOR_SKIP_PG")) GTEST_SKIP() << "VISOR_SKIP_PG is set";
      FAIL() << "VISOR_TEST_PG_URL is not set: eval \"$(scripts/lib/pg-cluster.sh start)\"";
    }
    std::vector<std::uint16_t> ports;
    for (int i = 0; i < 3; ++i) {
      instances.push_back(std::make_unique<Instance>(plant, args()));
      ASSERT_NE(instances.back()->port(), 0) << instances.back()->process().errors();
      ports.push_back(instances.back()->port());
    }
    lb = std::make_unique<Haproxy>(ports);
    ASSERT_NE(lb->port(), 0) << "haproxy did not bring the instances up:\n" << lb->errors();
  }

  // As deploy/haproxy.cfg asks of the instances.
  static std::vector<std::string> args() { return {"--shutdown-delay", "3", "--trusted-proxies", "127.0.0.1"}; }

  Headers manager(bool json = false) const {
    Headers h{{"Authorization", plant.manager_bearer()}};
    if (json) h.emplace_back("Content-Type", "application/json");
    return h;
  }

  std::string notes_path() const { return "/api/v1/tasks/" + std::to_string(plant.tech_task()) + "/notes"; }

  Plant plant{"visor_scale_lb_" + std::to_string(::getpid())};
  std::vector<std::unique_ptr<Instance>> instances;
  std::unique_ptr<Haproxy> lb;
};

TEST_F(ThreeBehindHaproxy, SignInOnOneInstanceIsGoodOnTheOthersAndThroughTheBalancer) {
  const auto login = request(instances[0]->port(), "POST", "/api/v1/session", {{"Content-Type", "application/json"}},
                             R"({"login":"manager","password":")" + plant.manager_password() + R"("})");
  ASSERT_EQ(login.status, 200) << login.describe();
  const std::string set_cookie = login.header("Set-Cookie").value_or("");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf(login.json().at("csrf_token").as_string());
  for (const auto& instance : instances) {
    const auto me = request(instance->port(), "GET", "/api/v1/me", {{"Cookie", cookie}});
    EXPECT_EQ(me.status, 200) << me.describe();
  }
  for (int i = 0; i < 6; ++i) {  // whichever instance the balancer picks
    const auto note = request(lb->port(), "POST", notes_path(),
                              {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Content-Type", "application/json"}},
                              R"({"text":"through the balancer )" + std::to_string(i) + R"("})");
    EXPECT_EQ(note.status, 201) << note.describe();
  }
}

TEST_F(ThreeBehindHaproxy, AStreamThroughTheBalancerGetsTheWritesOfEveryInstanceInOrder) {
  Headers h = manager();
  h.emplace_back("Accept", "text/event-stream");
  EventStream stream(lb->port(), "/api/v1/events", h);
  ASSERT_EQ(stream.status(), 200);
  ASSERT_TRUE(stream.wait_for("retry:", within(5s)));
  for (int round = 0; round < 2; ++round)
    for (std::size_t i = 0; i < instances.size(); ++i) {
      const auto r = request(instances[i]->port(), "POST", notes_path(), manager(true),
                             R"({"text":"from instance )" + std::to_string(i) + " round " + std::to_string(round) +
                                 R"("})");
      ASSERT_EQ(r.status, 201) << r.describe();
    }
  ASSERT_TRUE(stream.wait_for("from instance 2 round 1", within(10s))) << stream.received();
  static const std::regex kNote("id: ([0-9]+)\nevent: task.note\ndata: [^\n]*from instance ([0-9]) round ([0-9])");
  const std::string& got = stream.received();
  std::vector<std::string> order;
  std::uint64_t last = 0;
  for (auto it = std::sregex_iterator(got.begin(), got.end(), kNote); it != std::sregex_iterator(); ++it) {
    const std::uint64_t id = std::stoull((*it)[1]);
    EXPECT_GT(id, last);
    last = id;
    order.push_back(std::string((*it)[2]) + "/" + std::string((*it)[3]));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"0/0", "1/0", "2/0", "0/1", "1/1", "2/1"})) << got;
}

// Each instance in turn: SIGTERM, wait for it to exit, start it again on
// its port, wait until the balancer has it back. Meanwhile clients read and
// write through the balancer without pause: not one request fails.
TEST_F(ThreeBehindHaproxy, ARollingRestartUnderLoadFailsNoRequest) {
  std::atomic<bool> running{true};
  std::atomic<int> done{0}, failed{0};
  std::mutex m;
  std::vector<std::string> failures;
  auto client = [&](int n) {
    for (int i = 0; running; ++i) {
      const auto r = i % 3 == 0 ? request(lb->port(), "POST", notes_path(), manager(true),
                                          R"({"text":"load )" + std::to_string(n) + "-" + std::to_string(i) + R"("})")
                                : request(lb->port(), "GET", "/api/v1/tasks?limit=5", manager());
      ++done;
      if (r.status != 200 && r.status != 201) {
        ++failed;
        std::lock_guard l(m);
        if (failures.size() < 5) failures.push_back(r.describe());
      }
    }
  };
  std::vector<std::thread> clients;
  for (int n = 0; n < 3; ++n) clients.emplace_back(client, n);

  for (std::size_t i = 0; i < instances.size(); ++i) {
    const int before = done.load();
    instances[i]->process().signal(SIGTERM);
    ASSERT_TRUE(lb->wait_state(int(i + 1), "DOWN", 10s)) << "the balancer never took instance " << i + 1 << " out";
    ASSERT_EQ(instances[i]->process().wait_exit(20s), 0) << instances[i]->process().errors();
    instances[i] = std::make_unique<Instance>(plant, *instances[i], args());
    ASSERT_NE(instances[i]->port(), 0) << instances[i]->process().errors();
    ASSERT_TRUE(lb->wait_state(int(i + 1), "UP", 20s)) << "instance " << i + 1 << " did not come back";
    EXPECT_GT(done.load(), before + 10) << "no load while instance " << i + 1 << " restarted";
  }
  running = false;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0) << "of " << done.load() << " requests; first: "
                              << (failures.empty() ? "" : failures.front());
  EXPECT_GT(done.load(), 100);
}

}  // namespace
}  // namespace visor::scaletest
