#pragma once
// The mass-deletion guard. A reconcile that would remove more of a model's
// linked records than the guard allows holds: nothing is removed, the admin
// alert says what and how many, and the candidates wait in the store until
// an admin confirms (console, API, or `visor sync confirm-deletions`). The
// next reconcile then removes the confirmed records that are still gone.
//
// The decision is a plain function; what is held and what was confirmed
// live in the settings table as JSON, so the CLI and every instance see the
// same thing. See docs/decisions/0011-cmms-deletions.md.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/connector_settings.hpp"

namespace visor::sync {

/// Whether removing `gone` of `linked` records must wait for an admin:
/// more than `guard.max_records`, or more than `guard.share_percent` % of
/// the linked records when at least two would go (a single deletion never
/// holds by share: models with a handful of records would hold on each one).
bool must_hold(const DeletionGuard& guard, std::size_t gone, std::int64_t linked);

/// Deletions of one model waiting for an admin.
struct HeldDeletion {
  std::string model;
  RecordKind kind = RecordKind::task;
  std::int64_t linked = 0;
  std::vector<GoneRecord> records;
  TimePoint since{};
};

std::vector<HeldDeletion> load_held(storage::Tx& tx);
void save_held(storage::Tx& tx, const std::vector<HeldDeletion>& held);

/// CMMS ids an admin confirmed as deleted, per model.
using Approvals = std::map<std::string, std::set<std::int64_t>>;
Approvals load_approved(storage::Tx& tx);
void save_approved(storage::Tx& tx, const Approvals& approved);

/// The admin alert's sentence for held deletions ("" when none).
std::string held_message(const std::vector<HeldDeletion>& held);

}  // namespace visor::sync
