// Issue 11, one sync leader: two real `visor serve` processes on one
// PostgreSQL database and the stand-in Odoo. Exactly one syncs; kill -9 of
// it mid-delivery, and the other takes over within one lease period and
// delivers every outbox message exactly once. Needs VISOR_TEST_PG_URL.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <set>
#include <thread>

#include "../api/client.hpp"
#include "../integration/odoo_double.hpp"
#include "plant.hpp"
#include "storage/store.hpp"

namespace visor::scaletest {
namespace {

namespace json = boost::json;
using apitest::request;
using namespace std::chrono_literals;

// The lease lasts max(3 polls, 60 s) (sync/engine.cpp).
constexpr auto kLeasePeriod = 60s;

std::size_t committed_posts(testing::OdooDouble& odoo, std::set<std::string>* bodies = nullptr) {
  std::size_t n = 0;
  for (const auto& c : odoo.calls("model=maintenance.request&method=message_post")) {
    const auto& o = c.as_object();
    if (!o.at("committed").as_bool()) continue;
    ++n;
    if (bodies) bodies->insert(json::serialize(o.at("params").at("body")));
  }
  return n;
}

template <class Pred>
bool eventually(std::chrono::steady_clock::duration limit, Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);  // polling other processes: no event to wait on
  }
  return pred();
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(SyncLeader, KilledMidDeliveryTheOtherTakesOverAndDeliversEveryMessageOnce) {
  Plant plant("visor_scale_sync_" + std::to_string(::getpid()));
  if (!plant.ready()) {
    if (std::getenv("VISOR_SKIP_PG")) GTEST_SKIP() << "VISOR_SKIP_PG is set";
    FAIL() << "VISOR_TEST_PG_URL is not set: eval \"$(scripts/lib/pg-cluster.sh start)\"";
  }
  testing::OdooDouble odoo;
  auto leader = std::make_unique<Instance>(plant);
  ASSERT_NE(leader->port(), 0) << leader->process().errors();
  const apitest::Headers admin{{"Authorization", plant.admin_bearer()}, {"Content-Type", "application/json"}};
  const std::string settings = json::serialize(json::object{{"url", odoo.url()},
                                                            {"database", "odoo"},
                                                            {"login", "admin"},
                                                            {"poll_interval_seconds", 1},
                                                            {"secret", odoo.options().api_key}});
  ASSERT_EQ(request(leader->port(), "PUT", "/api/v1/connector", admin, settings).status, 200);
  ASSERT_EQ(request(leader->port(), "POST", "/api/v1/sync/run", admin).status, 202);
  auto store = storage::open_store(plant.url(), storage::StoreOptions{.migrate = false});
  std::vector<std::int64_t> tasks;
  ASSERT_TRUE(eventually(60s, [&] {
    tasks.clear();
    store->read([&](storage::Tx& tx) {
      for (std::int64_t id : {4, 5, 9, 12, 15, 16})
        if (auto t = tx.tasks().get_by_odoo(OdooId(id))) tasks.push_back(t->id.value);
    });
    return tasks.size() == 6;
  })) << "the first import did not arrive: " << leader->process().errors();

  Instance other(plant);
  ASSERT_NE(other.port(), 0) << other.process().errors();
  const auto lease = [&] {
    return store->read_value([](storage::Tx& tx) { return tx.settings().get("sync.lease").value_or(""); });
  };
  const std::string leader_id = read_file(leader->data_dir() / "instance-id");
  const std::string other_id = read_file(other.data_dir() / "instance-id");
  ASSERT_FALSE(leader_id.empty());
  ASSERT_NE(leader_id, other_id);
  EXPECT_EQ(lease().rfind(leader_id + " ", 0), 0u) << lease();

  // Notes written through the other instance: the leader delivers them,
  // slowly (each Odoo call takes 150 ms), and dies after two.
  const apitest::Headers manager{{"Authorization", plant.manager_bearer()}, {"Content-Type", "application/json"}};
  odoo.control("POST", "latency", {{"ms", 150}});
  int notes = 0;
  for (int round = 0; round < 3; ++round)
    for (std::int64_t t : tasks) {
      const auto r = request(other.port(), "POST", "/api/v1/tasks/" + std::to_string(t) + "/notes", manager,
                             R"({"text":"note )" + std::to_string(round) + " on " + std::to_string(t) + R"("})");
      ASSERT_EQ(r.status, 201) << r.describe();
      ++notes;
    }
  ASSERT_TRUE(eventually(30s, [&] { return committed_posts(odoo) >= 2; }));
  ::kill(leader->process().pid(), SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  const std::size_t delivered_by_leader = committed_posts(odoo);
  ASSERT_LT(delivered_by_leader, std::size_t(notes)) << "the leader finished before it was killed";
  leader.reset();

  // The other instance takes the lease once it lapses and delivers the rest.
  ASSERT_TRUE(eventually(kLeasePeriod + 5s, [&] { return lease().rfind(other_id + " ", 0) == 0; }))
      << "no takeover: " << lease() << "\n" << other.process().errors();
  EXPECT_LE(std::chrono::steady_clock::now() - killed_at, kLeasePeriod + 3s);
  odoo.control("POST", "latency", {{"ms", 0}});
  EXPECT_TRUE(eventually(60s, [&] { return committed_posts(odoo) >= std::size_t(notes); }));
  // Settled: nothing more arrives, nothing is pending or failed.
  const auto outbox = request(other.port(), "GET", "/api/v1/sync/outbox?status=pending", admin);
  ASSERT_EQ(outbox.status, 200) << outbox.describe();
  EXPECT_TRUE(outbox.json().at("items").as_array().empty()) << outbox.body;
  std::set<std::string> bodies;
  EXPECT_EQ(committed_posts(odoo, &bodies), std::size_t(notes)) << "a note was delivered twice or lost";
  EXPECT_EQ(bodies.size(), std::size_t(notes));
}

}  // namespace
}  // namespace visor::scaletest
