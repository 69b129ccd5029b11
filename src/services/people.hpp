#pragma once
// People: account details (name, e-mail, team, language), and the account
// use cases the API calls — create an account, change one (details, role,
// password, enabled) and change one's own. Each is one transaction applying
// the security rules of auth/users.hpp and the profile rules below; after it
// commits, the authenticator forgets what it cached of the account and ends
// the live streams the change no longer allows.
#include <optional>
#include <string>

#include "auth/authenticator.hpp"
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

/// Someone's details, within the caller's transaction. Anyone may edit
/// their own name and language; planners edit others' details, but only of
/// the accounts they may manage (auth::may_manage: a manager edits
/// technicians and themselves, never an admin's or another manager's
/// profile). The audit entry `user.profile` names each changed field with
/// its old and new value.
User update_profile(storage::Tx& tx, const Caller& caller, UserId id, const ProfileChanges& changes, TimePoint now);

struct NewAccount {
  auth::NewUser user;
  /// Also create the user in the CMMS (admins only; needs a connection).
  bool create_in_odoo = false;
};

struct AccountChanges {
  ProfileChanges profile;
  std::optional<Role> role;
  std::optional<bool> active;
  std::optional<Secret> password;  // a reset by someone else
};

struct OwnChanges {
  ProfileChanges profile;              // name and locale only
  std::optional<std::string> device_profile;  // from a paired device only; becomes the fleet's
  std::optional<Secret> current_password;
  std::optional<Secret> new_password;
};

/// The account use cases. Cheap to build per call.
class Accounts {
 public:
  Accounts(Deps& deps, auth::Authenticator& auth) : deps_(deps), auth_(auth) {}

  /// Errors: those of auth::create_user; forbidden for create_in_odoo
  /// without settings_admin; conflict when no CMMS is configured for it.
  /// Publishes "user.created" (which also tells the sync engine to deliver).
  User create(const Caller& caller, const NewAccount& account);
  /// All of it or nothing: a request that fails in part changes nothing.
  User update(const Caller& caller, UserId id, const AccountChanges& changes);
  /// The caller's own account; a wrong current password changes nothing.
  void update_own(const Caller& caller, const OwnChanges& changes);

 private:
  Deps& deps_;
  auth::Authenticator& auth_;
};

}  // namespace visor::services
