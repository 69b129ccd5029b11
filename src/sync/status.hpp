#pragma once
// The sync status as GET /api/v1/sync/status and `visor sync status` show it,
// built from the store: the engine that holds the sync lease keeps its state
// there (EngineState, written when it changes and at least every 30 s), so a
// CLI process reports what the running server is doing, not a fresh engine of
// its own. A status is never "ok" while an admin alert is raised, deletions
// wait for a confirmation, or a message is parked.
#include <map>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "storage/store.hpp"
#include "util/clock.hpp"

namespace visor::sync {

struct EngineAlert {
  std::string kind;  // auth, access, config, deletions_held
  std::string message;
  TimePoint since{};
  bool operator==(const EngineAlert&) const = default;
};

/// What the syncing engine knows beyond the store's own records.
struct EngineState {
  std::string instance;  // the lease holder that wrote it
  std::string server;    // "Odoo 19.0 (json2)"; empty before connecting
  std::optional<TimePoint> last_cycle;
  std::optional<TimePoint> last_success;
  std::string last_error;
  std::optional<EngineAlert> alert;
  std::map<std::string, std::int64_t> failures;  // by CmmsError kind, since the engine started
};

std::optional<EngineState> load_engine_state(storage::Tx& tx);
void save_engine_state(storage::Tx& tx, const EngineState& state);

/// Who holds the sync lease and until when.
struct Lease {
  std::string holder;
  TimePoint until{};
};
std::optional<Lease> load_lease(storage::Tx& tx);

/// The status document. `live`: the state of an engine running in this
/// process (fresher than the stored one); `running_here`: its thread runs.
boost::json::object sync_status(storage::Store& store, const IClock& clock, std::chrono::seconds default_poll,
                                const std::optional<EngineState>& live = std::nullopt, bool running_here = false);

}  // namespace visor::sync
