#include "storage/postgres/pool.hpp"

#include "util/error.hpp"

namespace visor::storage::postgres {

Pool::Pool(std::string url, int size, std::chrono::milliseconds wait)
    : url_(std::move(url)), size_(size < 1 ? 1 : size), wait_(wait) {}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  const bool ready = available_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < size_; });
  if (!ready)
    throw Error(ErrorCode::unavailable, "The database is busy; try again.",
                "postgresql: no pooled connection free after " + std::to_string(wait_.count()) + " ms");
  if (!idle_.empty()) {
    std::unique_ptr<Connection> c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(url_));
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void Pool::release(std::unique_ptr<Connection> c) {
  const bool reusable = c->idle();
  if (!reusable) c.reset();  // close outside the lock
  const std::lock_guard lock(mutex_);
  if (reusable) idle_.push_back(std::move(c));
  else --open_;
  available_.notify_one();
}

void Pool::clear_idle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    const std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
  }
  available_.notify_all();
}

}  // namespace visor::storage::postgres
