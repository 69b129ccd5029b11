#include "util/body_cache.hpp"

namespace visor {
namespace {

metrics::Family<metrics::Counter>& family(metrics::Registry& registry) {
  return registry.counter("visor_body_cache_total", "Lookups in the rendered-body caches, by cache and result.",
                          {"cache", "result"});
}

std::size_t cost(const std::string& key, const Rendered& r) { return key.size() + r.body.size() + r.etag.size() + 96; }

}  // namespace

BodyCache::BodyCache(metrics::Registry& registry, std::string_view name, std::size_t max_bytes)
    : max_bytes_(max_bytes),
      hits_(family(registry).with({name, "hit"})),
      misses_(family(registry).with({name, "miss"})) {}

std::shared_ptr<const Rendered> BodyCache::find(const std::string& key, bool count_miss) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) {
    if (count_miss) misses_.inc();
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  hits_.inc();
  return it->second->rendered;
}

void BodyCache::put(const std::string& key, Rendered rendered) {
  const std::size_t size = cost(key, rendered);
  if (size > max_bytes_ / 8) return;
  auto shared = std::make_shared<const Rendered>(std::move(rendered));
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    // Two requests computed the same body at once; keep the first.
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{key, std::move(shared)});
  index_.emplace(lru_.front().key, lru_.begin());
  bytes_ += size;
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    const Entry& last = lru_.back();
    bytes_ -= cost(last.key, *last.rendered);
    index_.erase(last.key);
    lru_.pop_back();
  }
}

std::size_t BodyCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t BodyCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

}  // namespace visor
