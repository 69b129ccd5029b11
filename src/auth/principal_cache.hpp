#pragma once
// A short-lived, bounded, thread-safe map from token hash to the Principal it
// resolved to, so that the hot path (every API request) does not read the
// store. Entries live at most `ttl` (≤ 5 s): a device revoked or a user
// disabled on another instance stops working within that time.
//
// Sharded by hash so that concurrent requests rarely contend on a mutex.
// When a shard is full, expired entries are swept first, then an arbitrary
// entry is evicted (a cache miss only costs a store read).
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/principal.hpp"
#include "util/clock.hpp"

namespace visor::auth {

class PrincipalCache {
 public:
  using Instant = std::chrono::sys_time<Millis>;

  struct Entry {
    Principal principal;
    /// The credential's own expiry (sessions); checked on every hit.
    std::optional<TimePoint> expires_at;
  };

  PrincipalCache(Millis ttl, std::size_t capacity);

  /// The entry for `token_hash` if cached less than ttl ago.
  std::optional<Entry> find(std::string_view token_hash, Instant now) const;
  void put(const std::string& token_hash, Entry entry, Instant now);
  void erase(std::string_view token_hash);
  /// Drops every entry whose principal matches (revocation, disable).
  void erase_if(const std::function<bool(const Principal&)>& pred);
  void clear();
  std::size_t size() const;

 private:
  struct Slot {
    Entry entry;
    Instant stored_at;
  };
  // Transparent hashing: lookups by string_view allocate nothing.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Slot, Hash, std::equal_to<>> map;
  };
  static constexpr std::size_t kShards = 16;

  Shard& shard_for(std::string_view token_hash) const;

  Millis ttl_;
  std::size_t per_shard_capacity_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace visor::auth
