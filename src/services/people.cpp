#include "services/people.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_write.hpp"
#include "sync/changes.hpp"
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

User create_account(Deps& deps, const auth::NewUser& user, const auth::Acting& by, bool in_cmms,
                    const auth::PasswordCost& cost) {
  const TimePoint now = deps.clock.now();
  return deps.store.write_value([&](storage::Tx& tx) {
    if (in_cmms && !sync::cmms_connected(tx)) fail(ErrorCode::conflict, "No CMMS connection is configured.");
    User created = auth::create_user(tx, user, by, now, cost);
    if (in_cmms) sync::user_created(tx, created, now);
    events::Audience planners;
    planners.planners_only = true;
    tx.after_commit([&bus = deps.bus, payload = boost::json::serialize(api::to_json(created)), planners] {
      bus.publish("user.created", payload, planners);
    });
    return created;
  });
}

}  // namespace visor::services
