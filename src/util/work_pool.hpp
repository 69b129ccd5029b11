#pragma once
// A fixed set of worker threads with a bounded queue: where blocking work
// (store transactions, Argon2id, image processing, exports) runs so that the
// HTTP I/O threads never wait on it (docs/decisions/0017-worker-pools.md).
//
// `try_post` never blocks: when every thread is busy and the queue is full
// it refuses the job, and the caller answers "busy, retry" at once instead
// of making the client wait behind a backlog it cannot see. A job once
// accepted always runs, also when the pool stops: `stop()` lets the
// threads finish the queue, so a caller waiting for a job's completion is
// always woken.
//
// Metrics: visor_work_queued{pool} (jobs waiting), visor_work_busy{pool}
// (threads running a job), visor_work_rejected_total{pool} and
// visor_work_wait_seconds{pool} (time from try_post to the job starting).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/metrics.hpp"

namespace visor {

struct WorkPoolOptions {
  std::string name;          // metrics label: "api", "auth", "bulk"
  int threads = 1;           // at least 1
  std::size_t queue = 64;    // jobs waiting beyond the running ones; 0: none
  /// Scheduling niceness of the pool's threads (Linux, per thread): above
  /// 0, the I/O threads win the cores when both want them, so that cheap
  /// answers (/healthz, cached reads, stream events) stay quick however busy
  /// the pool is. Ignored where it cannot be set.
  int nice = 0;
};

class WorkPool {
 public:
  using Job = std::function<void()>;

  /// Starts the threads. `registry` must outlive the pool.
  WorkPool(WorkPoolOptions options, metrics::Registry& registry);
  /// stop(), then joins.
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  /// Queues `job` unless the queue is full or the pool stopped; false then
  /// (the job is dropped unrun). Thread-safe. A job must not throw: what
  /// escapes it is logged and swallowed.
  bool try_post(Job job);

  /// Refuses new jobs, lets the threads finish the queued ones, joins them.
  /// Idempotent; not callable from one of the pool's own threads.
  void stop();

  /// True on one of this pool's threads.
  bool on_worker() const;

  const std::string& name() const { return options_.name; }
  int threads() const { return options_.threads; }
  std::size_t capacity() const { return options_.queue; }
  /// Jobs waiting (not running).
  std::size_t queued() const;

 private:
  struct Queued {
    Job job;
    std::chrono::steady_clock::time_point posted;
  };
  void run();

  WorkPoolOptions options_;
  metrics::Gauge& queued_gauge_;
  metrics::Gauge& busy_gauge_;
  metrics::Counter& rejected_;
  metrics::Histogram& wait_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Queued> queue_;
  int busy_ = 0;  // threads running a job
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace visor
