#include "auth/policy.hpp"

#include "util/error.hpp"

namespace visor::auth {
namespace {

using Mask = std::uint64_t;

constexpr Mask bit(Permission p) { return Mask{1} << static_cast<std::uint32_t>(p); }

template <class... P>
constexpr Mask bits(P... p) {
  return (bit(p) | ...);
}

static_assert(kAllPermissions.size() < 64, "the table is a 64-bit mask");

// THE table. Every change here must also change tests/unit/auth/policy_test.cpp.
constexpr Mask kTechnician =
    bits(Permission::public_access, Permission::authenticated, Permission::task_read, Permission::task_execute,
         Permission::task_report, Permission::equipment_read, Permission::catalog_read, Permission::events_read);

constexpr Mask kManager =
    kTechnician | bits(Permission::task_plan, Permission::equipment_write, Permission::user_read,
                       Permission::user_manage, Permission::device_pair, Permission::device_admin,
                       Permission::sync_read, Permission::audit_read, Permission::reports_read);

constexpr Mask kAdmin = [] {
  Mask all = 0;
  for (Permission p : kAllPermissions) all |= bit(p);
  return all;
}();

constexpr Mask mask_of(Role role) {
  switch (role) {
    case Role::technician: return kTechnician;
    case Role::manager: return kManager;
    case Role::admin: return kAdmin;
  }
  return 0;
}

int rank(Role role) {
  switch (role) {
    case Role::technician: return 0;
    case Role::manager: return 1;
    case Role::admin: return 2;
  }
  return 0;
}

}  // namespace

std::string_view to_string(Permission p) {
  switch (p) {
    case Permission::public_access: return "public_access";
    case Permission::authenticated: return "authenticated";
    case Permission::task_read: return "task_read";
    case Permission::task_execute: return "task_execute";
    case Permission::task_report: return "task_report";
    case Permission::task_plan: return "task_plan";
    case Permission::equipment_read: return "equipment_read";
    case Permission::equipment_write: return "equipment_write";
    case Permission::catalog_read: return "catalog_read";
    case Permission::user_read: return "user_read";
    case Permission::user_manage: return "user_manage";
    case Permission::user_admin: return "user_admin";
    case Permission::device_pair: return "device_pair";
    case Permission::device_admin: return "device_admin";
    case Permission::settings_admin: return "settings_admin";
    case Permission::sync_read: return "sync_read";
    case Permission::sync_admin: return "sync_admin";
    case Permission::audit_read: return "audit_read";
    case Permission::reports_read: return "reports_read";
    case Permission::events_read: return "events_read";
  }
  return "unknown";
}

bool allows(Role role, Permission p) { return (mask_of(role) & bit(p)) != 0; }

bool allows(const std::optional<Actor>& actor, Permission p) {
  if (p == Permission::public_access) return true;
  return actor.has_value() && allows(actor->role, p);
}

void require(const std::optional<Actor>& actor, Permission p) {
  if (allows(actor, p)) return;
  if (!actor) fail(ErrorCode::unauthenticated, "Please sign in.");
  fail(ErrorCode::forbidden, "You are not allowed to do this (needs " + std::string(to_string(p)) + ").");
}

bool may_manage(const Actor& actor, UserId target, Role target_role) {
  if (actor.user == target) return true;
  if (actor.role == Role::admin) return true;
  return actor.role == Role::manager && rank(target_role) < rank(Role::manager);
}

}  // namespace visor::auth
