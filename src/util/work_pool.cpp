#include "util/work_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <exception>

#include "util/log.hpp"

namespace visor {

WorkPool::WorkPool(WorkPoolOptions options, metrics::Registry& registry)
    : options_(std::move(options)),
      queued_gauge_(registry.gauge("visor_work_queued", "Jobs waiting for a worker thread.", {"pool"})
                        .with({options_.name})),
      busy_gauge_(registry.gauge("visor_work_busy", "Worker threads running a job.", {"pool"}).with({options_.name})),
      rejected_(registry
                    .counter("visor_work_rejected_total",
                             "Jobs refused because the pool's queue was full (answered 503).", {"pool"})
                    .with({options_.name})),
      wait_(registry.histogram("visor_work_wait_seconds", "Time a job waited in the queue.", {"pool"})
                .with({options_.name})) {
  options_.threads = std::max(1, options_.threads);
  workers_.reserve(static_cast<std::size_t>(options_.threads));
  for (int i = 0; i < options_.threads; ++i) workers_.emplace_back([this] { run(); });
}

WorkPool::~WorkPool() { stop(); }

bool WorkPool::try_post(Job job) {
  {
    const std::lock_guard lock(mutex_);
    // A job beyond the queue is still accepted while a thread is idle (the
    // queue then only holds it until that thread wakes).
    const std::size_t idle = static_cast<std::size_t>(options_.threads - busy_);
    if (stopping_ || queue_.size() >= options_.queue + idle) {
      rejected_.inc();
      log::debug("work", "pool full, job refused",
                 {{"pool", options_.name}, {"queued", std::to_string(queue_.size())}, {"busy", std::to_string(busy_)}});
      return false;
    }
    queue_.push_back(Queued{std::move(job), std::chrono::steady_clock::now()});
    queued_gauge_.set(static_cast<double>(queue_.size()));
  }
  ready_.notify_one();
  return true;
}

void WorkPool::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
}

bool WorkPool::on_worker() const {
  const auto me = std::this_thread::get_id();
  return std::any_of(workers_.begin(), workers_.end(), [&](const std::thread& t) { return t.get_id() == me; });
}

std::size_t WorkPool::queued() const {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

void WorkPool::run() {
  if (options_.nice != 0) {
    // Linux schedules threads individually: this lowers only this thread.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    if (::setpriority(PRIO_PROCESS, tid, options_.nice) != 0)
      log::debug("work", "cannot lower the worker's priority", {{"pool", options_.name}});
  }
  while (true) {
    Queued next;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and the queue is done
      next = std::move(queue_.front());
      queue_.pop_front();
      queued_gauge_.set(static_cast<double>(queue_.size()));
      ++busy_;
    }
    busy_gauge_.inc();
    wait_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - next.posted).count());
    try {
      next.job();
    } catch (const std::exception& e) {
      log::error("work", "a job threw", {{"pool", options_.name}, {"what", e.what()}});
    } catch (...) {
      log::error("work", "a job threw a non-standard exception", {{"pool", options_.name}});
    }
    busy_gauge_.dec();
    const std::lock_guard lock(mutex_);
    --busy_;
  }
}

}  // namespace visor
