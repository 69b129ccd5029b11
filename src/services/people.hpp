#pragma once
// Account details that are not security decisions (name, e-mail, team,
// language); roles, passwords and disabling live in auth/users.hpp.
#include <optional>
#include <string>

#include "auth/users.hpp"
#include "services/context.hpp"

namespace visor::services {

struct ProfileChanges {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::optional<TeamId>> team_id;
  std::optional<std::string> locale;

  bool empty() const { return !name && !email && !team_id && !locale; }
};

/// A planner edits someone's details (team changes need user_manage, checked
/// by the caller); anyone may edit their own name and language.
User update_profile(Deps& deps, const Caller& caller, UserId id, const ProfileChanges& changes);
/// The same within the caller's transaction, for requests that also change
/// security settings (role, password, enabled): all of it or nothing.
User update_profile(storage::Tx& tx, const Caller& caller, UserId id, const ProfileChanges& changes, TimePoint now);

/// An admin creates an account; `in_cmms`: in the CMMS too (the outbox
/// delivers it; Error(conflict) when no CMMS connection is configured).
/// Publishes "user.created", which also tells the sync engine to deliver now.
User create_account(Deps& deps, const auth::NewUser& user, const auth::Acting& by, bool in_cmms,
                    const auth::PasswordCost& cost);

}  // namespace visor::services
