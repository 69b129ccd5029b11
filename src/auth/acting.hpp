#pragma once
// Who performs an administrative action (account changes, pairing, device
// revocation), for the permission checks and the audit entry.
#include <optional>
#include <string>
#include <string_view>

#include "auth/audit.hpp"
#include "auth/policy.hpp"
#include "auth/principal.hpp"

namespace visor::auth {

struct Acting {
  /// nullopt: the operator at the CLI (`visor user …`), who holds every
  /// permission. Requests always carry an actor.
  std::optional<Actor> actor;
  std::string label;  // login, "device:<name>" or "system"
  std::string remote_addr;

  static Acting from(const Principal& p, std::string_view remote_addr) {
    return Acting{p.actor(), p.audit_label(), std::string(remote_addr)};
  }
  static Acting system() { return Acting{std::nullopt, "system", {}}; }

  AuditSource source() const {
    return AuditSource{actor ? std::optional(actor->user) : std::nullopt, label, remote_addr};
  }
};

/// `require` for administrative actions: the CLI (no actor) holds everything.
inline void require(const Acting& by, Permission p) {
  if (by.actor) require(by.actor, p);
}

/// `may_manage` for administrative actions: the CLI manages everyone.
inline bool may_manage(const Acting& by, UserId target, Role target_role) {
  return !by.actor || may_manage(*by.actor, target, target_role);
}

}  // namespace visor::auth
