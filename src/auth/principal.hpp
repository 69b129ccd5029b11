#pragma once
// Who is making a request, as resolved by the Authenticator from a session
// cookie (browser) or a device token (glasses). Carries what handlers need
// without another store read: identity, role, team, display data.
#include <optional>
#include <string>

#include "domain/rules.hpp"

namespace visor::auth {

struct Principal {
  enum class Via { session, device };

  UserId user;
  Role role = Role::technician;
  std::optional<TeamId> team;
  std::string login;
  std::string name;
  std::string locale = "en";
  Via via = Via::session;
  std::optional<DeviceId> device;  // set when via == device
  std::string device_name;         // set when via == device
  /// The session's CSRF token (empty for devices): handed to the page so it
  /// can echo it in X-CSRF-Token on state-changing requests.
  std::string csrf_token;

  /// The subject of the domain rules (can_view, can_execute, …).
  Actor actor() const { return Actor{user, role, team}; }
  /// The audit log's actor label: the login, or "device:<device name>".
  std::string audit_label() const {
    return via == Via::device ? "device:" + device_name : login;
  }
};

}  // namespace visor::auth
