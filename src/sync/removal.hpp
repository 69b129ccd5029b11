#pragma once
// Applying deletions the CMMS made to the local copy — after a read proved
// them (Connector::reconcile) and the deletion guard let them through. Nothing
// Visor holds is ever dropped:
//   task       archived and unlinked; work recorded in Visor is kept, with a
//              conflict row for the managers; live views drop it (task.deleted)
//   equipment  deactivated and unlinked (tasks and printed labels refer to it)
//   user, team, category  unlinked
//   stage      removed unless tasks still use it
// Each unlinked record's former CMMS id is remembered
// (SyncStateRepository::remember_unlinked): if the CMMS record comes back,
// the pull links it to the same local record — same QR code, same task id
// and history.
#include <vector>

#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/sync_metrics.hpp"
#include "util/clock.hpp"

namespace visor::sync {

/// Removes `gone` records of `kind` (CMMS `model`) locally, one transaction
/// each; counts them in `out.removed`. A record that cannot go (a stage still
/// in use) is kept and logged.
void remove_gone(storage::Store& store, events::EventBus& bus, const IClock& clock, SyncMetrics* metrics,
                 const std::string& model, RecordKind kind, const std::vector<GoneRecord>& gone, ModelPull& out);

}  // namespace visor::sync
