#pragma once
// The one place where access is decided: which role holds which permission,
// from a single table (policy.cpp). Handlers ask `allows`/`require` for a
// permission; per-record rules (which task a technician may see or work on)
// stay in domain/rules.hpp, and who may manage whose account or device is
// `may_manage` below.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/rules.hpp"

namespace visor::auth {

enum class Permission : std::uint32_t {
  public_access,   // no principal needed: health, login, the public problem-report form
  authenticated,   // any signed-in principal: "me", locale, logout
  task_read,       // list and open tasks (narrowed per record by can_view)
  task_execute,    // start/pause/resume/complete, steps, notes, photos (narrowed by can_execute)
  task_report,     // report a new fault (a corrective task)
  task_plan,       // create, reschedule, assign, archive, delete tasks
  equipment_read,  // equipment, QR label lookups, documents
  equipment_write, // edit equipment (location, QR code), print labels
  catalog_read,    // stages, teams, categories, users' display names
  user_read,       // the people list with roles, teams and devices
  user_manage,     // create, edit, disable technician accounts; reset their passwords
  user_admin,      // any account and any role (incl. managers and admins)
  device_pair,     // create pairing codes (managers: for technicians and themselves)
  device_admin,    // list and revoke devices
  settings_admin,  // CMMS connection, API key, security settings
  sync_read,       // sync status, outbox and conflicts (read)
  sync_admin,      // run a sync, requeue failed outbox messages, review conflicts
  audit_read,      // the audit log
  reports_read,    // KPIs and reports
  events_read,     // the live event stream (SSE), filtered per record like task_read
};

/// Every permission, in declaration order (for tests and documentation).
inline constexpr std::array kAllPermissions = {
    Permission::public_access, Permission::authenticated, Permission::task_read,     Permission::task_execute,
    Permission::task_report,   Permission::task_plan,     Permission::equipment_read, Permission::equipment_write,
    Permission::catalog_read,  Permission::user_read,     Permission::user_manage,   Permission::user_admin,
    Permission::device_pair,   Permission::device_admin,  Permission::settings_admin, Permission::sync_read,
    Permission::sync_admin,    Permission::audit_read,    Permission::reports_read,  Permission::events_read,
};

/// Every role, lowest privilege first.
inline constexpr std::array kAllRoles = {Role::technician, Role::manager, Role::admin};

/// "task_read", … (stable: used in logs and the access-matrix docs).
std::string_view to_string(Permission p);

/// True when `role` holds `p`. `public_access` is held by every role.
bool allows(Role role, Permission p);

/// The check for a request: `public_access` needs no principal, everything
/// else needs one holding `p`. nullopt actor = anonymous.
bool allows(const std::optional<Actor>& actor, Permission p);

/// Throws Error(unauthenticated) for an anonymous caller and
/// Error(forbidden, "You are not allowed to …") when the role lacks `p`.
void require(const std::optional<Actor>& actor, Permission p);

/// Whether `actor` may manage the account (or devices) of a user holding
/// `target_role`: admins manage everyone; managers themselves and
/// technicians; technicians only themselves. Prevents a manager from minting
/// a device token that acts as an admin, or resetting a peer's password.
bool may_manage(const Actor& actor, UserId target, Role target_role);

}  // namespace visor::auth
