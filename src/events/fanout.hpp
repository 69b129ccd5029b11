#pragma once
// The part every bus shares: a bounded history of events (a ring) and the
// live subscriptions reading it, each with its own cursor, receiving only
// the events its actor may see (visible_to). The in-process bus numbers its
// events itself (publish_next); the PostgreSQL bus appends the events it
// read from the shared table, numbered there (append), so every instance
// delivers the same ids in the same order.
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "events/bus.hpp"

namespace visor::events {

class Fanout {
 public:
  explicit Fanout(std::size_t history);
  ~Fanout();
  Fanout(const Fanout&) = delete;
  Fanout& operator=(const Fanout&) = delete;

  /// Numbers the event last_id() + 1, keeps it and wakes the subscribers who may see it.
  std::uint64_t publish_next(std::string type, std::string data, Audience audience);
  /// Keeps events numbered elsewhere, in order; those not newer than
  /// last_id() are skipped. Wakes every subscriber when one was kept.
  void append(std::vector<Event> events);
  /// Moves last_id() forward without events (the history was pruned
  /// before this process read it): a subscriber behind it gets a gap.
  void skip_to(std::uint64_t id);

  /// Events after `last_event_id` (0, or one not yet seen here: only new
  /// ones) visible to `actor` are delivered; `wake` is called from the
  /// thread that added events.
  std::unique_ptr<Subscription> subscribe(const Actor& actor, std::uint64_t last_event_id,
                                          std::function<void()> wake);
  std::uint64_t last_id() const;
  std::size_t subscribers() const;

 private:
  class Sub;
  void push(Event event);  // under the unique lock
  // Under the unique lock, after push: the subscribers who may see the
  // newest event are added to `to_wake` (once each); those who may not and
  // had read everything before it move past it, so events they never see
  // cannot age their cursor out of the history (a spurious resync).
  void route_newest(std::uint64_t previous_last, std::vector<Sub*>& to_wake);
  Subscription::Batch drain(Sub& sub);
  void unsubscribe(Sub& sub);

  const std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::deque<Event> ring_;
  std::uint64_t last_id_ = 0;
  std::list<Sub*> subs_;
};

}  // namespace visor::events
