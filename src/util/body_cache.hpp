#pragma once
// A bounded, thread-safe LRU of rendered response bodies.
//
// The key must name everything the body depends on. The API's keys always
// carry the store's revision (which every change to listed or reported data
// moves), so an entry is never stale: a change makes a new key and the old
// entry ages out of the LRU. Several instances on one PostgreSQL database
// stay correct too, since each request reads the revision from the store.
//
// Hits and misses are counted in visor_body_cache_total{cache, result}.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/metrics.hpp"

namespace visor {

/// A response as kept in a BodyCache: its body and its validator.
struct Rendered {
  std::string body;
  std::string etag;  // empty when the response carries none
};

class BodyCache {
 public:
  /// `name` labels the metrics; `max_bytes` bounds the bodies kept (keys
  /// included). A body larger than an eighth of the budget is not kept.
  BodyCache(metrics::Registry& registry, std::string_view name, std::size_t max_bytes = std::size_t{8} << 20);
  BodyCache(const BodyCache&) = delete;
  BodyCache& operator=(const BodyCache&) = delete;

  /// The response stored under `key`, or null; counted as a hit or (unless
  /// `count_miss` is false: a quick attempt that will look again) a miss.
  std::shared_ptr<const Rendered> find(const std::string& key, bool count_miss = true);
  /// Stores `rendered` under `key`, evicting the least recently used
  /// entries beyond the budget.
  void put(const std::string& key, Rendered rendered);

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Rendered> rendered;
  };
  using Lru = std::list<Entry>;  // most recently used first

  const std::size_t max_bytes_;
  metrics::Counter& hits_;
  metrics::Counter& misses_;
  mutable std::mutex mutex_;
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views into Entry::key
  std::size_t bytes_ = 0;
};

}  // namespace visor
