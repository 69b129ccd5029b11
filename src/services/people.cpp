#include "services/people.hpp"

#include "auth/users.hpp"
#include "util/error.hpp"

namespace visor::services {

User update_profile(storage::Tx& tx, const Caller& caller, UserId id, const ProfileChanges& c, TimePoint now) {
  const bool self = caller.actor.user == id;
  if (!self && !caller.actor.plans()) fail(ErrorCode::forbidden, "You can only change your own profile.");
  if (self && !caller.actor.plans() && (c.team_id || c.email))
    fail(ErrorCode::forbidden, "Ask a manager to change your team or e-mail.");
  if (c.name) auth::check_display_name(*c.name);
  if (c.email) auth::check_email(*c.email);
  if (c.locale) auth::check_locale(*c.locale);
  std::optional<User> user = tx.users().get(id);
  if (!user) not_found("User " + std::to_string(id.value) + " does not exist.");
  if (c.team_id && *c.team_id && !tx.catalog().team(**c.team_id)) invalid("team_id does not exist.");
  if (c.name) user->name = *c.name;
  if (c.email) user->email = *c.email;
  if (c.team_id) user->team_id = *c.team_id;
  if (c.locale) user->locale = *c.locale;
  tx.users().update(*user);
  audit(tx, caller, now, "user.profile", "user", std::to_string(id.value));
  return *user;
}

User update_profile(Deps& deps, const Caller& caller, UserId id, const ProfileChanges& c) {
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](storage::Tx& tx) { return update_profile(tx, caller, id, c, now); });
}

}  // namespace visor::services
