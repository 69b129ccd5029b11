#pragma once
// The open live-event streams and the credentials they run on.
//
// A stream outlives the request that opened it, so the checks made at that
// request are not enough. LiveStreams keeps every open stream with its
// credential (session cookie or device token, by hash) and the actor it was
// admitted as, and ends it — within a second — as soon as the credential no
// longer resolves to that actor: a session logged out or deleted by a
// password reset, a device revoked, an account disabled, a role or team
// changed. Changes made through this process reach it at once (the
// Authenticator reports them); changes made elsewhere (the CLI, another
// instance on PostgreSQL) through the store's credential revision, which a
// watcher thread polls. A session that expires ends its streams too.
//
// Streams are also admitted within two caps, so that no caller can take the
// server's file descriptors: per user (429) and in total (503). The total is
// derived from the open-file limit (see stream_capacity).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "auth/authenticator.hpp"

namespace visor::auth {

/// Streams may hold half of the descriptors left after a reserve (listener,
/// database, logs, media files and ordinary requests): (nofile - 64) / 2,
/// at least 1.
std::size_t stream_capacity(std::uint64_t open_file_limit);

struct StreamLimits {
  std::size_t per_user = 16;
  std::size_t total = 1000;
  /// How often the credential revision is read for changes made elsewhere.
  std::chrono::milliseconds poll{250};
};

class LiveStreams {
 public:
  /// Registers with `auth` for its change reports. Starts the watcher.
  LiveStreams(storage::Store& store, Authenticator& auth, const IClock& clock, StreamLimits limits = {});
  /// Stops the watcher and unregisters.
  ~LiveStreams();
  LiveStreams(const LiveStreams&) = delete;
  LiveStreams& operator=(const LiveStreams&) = delete;

  /// An admitted stream's place; leaving it (destroying the ticket) frees
  /// the place.
  class Ticket {
   public:
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    friend class LiveStreams;
    Ticket(LiveStreams& owner, std::uint64_t id) : owner_(owner), id_(id) {}
    LiveStreams& owner_;
    std::uint64_t id_;
  };

  enum class Refusal { user_full, server_full };
  struct Admission {
    std::unique_ptr<Ticket> ticket;  // null when refused
    std::optional<Refusal> refused;
  };

  /// Admits a stream of `principal`, who presented `token` (the raw cookie
  /// value or bearer token). `end` is called at most once, from any
  /// thread, when the credential stops allowing the stream — possibly just
  /// as the stream goes away: it should hold the stream by a weak reference.
  Admission admit(const Principal& principal, std::string_view token, std::function<void()> end);

  std::size_t open() const;
  const StreamLimits& limits() const { return limits_; }

 private:
  struct Entry {
    Principal::Via via;
    std::string token_hash;
    Actor actor;
    std::optional<DeviceId> device;
    std::optional<TimePoint> expires_at;
    std::function<void()> end;
  };
  using Filter = std::function<bool(const Entry&)>;

  void leave(std::uint64_t id);
  void changed(const CredentialChange& change);
  /// Re-resolves the credential of every entry matching `filter` from the
  /// store and ends those that no longer hold.
  void recheck(const Filter& filter);
  void watch();

  storage::Store& store_;
  Authenticator& auth_;
  const IClock& clock_;
  StreamLimits limits_;

  mutable std::mutex mutex_;
  std::map<std::uint64_t, Entry> entries_;
  std::map<UserId, std::size_t> per_user_;
  std::uint64_t next_id_ = 1;

  std::optional<std::int64_t> seen_at_start_;
  std::mutex watch_mutex_;
  std::condition_variable watch_cv_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace visor::auth
