#pragma once
// What every use case needs, passed explicitly: the store, the event bus and
// the clock (wired once in app/). No globals, so tests substitute each one.
#include <optional>
#include <string>

#include "domain/rules.hpp"
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"

namespace visor::services {

struct Deps {
  storage::Store& store;
  events::EventBus& bus;
  const IClock& clock;
};

/// Who is calling and from where (for rules, audit and events).
struct Caller {
  Actor actor;
  std::string label;  // login, "device:<name>", "public", "system"
  std::string remote_addr;
  std::optional<DeviceId> device;

  static Caller system() { return Caller{Actor{UserId{0}, Role::admin, std::nullopt}, "system", "", std::nullopt}; }
};

/// Appends an audit entry in the current transaction.
void audit(storage::Tx& tx, const Caller& caller, TimePoint at, std::string action, std::string target_type,
           std::string target_id, std::string detail_json = "{}");

}  // namespace visor::services
