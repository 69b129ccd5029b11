#pragma once
// Live events: every change a subscriber may see, in order, with ids that a
// reconnecting client sends back (SSE Last-Event-ID) to resume.
//
// The bus keeps a bounded history (a ring) rather than a queue per
// subscriber, so an idle subscriber costs a cursor and a callback. A
// subscriber that falls further behind than the history gets `gap = true`
// and should reload its view. The PostgreSQL fan-out across instances
// (LISTEN/NOTIFY) implements the same interface.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/ids.hpp"
#include "domain/rules.hpp"

namespace visor::events {

/// Who may see an event. Planners (managers, admins) see every event unless
/// `admins_only`; a technician sees it when they are in `users` or their team
/// is `team`.
struct Audience {
  std::vector<UserId> users;
  std::optional<TeamId> team;
  bool planners_only = false;
  bool admins_only = false;
  bool everyone = false;  // e.g. stage list changes
};

bool visible_to(const Audience& audience, const Actor& actor);

struct Event {
  std::uint64_t id = 0;  // assigned by the bus, strictly increasing
  std::string type;      // "task.created", "task.changed", "step.done", …
  std::string data;      // a JSON object
  Audience audience;
};

/// A live subscription. `wake` (given at subscribe time) is called from the
/// publishing thread whenever new events may be available; the subscriber
/// then calls `drain()` from its own thread.
class Subscription {
 public:
  virtual ~Subscription() = default;
  struct Batch {
    std::vector<Event> events;
    bool gap = false;  // events were lost: history no longer reaches back
  };
  /// Events visible to the subscriber since the last drain (or since the
  /// `last_event_id` given to subscribe).
  virtual Batch drain() = 0;
};

class EventBus {
 public:
  virtual ~EventBus() = default;
  /// Publishes an event; returns its id. Thread-safe, never blocks on
  /// subscribers.
  virtual std::uint64_t publish(std::string type, std::string data, Audience audience) = 0;
  /// Subscribes `actor`; events after `last_event_id` (0: only new ones) are
  /// delivered. The subscription ends when the returned object is destroyed.
  virtual std::unique_ptr<Subscription> subscribe(const Actor& actor, std::uint64_t last_event_id,
                                                  std::function<void()> wake) = 0;
  /// The id of the newest event (0 when none).
  virtual std::uint64_t last_id() const = 0;
  virtual std::size_t subscribers() const = 0;
};

/// An in-process bus with a history of `history` events.
std::unique_ptr<EventBus> make_local_bus(std::size_t history = 4096);

}  // namespace visor::events
