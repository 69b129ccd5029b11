#include "services/people.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "auth/pairing.hpp"
#include "auth/policy.hpp"
#include "sync/changes.hpp"
#include "util/error.hpp"

namespace visor::services {
namespace json = boost::json;

namespace {

auth::Acting acting(const Caller& caller) { return auth::Acting{caller.actor, caller.label, caller.remote_addr}; }

json::value team_value(const std::optional<TeamId>& team) { return team ? json::value(team->value) : json::value(nullptr); }

// {"name": {"from": "A", "to": "B"}, …} for each field that changes.
json::object changed_fields(const User& before, const User& after) {
  json::object out;
  const auto field = [&](std::string_view key, json::value from, json::value to) {
    if (from != to) out[key] = json::object{{"from", std::move(from)}, {"to", std::move(to)}};
  };
  field("name", json::value(before.name), json::value(after.name));
  field("email", json::value(before.email), json::value(after.email));
  field("team_id", team_value(before.team_id), team_value(after.team_id));
  field("locale", json::value(before.locale), json::value(after.locale));
  return out;
}

}  // namespace

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
  if (!self && !auth::may_manage(caller.actor, user->id, user->role))
    fail(ErrorCode::forbidden, "Only an administrator can change a manager's or an administrator's profile.");
  if (c.team_id && *c.team_id && !tx.catalog().team(**c.team_id)) invalid("team_id does not exist.");
  const User before = *user;
  if (c.name) user->name = *c.name;
  if (c.email) user->email = *c.email;
  if (c.team_id) user->team_id = *c.team_id;
  if (c.locale) user->locale = *c.locale;
  const json::object changes = changed_fields(before, *user);
  if (changes.empty()) return *user;
  tx.users().update(*user);
  audit(tx, caller, now, "user.profile", "user", std::to_string(id.value), json::serialize(changes));
  return *user;
}

User Accounts::create(const Caller& caller, const NewAccount& account) {
  // As in the original design, an admin may create the account in the CMMS
  // too; the outbox delivers it in the same transaction's order.
  if (account.create_in_odoo) auth::require(caller.actor, auth::Permission::settings_admin);
  const TimePoint now = deps_.clock.now();
  return deps_.store.write_value([&](storage::Tx& tx) {
    if (account.create_in_odoo && !sync::cmms_connected(tx))
      fail(ErrorCode::conflict, "No CMMS connection is configured.");
    User created = auth::create_user(tx, account.user, acting(caller), now, auth_.options().password_cost);
    if (account.create_in_odoo) sync::user_created(tx, created, now);
    // "user.created" also tells the sync engine to deliver now.
    events::Audience planners;
    planners.planners_only = true;
    tx.after_commit([&bus = deps_.bus, payload = json::serialize(api::to_json(created)), planners] {
      bus.publish("user.created", payload, planners);
    });
    return created;
  });
}

// Role, password reset, enabling and disabling are security decisions taken
// by auth/users; name, e-mail, team and language by update_profile.
User Accounts::update(const Caller& caller, UserId id, const AccountChanges& c) {
  auth::require(caller.actor, auth::Permission::user_manage);
  const TimePoint now = deps_.clock.now();
  const auto by = acting(caller);
  const User user = deps_.store.write_value([&](storage::Tx& tx) {
    if (c.role) auth::set_role(tx, id, *c.role, by, now);
    if (c.password) auth::set_password(tx, id, *c.password, by, now, auth_.options().password_cost);
    if (c.active) {
      if (*c.active) auth::enable_user(tx, id, by, now);
      else auth::disable_user(tx, id, by, now);
    }
    if (!c.profile.empty()) update_profile(tx, caller, id, c.profile, now);
    auto stored = tx.users().get(id);
    if (!stored) not_found("User " + std::to_string(id.value) + " does not exist.");
    return *stored;
  });
  auth_.forget_user(id);
  return user;
}

void Accounts::update_own(const Caller& caller, const OwnChanges& c) {
  const UserId self = caller.actor.user;
  if (c.device_profile) {
    if (!caller.device) invalid("profile can only be set from a paired device.");
    auth::check_device_profile(*c.device_profile);
  }
  if (c.current_password.has_value() != c.new_password.has_value())
    api::throw_required(c.current_password ? "new_password" : "current_password");
  const TimePoint now = deps_.clock.now();
  deps_.store.write([&](storage::Tx& tx) {
    if (!c.profile.empty()) update_profile(tx, caller, self, c.profile, now);
    if (c.device_profile) {
      tx.auth().set_device_profile(*caller.device, *c.device_profile);
      auth::remember_fleet_profile(tx, *c.device_profile);  // the next glasses get it too
    }
    if (c.new_password) {
      auth::change_own_password(tx, self, *c.current_password, *c.new_password, acting(caller), now,
                                auth_.options().password_cost);
    }
  });
  auth_.forget_user(self);
}

}  // namespace visor::services
