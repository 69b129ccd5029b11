#include "auth/principal_cache.hpp"

#include <algorithm>

namespace visor::auth {

PrincipalCache::PrincipalCache(Millis ttl, std::size_t capacity)
    : ttl_(ttl), per_shard_capacity_(std::max<std::size_t>(1, (capacity + kShards - 1) / kShards)) {}

PrincipalCache::Shard& PrincipalCache::shard_for(std::string_view token_hash) const {
  // Keys are hex SHA-256: already uniform, the first characters suffice.
  return shards_[std::hash<std::string_view>{}(token_hash.substr(0, 16)) % kShards];
}

std::optional<PrincipalCache::Entry> PrincipalCache::find(std::string_view token_hash, Instant now) const {
  if (ttl_ <= Millis(0)) return std::nullopt;
  Shard& s = shard_for(token_hash);
  std::lock_guard lock(s.mutex);
  const auto it = s.map.find(token_hash);
  if (it == s.map.end() || now - it->second.stored_at >= ttl_ || now < it->second.stored_at) return std::nullopt;
  return it->second.entry;
}

void PrincipalCache::put(const std::string& token_hash, Entry entry, Instant now) {
  if (ttl_ <= Millis(0)) return;
  Shard& s = shard_for(token_hash);
  std::lock_guard lock(s.mutex);
  if (s.map.size() >= per_shard_capacity_ && !s.map.contains(token_hash)) {
    std::erase_if(s.map, [&](const auto& kv) { return now - kv.second.stored_at >= ttl_; });
    if (s.map.size() >= per_shard_capacity_) s.map.erase(s.map.begin());
  }
  s.map.insert_or_assign(token_hash, Slot{std::move(entry), now});
}

void PrincipalCache::erase(std::string_view token_hash) {
  Shard& s = shard_for(token_hash);
  std::lock_guard lock(s.mutex);
  if (const auto it = s.map.find(token_hash); it != s.map.end()) s.map.erase(it);
}

void PrincipalCache::erase_if(const std::function<bool(const Principal&)>& pred) {
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mutex);
    std::erase_if(s.map, [&](const auto& kv) { return pred(kv.second.entry.principal); });
  }
}

void PrincipalCache::clear() {
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mutex);
    s.map.clear();
  }
}

std::size_t PrincipalCache::size() const {
  std::size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.map.size();
  }
  return n;
}

}  // namespace visor::auth
