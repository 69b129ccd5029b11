#pragma once
// The live-event bus that goes with a store (decision 0015). SQLite is one
// process: its events stay in memory (events::make_local_bus). PostgreSQL
// may serve several instances: their events go through the shared `events`
// table, numbered there, and every instance is woken by LISTEN/NOTIFY, so a
// stream on any instance sees every instance's events with the same ids in
// the same order.
#include <chrono>
#include <memory>
#include <string>

#include "events/bus.hpp"
#include "storage/store.hpp"

namespace visor::storage {

struct EventBusOptions {
  /// Events kept in memory and in the table (older ones are pruned); a
  /// client further behind than this gets a gap and reloads.
  std::size_t history = 4096;
  /// PostgreSQL: how often the table is read even without a notification
  /// (a notification lost with a dropped connection is made up for).
  std::chrono::milliseconds poll{1000};
  /// PostgreSQL: how often the table is pruned to `history` events.
  std::chrono::milliseconds prune_every{std::chrono::seconds(30)};
};

/// The bus for `store`, opened from the same `url`. Throws
/// Error(unavailable) when PostgreSQL cannot be reached.
std::unique_ptr<events::EventBus> open_event_bus(const Store& store, const std::string& url,
                                                 const EventBusOptions& options = {});

}  // namespace visor::storage
