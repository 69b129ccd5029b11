// WorkPool: a bounded queue that refuses at once when full, runs every job
// it accepted (also across stop()), and lowers its threads' priority when
// asked.
#include "util/work_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>

#include <gtest/gtest.h>

namespace visor {
namespace {

using namespace std::chrono_literals;

// A latch the test opens: jobs that wait on it keep their thread busy.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return open_; });
  }
  void open() {
    {
      const std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Waits (with a deadline) until `pred` holds.
template <class Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(WorkPool, RefusesAtOnceWhenEveryThreadIsBusyAndTheQueueIsFull) {
  metrics::Registry registry;
  WorkPool pool({"test", 2, 3}, registry);
  Gate gate;
  std::atomic<int> started{0}, ran{0};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(pool.try_post([&] {
      ++started;
      gate.wait();
      ++ran;
    }));
  }
  ASSERT_TRUE(eventually([&] { return started == 2; }));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.try_post([&] { ++ran; })) << "queue place " << i;
  EXPECT_EQ(pool.queued(), 3u);
  const auto before = std::chrono::steady_clock::now();
  EXPECT_FALSE(pool.try_post([&] { ADD_FAILURE() << "a refused job ran"; }));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s) << "a full pool must answer at once";
  EXPECT_NE(registry.render().find("visor_work_rejected_total{pool=\"test\"} 1"), std::string::npos)
      << registry.render();
  gate.open();
  ASSERT_TRUE(eventually([&] { return ran == 5; }));
  EXPECT_TRUE(pool.try_post([&] { ++ran; })) << "room again once the queue drained";
  ASSERT_TRUE(eventually([&] { return ran == 6; }));
}

TEST(WorkPool, StopRunsEveryAcceptedJobAndThenRefuses) {
  metrics::Registry registry;
  WorkPool pool({"test", 1, 8}, registry);
  Gate gate;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.try_post([&] { gate.wait(); }));
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(pool.try_post([&] { ++ran; }));
  auto stopped = std::async(std::launch::async, [&] { pool.stop(); });
  EXPECT_EQ(stopped.wait_for(50ms), std::future_status::timeout) << "stop() waits for the running job";
  gate.open();
  stopped.get();
  EXPECT_EQ(ran, 8) << "every queued job ran before stop() returned";
  EXPECT_FALSE(pool.try_post([] {}));
}

TEST(WorkPool, AThrowingJobDoesNotStopTheThread) {
  metrics::Registry registry;
  WorkPool pool({"test", 1, 4}, registry);
  std::promise<void> done;
  ASSERT_TRUE(pool.try_post([] { throw std::runtime_error("boom"); }));
  ASSERT_TRUE(pool.try_post([&] { done.set_value(); }));
  EXPECT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
}

TEST(WorkPool, ThreadsRunAtTheNicenessAskedForAndOthersAreLeftAlone) {
  metrics::Registry registry;
  WorkPool low({"low", 1, 1, 7}, registry);
  WorkPool normal({"normal", 1, 1}, registry);
  const auto niceness_in = [](WorkPool& pool) {
    std::promise<int> p;
    EXPECT_TRUE(pool.try_post([&] {
      errno = 0;
      p.set_value(::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))));
    }));
    return p.get_future().get();
  };
  const int base = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
  if (base >= 7) GTEST_SKIP() << "the test runs at niceness " << base << " already";
  EXPECT_EQ(niceness_in(low), 7);
  EXPECT_EQ(niceness_in(normal), base);
  EXPECT_EQ(::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))), base)
      << "the calling thread keeps its priority";
}

}  // namespace
}  // namespace visor
