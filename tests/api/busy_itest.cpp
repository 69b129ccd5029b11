// A busy server stays answerable (issue 9): blocking work runs on bounded
// worker pools, a full pool answers 503 with Retry-After at once, a flood of
// sign-ins (Argon2id) leaves every other request answered, and a task card
// stays small whatever its history, the rest paged.
//
// This suite's server has one store worker and a queue of one, so that the
// tests can fill the pool on purpose.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "app/work_pools.hpp"
#include "server.hpp"

namespace visor::apitest {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

const bool configured = [] {
  TestServer::configure([](app::Config& c) {
    c.workers = 1;
    c.work_queue = 1;
  });
  return true;
}();

std::string task_path(TaskId id, std::string_view rest = "") {
  return "/api/v1/tasks/" + std::to_string(id.value) + std::string(rest);
}

// A sign-in attempt with an unknown login: a dummy hash of the production
// cost (~80 ms of Argon2id on an idle core, seconds on a loaded one, and
// queued behind others): it gets two minutes rather than the client's
// usual ten seconds.
Reply sign_in(TestServer& s, const std::string& login) {
  const std::string body = R"({"login":")" + login + R"(","password":"not the password"})";
  const std::string text = "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                           "Content-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body;
  return send_raw(s.port(), text, within(std::chrono::minutes(2)));
}

double metric(TestServer& s, std::string_view sample) {
  const Reply r = s.raw_call("GET", "/metrics", {});
  const auto at = r.body.find(std::string(sample) + " ");
  if (at == std::string::npos) return 0;
  return std::stod(r.body.substr(at + sample.size() + 1));
}

// Waits (with a deadline, polling /metrics, which runs on the I/O thread)
// until `sample` reaches `value`.
bool wait_metric(TestServer& s, std::string_view sample, double value, std::chrono::seconds limit = 30s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (metric(s, sample) >= value) return true;
    std::this_thread::yield();
  }
  return false;
}

// Holds the store's writer until released: a write transaction that takes
// as long as the test wants.
class WriterHold {
 public:
  explicit WriterHold(storage::Store& store) {
    thread_ = std::thread([this, &store] {
      store.write([this](storage::Tx&) {
        held_.set_value();
        release_.get_future().wait();
      });
    });
    held_.get_future().wait();
  }
  void release() {
    if (released_) return;
    released_ = true;
    release_.set_value();
    thread_.join();
  }
  ~WriterHold() { release(); }

 private:
  std::promise<void> held_, release_;
  bool released_ = false;
  std::thread thread_;
};

TEST(Backpressure, AFullPoolAnswers503WithRetryAfterAtOnceAndTheQueuedRequestsComplete) {
  TestServer& s = TestServer::get();
  const TaskId task = s.create_task(s.identity(Who::technician).user, s.mechanical());
  // Start from an idle pool (a worker may still be finishing the last job
  // after its response went out).
  const auto idle_by = std::chrono::steady_clock::now() + 30s;
  while ((metric(s, R"(visor_work_busy{pool="api"})") > 0 || metric(s, R"(visor_work_queued{pool="api"})") > 0) &&
         std::chrono::steady_clock::now() < idle_by)
    std::this_thread::yield();
  const double rejected = metric(s, R"(visor_work_rejected_total{pool="api"})");
  WriterHold hold(s.store());

  // The pool's one worker waits for the writer with a note …
  auto note = std::async(std::launch::async, [&] {
    return s.call(Who::technician, "POST", task_path(task, "/notes"), R"({"text":"while the writer is busy"})");
  });
  ASSERT_TRUE(wait_metric(s, R"(visor_work_busy{pool="api"})", 1)) << "the note never reached a worker";
  // … the queue's one place holds a list read …
  auto list = std::async(std::launch::async, [&] { return s.call(Who::technician, "GET", "/api/v1/tasks?limit=5"); });
  ASSERT_TRUE(wait_metric(s, R"(visor_work_queued{pool="api"})", 1)) << "the list read was never queued";

  // … so the next request is refused at once, not left waiting.
  const Reply busy = s.call(Who::technician, "GET", task_path(task));
  EXPECT_EQ(busy.status, 503) << busy.describe();
  EXPECT_TRUE(busy.is_problem()) << busy.describe();
  EXPECT_EQ(busy.header("Retry-After").value_or(""), "1");
  EXPECT_NE(busy.detail().find("busy"), std::string::npos) << busy.detail();
  EXPECT_EQ(metric(s, R"(visor_work_rejected_total{pool="api"})"), rejected + 1);
  // The I/O threads are free: cheap routes answer while the pool is full.
  EXPECT_EQ(s.raw_call("GET", "/healthz", {}).status, 200);
  EXPECT_EQ(s.raw_call("GET", "/hud/", {}).status, 200);
  EXPECT_EQ(note.wait_for(0s), std::future_status::timeout) << "the note did not wait for the writer";
  EXPECT_EQ(list.wait_for(0s), std::future_status::timeout) << "the list did not wait for the worker";

  hold.release();
  const Reply noted = note.get();
  const Reply listed = list.get();
  EXPECT_EQ(noted.status, 201) << noted.describe();
  EXPECT_EQ(listed.status, 200) << listed.describe();
  EXPECT_EQ(s.call(Who::technician, "GET", task_path(task)).status, 200) << "the retry succeeds";
}

TEST(Backpressure, StopWaitsForTheWorkInFlight) {
  // A graceful stop lets the requests that a pool accepted run and answer:
  // here sign-ins (~80 ms of Argon2id each, at the production cost) are
  // hashing and queued when stop() begins.
  TestServer& s = TestServer::get();
  std::vector<std::future<Reply>> attempts;
  for (int i = 0; i < 3; ++i) {
    attempts.push_back(std::async(std::launch::async, [&, i] { return sign_in(s, "late-" + std::to_string(i)); }));
  }
  // Every attempt is on the pool (hashing or queued) before the stop.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (metric(s, R"(visor_work_busy{pool="auth"})") + metric(s, R"(visor_work_queued{pool="auth"})") < 3 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  std::thread stopper([] { TestServer::shutdown(); });
  for (auto& a : attempts) {
    const Reply r = a.get();
    EXPECT_TRUE(r.status == 401 || r.status == 503) << "cut off by the stop: " << r.describe();
  }
  stopper.join();
}

TEST(SignInFlood, OtherRequestsAreAnsweredWhileHashesAreQueued) {
  TestServer& s = TestServer::get();
  const TaskId task = s.create_task(s.identity(Who::technician).user, s.mechanical());
  // Unknown logins are checked against a dummy hash of the production cost
  // (~80 ms of Argon2id each, much more on a loaded machine).
  // More than the hashing pool holds (its threads and its queue).
  const int kAttempts = int(app::kAuthQueue) + int(std::thread::hardware_concurrency()) + 24;
  std::atomic<int> answered{0};
  std::vector<std::future<Reply>> attempts;
  for (int i = 0; i < kAttempts; ++i) {
    attempts.push_back(std::async(std::launch::async, [&, i] {
      Reply r = sign_in(s, "flood-" + std::to_string(i));
      ++answered;
      return r;
    }));
  }
  ASSERT_TRUE(wait_metric(s, R"(visor_work_busy{pool="auth"})", 1)) << "no sign-in reached the hashing pool";
  // While hashes run and wait, everything else is answered.
  const Reply health = s.raw_call("GET", "/healthz", {});
  const Reply list = s.call(Who::technician_device, "GET", "/api/v1/tasks?assignee=me&limit=20");
  const Reply card = s.call(Who::technician_device, "GET", task_path(task));
  const Reply note = s.call(Who::technician_device, "POST", task_path(task, "/notes"), R"({"text":"during the flood"})");
  const double still_queued = metric(s, R"(visor_work_queued{pool="auth"})");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(list.status, 200) << list.describe();
  EXPECT_EQ(card.status, 200) << card.describe();
  EXPECT_EQ(note.status, 201) << note.describe();
  EXPECT_GT(still_queued, 0) << "the other requests were only answered once the hashes were done";
  EXPECT_LT(answered.load(), kAttempts);

  int refused = 0;
  for (auto& a : attempts) {
    const Reply r = a.get();
    if (r.status == 503) {
      ++refused;
      EXPECT_EQ(r.header("Retry-After").value_or(""), "1");
      EXPECT_TRUE(r.is_problem());
    } else {
      EXPECT_TRUE(r.status == 401 || r.status == 429) << r.describe();
    }
  }
  EXPECT_GT(refused, 0) << "a flood larger than the hashing pool's queue must be told to come back";
  EXPECT_EQ(metric(s, R"(visor_work_queued{pool="auth"})"), 0);
}

TEST(BoundedCard, ACardStaysSmallWhateverTheHistoryAndTheRestIsPaged) {
  TestServer& s = TestServer::get();
  const TaskId task = s.create_task(s.identity(Who::technician).user, s.mechanical(), true);
  ASSERT_EQ(s.call(Who::technician, "POST", task_path(task, "/start"), "").status, 200);
  const std::string text(900, 'n');
  constexpr int kNotes = 150;
  std::size_t largest_answer = 0;
  for (int i = 0; i < kNotes; ++i) {
    const Reply r = s.call(Who::technician_device, "POST", task_path(task, "/notes"),
                           R"({"text":"note )" + std::to_string(i) + " " + text + R"("})");
    ASSERT_EQ(r.status, 201) << r.describe();
    largest_answer = std::max(largest_answer, r.body.size());
  }
  const Reply photo = s.call(Who::technician, "POST", task_path(task, "/photos?step=2"), tiny_png(),
                             Req{{}, true, "image/png"});
  ASSERT_EQ(photo.status, 201) << photo.describe();
  ASSERT_EQ(s.call(Who::technician, "POST", task_path(task, "/steps/1"), R"({"done":true})").status, 200);

  const Reply card = s.call(Who::technician, "GET", task_path(task));
  ASSERT_EQ(card.status, 200) << card.describe();
  EXPECT_LT(card.body.size(), 10'000u);
  EXPECT_LT(largest_answer, 10'000u) << "a write answers with the bounded card, not the whole work log";
  const json::object c = card.json().as_object();
  const json::array& log = c.at("work_log").as_array();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back().at("kind").as_string(), "step_done") << "the newest entry closes the card's log";
  ASSERT_TRUE(c.at("work_log_before").is_string()) << "older entries are paged";
  // What the whole history decides is still right: the session, the photo count.
  ASSERT_TRUE(c.at("session").is_object());
  EXPECT_EQ(c.at("session").at("kind").as_string(), "started");
  EXPECT_EQ(c.at("step_list").at(1).at("photos").as_int64(), 1);
  EXPECT_EQ(c.at("execution").as_string(), "in_progress");

  // Paging back reaches every entry once, oldest first, up to the card's.
  std::vector<std::int64_t> ids;
  for (const auto& e : log) ids.push_back(e.at("id").as_int64());
  std::string before(c.at("work_log_before").as_string());
  int pages = 0;
  while (!before.empty()) {
    ASSERT_LT(++pages, 100);
    const Reply page = s.call(Who::technician, "GET", task_path(task, "/work-log?limit=40&before=" + url_encode(before)));
    ASSERT_EQ(page.status, 200) << page.describe();
    const json::object p = page.json().as_object();
    std::vector<std::int64_t> older;
    for (const auto& e : p.at("items").as_array()) older.push_back(e.at("id").as_int64());
    ASSERT_LE(older.size(), 40u);
    ids.insert(ids.begin(), older.begin(), older.end());
    before = p.at("before").is_null() ? "" : std::string(p.at("before").as_string());
  }
  EXPECT_EQ(ids.size(), std::size_t(1 + kNotes + 1 + 1)) << "started, the notes, the photo, the step";
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), ids.size()) << "an entry came twice";

  // Someone who may not see the task may not page its log either.
  EXPECT_EQ(s.call(Who::other_technician, "GET", task_path(task, "/work-log")).status, 404);
  const Reply bad = s.call(Who::technician, "GET", task_path(task, "/work-log?before=yesterday"));
  EXPECT_EQ(bad.status, 400) << bad.describe();
}

}  // namespace
}  // namespace visor::apitest
