#pragma once
// events::EventBus across the instances sharing one PostgreSQL database.
//
// publish() appends the event to the `events` table in one statement that
// takes the next number from the `event_counter` row (held until commit, so
// ids commit in increasing order) and NOTIFYs `visor_events`. Each instance
// has one listening connection on a thread of its own; on a notification
// (or every `poll`, in case one was lost) it reads the rows after the last
// id it holds into an events::Fanout, which applies the audiences exactly as
// the in-process bus does. publish() reads back up to its own event before
// returning, so the publisher's own streams see it at once.
#include <atomic>
#include <mutex>
#include <thread>

#include "events/fanout.hpp"
#include "storage/event_bus.hpp"
#include "storage/postgres/pool.hpp"

namespace visor::storage::postgres {

class PgEventBus final : public events::EventBus {
 public:
  /// Connects, loads the newest `history` events and starts listening.
  /// Throws Error(unavailable) when PostgreSQL cannot be reached.
  PgEventBus(std::string url, const EventBusOptions& options);
  /// Stops the listener.
  ~PgEventBus() override;
  PgEventBus(const PgEventBus&) = delete;
  PgEventBus& operator=(const PgEventBus&) = delete;

  std::uint64_t publish(std::string type, std::string data, events::Audience audience) override;
  std::unique_ptr<events::Subscription> subscribe(const Actor& actor, std::uint64_t last_event_id,
                                                  std::function<void()> wake) override;
  std::uint64_t last_id() const override { return fanout_.last_id(); }
  std::size_t subscribers() const override { return fanout_.subscribers(); }

  /// Reads the events published since the last read (by any instance).
  void refresh();
  /// Deletes all but the newest `history` events from the table.
  void prune();

 private:
  void listen();
  bool wait_for_stop(std::chrono::milliseconds d);

  const std::string url_;
  const EventBusOptions options_;
  Pool pool_;
  events::Fanout fanout_;
  std::mutex refresh_mutex_;  // one reader of the table at a time
  std::atomic<bool> stopping_{false};
  int stop_fd_ = -1;  // an eventfd that wakes the listener to stop
  std::thread listener_;
};

}  // namespace visor::storage::postgres
