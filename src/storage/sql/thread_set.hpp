#pragma once
// Which threads are inside a store's write() right now: lets a store detect
// a nested write() or read() on the same thread (a programming error that
// would otherwise deadlock or exhaust a connection pool).
#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace visor::storage::sql {

class ThreadSet {
 public:
  bool contains_current() const {
    const std::lock_guard lock(mutex_);
    return std::find(ids_.begin(), ids_.end(), std::this_thread::get_id()) != ids_.end();
  }

  /// Registers the current thread for its lifetime.
  class Scope {
   public:
    explicit Scope(ThreadSet& set) : set_(set) {
      const std::lock_guard lock(set_.mutex_);
      set_.ids_.push_back(std::this_thread::get_id());
    }
    ~Scope() {
      const std::lock_guard lock(set_.mutex_);
      const auto it = std::find(set_.ids_.begin(), set_.ids_.end(), std::this_thread::get_id());
      if (it != set_.ids_.end()) set_.ids_.erase(it);
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ThreadSet& set_;
  };

 private:
  mutable std::mutex mutex_;
  std::vector<std::thread::id> ids_;
};

}  // namespace visor::storage::sql
