#pragma once
// Account administration as plain functions over a transaction: validation,
// permission checks (policy.hpp), the change, and its audit entry, all in the
// caller's transaction. The HTTP handlers and the CLI call these.
//
// Rules beyond the permission table:
//  - managers create and manage technician accounts only (user_manage);
//    other roles need user_admin;
//  - the last active admin can be neither disabled nor demoted (conflict);
//  - nobody disables their own account;
//  - disabling deletes the user's sessions and revokes their devices;
//    setting a password deletes the user's sessions (sign in again).
//
// Password hashing (~80 ms) happens inside the transaction: account changes
// are rare, and a retried transaction re-hashes consistently.
#include <optional>
#include <string>
#include <string_view>

#include "auth/acting.hpp"
#include "auth/password.hpp"
#include "storage/store.hpp"

namespace visor::auth {

struct NewUser {
  std::string login;  // 3–64 of [a-z0-9._@-]; uppercase input is lowercased
  std::string name;   // 1–100 characters
  std::string email;  // empty or a plausible address
  Role role = Role::technician;
  std::optional<TeamId> team;
  std::string locale = "en";  // en | fr
  Secret password;            // the password policy applies
};

/// The canonical login, or Error(invalid_input) explaining the rule.
std::string normalize_login(std::string_view login);
/// Throws Error(invalid_input) for a bad name, email or locale.
void check_display_name(std::string_view name);
void check_email(std::string_view email);
void check_locale(std::string_view locale);

/// Creates an account. Errors: invalid_input (validation), forbidden,
/// conflict (login taken), not_found (unknown team).
User create_user(storage::Tx& tx, const NewUser& user, const Acting& by, TimePoint now,
                 const PasswordCost& cost = PasswordCost::production());

/// Resets someone else's password (user_manage and may_manage; one's own
/// goes through change_own_password).
void set_password(storage::Tx& tx, UserId user, const Secret& password, const Acting& by, TimePoint now,
                  const PasswordCost& cost = PasswordCost::production());

/// A user changing their own password: `current` must match
/// (Error(invalid_input, "The current password is incorrect.") otherwise).
void change_own_password(storage::Tx& tx, UserId self, const Secret& current, const Secret& next,
                         const Acting& by, TimePoint now, const PasswordCost& cost = PasswordCost::production());

/// Changes a role (user_admin). Demoting the last active admin: conflict.
void set_role(storage::Tx& tx, UserId user, Role role, const Acting& by, TimePoint now);

/// Disables an account, ends its sessions and revokes its devices.
void disable_user(storage::Tx& tx, UserId user, const Acting& by, TimePoint now);
void enable_user(storage::Tx& tx, UserId user, const Acting& by, TimePoint now);

}  // namespace visor::auth
