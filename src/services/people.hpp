#pragma once
// Account details that are not security decisions (name, e-mail, team,
// language); roles, passwords and disabling live in auth/users.hpp.
#include <optional>
#include <string>

#include "services/context.hpp"

namespace visor::services {

struct ProfileChanges {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::optional<TeamId>> team_id;
  std::optional<std::string> locale;
};

/// A planner edits someone's details (team changes need user_manage, checked
/// by the caller); anyone may edit their own name and language.
User update_profile(Deps& deps, const Caller& caller, UserId id, const ProfileChanges& changes);

}  // namespace visor::services
