#pragma once
// A fixed-size pool of PostgreSQL connections, opened lazily. A borrower
// waits up to `wait` for a free connection, then gets Error(unavailable).
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/postgres/pg.hpp"

namespace visor::storage::postgres {

class Pool {
 public:
  Pool(std::string url, int size, std::chrono::milliseconds wait);

  /// A borrowed connection, returned to the pool (or dropped when broken or
  /// left inside a transaction) when the lease ends.
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), c_(std::move(other.c_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->release(std::move(c_));
    }
    Connection& operator*() const { return *c_; }
    Connection* operator->() const { return c_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };

  Lease acquire();
  /// Closes the idle connections (e.g. after a schema change).
  void clear_idle();

 private:
  void release(std::unique_ptr<Connection> c);

  std::string url_;
  int size_;
  std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle + borrowed
};

}  // namespace visor::storage::postgres
