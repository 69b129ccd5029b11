#include "auth/live_streams.hpp"

#include <vector>

#include "auth/tokens.hpp"
#include "util/log.hpp"

namespace visor::auth {
namespace {

constexpr std::uint64_t kReservedDescriptors = 64;

bool same_actor(const Actor& a, const Actor& b) { return a.user == b.user && a.role == b.role && a.team == b.team; }

}  // namespace

std::size_t stream_capacity(std::uint64_t open_file_limit) {
  if (open_file_limit <= kReservedDescriptors + 2) return 1;
  return std::size_t((open_file_limit - kReservedDescriptors) / 2);
}

LiveStreams::Ticket::~Ticket() { owner_.leave(id_); }

LiveStreams::LiveStreams(storage::Store& store, Authenticator& auth, const IClock& clock, StreamLimits limits)
    : store_(store), auth_(auth), clock_(clock), limits_(limits) {
  auth_.observe([this](const CredentialChange& change) { changed(change); });
  // Read now, so that a change made before the first poll is not missed.
  try {
    seen_at_start_ = store_.read_value([](storage::Tx& tx) { return tx.auth().credential_revision(); });
  } catch (const std::exception&) {
    // The watcher reads it on its first poll.
  }
  watcher_ = std::thread([this] { watch(); });
}

LiveStreams::~LiveStreams() {
  auth_.observe({});
  {
    std::lock_guard lock(watch_mutex_);
    stopping_ = true;
  }
  watch_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

LiveStreams::Admission LiveStreams::admit(const Principal& principal, std::string_view token,
                                          std::function<void()> end) {
  Entry entry{principal.via, hash_token(token), principal.actor(), principal.device, std::nullopt, std::move(end)};
  // The session's end, so that an expired session ends its streams too.
  if (principal.via == Principal::Via::session) {
    if (const auto now = auth_.resolve(principal.via, entry.token_hash)) entry.expires_at = now->expires_at;
  }
  std::lock_guard lock(mutex_);
  Admission out;
  if (entries_.size() >= limits_.total) {
    out.refused = Refusal::server_full;
    return out;
  }
  std::size_t& mine = per_user_[principal.user];
  if (mine >= limits_.per_user) {
    if (mine == 0) per_user_.erase(principal.user);
    out.refused = Refusal::user_full;
    return out;
  }
  ++mine;
  const std::uint64_t id = next_id_++;
  entries_.emplace(id, std::move(entry));
  out.ticket.reset(new Ticket(*this, id));
  return out;
}

std::size_t LiveStreams::open() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void LiveStreams::leave(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return;
  const UserId user = it->second.actor.user;
  entries_.erase(it);
  if (const auto u = per_user_.find(user); u != per_user_.end() && --u->second == 0) per_user_.erase(u);
}

void LiveStreams::changed(const CredentialChange& change) {
  switch (change.kind) {
    case CredentialChange::Kind::user:
      return recheck([&](const Entry& e) { return e.actor.user == change.user; });
    case CredentialChange::Kind::device:
      return recheck([&](const Entry& e) { return e.device == change.device; });
    case CredentialChange::Kind::session:
      return recheck([&](const Entry& e) { return e.token_hash == change.token_hash; });
    case CredentialChange::Kind::all:
      return recheck([](const Entry&) { return true; });
  }
}

void LiveStreams::recheck(const Filter& filter) {
  struct Candidate {
    std::uint64_t id;
    Principal::Via via;
    std::string token_hash;
    Actor actor;
  };
  std::vector<Candidate> candidates;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, e] : entries_)
      if (e.end && filter(e)) candidates.push_back({id, e.via, e.token_hash, e.actor});
  }
  if (candidates.empty()) return;
  // The store is read outside the lock; a stream that left meanwhile is
  // simply not found below.
  std::vector<std::pair<std::uint64_t, std::optional<TimePoint>>> keep;
  std::vector<std::uint64_t> ended;
  for (const Candidate& c : candidates) {
    std::optional<Resolved> now;
    try {
      now = auth_.resolve(c.via, c.token_hash);
    } catch (const std::exception& e) {
      log::warn("auth", "cannot re-check a live stream's credential", {{"error", e.what()}});
      continue;  // the next change or poll tries again
    }
    if (now && same_actor(now->principal.actor(), c.actor)) keep.emplace_back(c.id, now->expires_at);
    else ended.push_back(c.id);
  }
  // The end functions run outside the lock: ending a stream may destroy it,
  // and its ticket then takes the lock to leave.
  std::vector<std::function<void()>> to_end;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, expires] : keep) {
      if (const auto it = entries_.find(id); it != entries_.end()) it->second.expires_at = expires;
    }
    for (std::uint64_t id : ended) {
      const auto it = entries_.find(id);
      if (it == entries_.end() || !it->second.end) continue;
      to_end.push_back(std::move(it->second.end));
      it->second.end = nullptr;  // once
    }
  }
  for (auto& end : to_end) end();
  if (!ended.empty()) log::info("auth", "live streams ended by a credential change", {{"count", std::to_string(ended.size())}});
}

// Polls the credential revision (changes made by the CLI or another
// instance) and ends streams of sessions that expired.
void LiveStreams::watch() {
  std::optional<std::int64_t> seen = seen_at_start_;
  std::unique_lock lock(watch_mutex_);
  while (!stopping_) {
    watch_cv_.wait_for(lock, limits_.poll, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    try {
      const std::int64_t revision = store_.read_value([](storage::Tx& tx) { return tx.auth().credential_revision(); });
      if (seen && revision != *seen) recheck([](const Entry&) { return true; });
      seen = revision;
      const TimePoint now = clock_.now();
      recheck([now](const Entry& e) { return e.expires_at && now >= *e.expires_at; });
    } catch (const std::exception& e) {
      log::warn("auth", "cannot read the credential revision", {{"error", e.what()}});
    }
    lock.lock();
  }
}

}  // namespace visor::auth
