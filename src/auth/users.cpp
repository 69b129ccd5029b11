#include "auth/users.hpp"

#include <algorithm>

#include "auth/policy.hpp"
#include "auth/text.hpp"
#include "util/error.hpp"

namespace visor::auth {
namespace {

User load(storage::Tx& tx, UserId id) {
  auto user = tx.users().get(id);
  if (!user) not_found("No such user.");
  return std::move(*user);
}

// The caller may manage this account at all (user_manage + may_manage).
void require_manage(const Acting& by, const User& target) {
  require(by, Permission::user_manage);
  if (!may_manage(by, target.id, target.role)) {
    fail(ErrorCode::forbidden, "Only an administrator can change a manager's or an administrator's account.");
  }
}

int active_admins(storage::Tx& tx) {
  const auto users = tx.users().list(false);
  return static_cast<int>(std::count_if(users.begin(), users.end(),
                                        [](const User& u) { return u.active && u.role == Role::admin; }));
}

void check_not_last_admin(storage::Tx& tx, const User& target, std::string_view what) {
  if (target.active && target.role == Role::admin && active_admins(tx) <= 1) {
    fail(ErrorCode::conflict, "This is the last active administrator: " + std::string(what) +
                                  " would leave nobody able to administer Visor. Make someone else an "
                                  "administrator first.");
  }
}

std::string id_text(UserId id) { return std::to_string(id.value); }

}  // namespace

std::string normalize_login(std::string_view login) {
  const std::string out = ascii_lower(trim(login));
  if (out.size() < 3 || out.size() > 64) invalid("The login must be 3 to 64 characters long.");
  for (char c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) invalid("The login may contain only letters a–z, digits and . _ @ -");
  }
  return out;
}

void check_display_name(std::string_view name) {
  name = trim(name);
  const auto length = utf8_length(name);
  if (!length || has_control_chars(name)) invalid("The name must be plain text.");
  if (*length < 1 || *length > 100) invalid("The name must be 1 to 100 characters long.");
}

void check_email(std::string_view email) {
  if (email.empty()) return;
  const auto at = email.find('@');
  const bool shape = email.size() <= 254 && at != std::string_view::npos && at > 0 && at <= 64 &&
                     email.find('@', at + 1) == std::string_view::npos;
  const std::string_view domain = shape ? email.substr(at + 1) : std::string_view{};
  const bool domain_ok = domain.size() >= 3 && domain.find('.') != std::string_view::npos &&
                         domain.front() != '.' && domain.back() != '.' && domain.find("..") == std::string_view::npos;
  if (!shape || !domain_ok || !utf8_length(email) || has_control_chars(email) ||
      email.find_first_of(" \t<>()[],;:\"\\") != std::string_view::npos) {
    invalid("The email address is not valid (expected name@example.com, or leave it empty).");
  }
}

void check_locale(std::string_view locale) {
  if (locale != "en" && locale != "fr") invalid("The language must be \"en\" or \"fr\".");
}

User create_user(storage::Tx& tx, const NewUser& input, const Acting& by, TimePoint now, const PasswordCost& cost) {
  require(by, Permission::user_manage);
  if (input.role != Role::technician) require(by, Permission::user_admin);

  User user;
  user.login = normalize_login(input.login);
  check_display_name(input.name);
  user.name = std::string(trim(input.name));
  user.email = std::string(trim(input.email));
  check_email(user.email);
  check_locale(input.locale);
  user.locale = input.locale;
  check_password_policy(input.password, user.login);
  user.role = input.role;
  user.team_id = input.team;
  user.active = true;
  user.created_at = now;
  if (user.team_id && !tx.catalog().team(*user.team_id)) not_found("No such team.");
  if (tx.users().get_by_login(user.login)) fail(ErrorCode::conflict, "The login \"" + user.login + "\" is taken.");

  tx.users().insert(user, hash_password(input.password, cost));
  audit(tx, now, by.source(), "user.create", "user", id_text(user.id),
        {{"login", user.login}, {"role", std::string(to_string(user.role))}});
  return user;
}

namespace {

void store_password(storage::Tx& tx, const User& user, const Secret& password, const Acting& by, TimePoint now,
                    const PasswordCost& cost, bool self) {
  check_password_policy(password, user.login);
  tx.users().set_password_hash(user.id, hash_password(password, cost));
  tx.auth().delete_sessions_of(user.id);
  audit(tx, now, by.source(), "user.set_password", "user", id_text(user.id), {{"self", self ? "true" : "false"}});
}

}  // namespace

void set_password(storage::Tx& tx, UserId id, const Secret& password, const Acting& by, TimePoint now,
                  const PasswordCost& cost) {
  if (by.actor && by.actor->user == id) {
    fail(ErrorCode::forbidden, "To change your own password, give your current password.");
  }
  const User user = load(tx, id);
  require_manage(by, user);
  store_password(tx, user, password, by, now, cost, false);
}

void change_own_password(storage::Tx& tx, UserId self, const Secret& current, const Secret& next, const Acting& by,
                         TimePoint now, const PasswordCost& cost) {
  if (!by.actor || by.actor->user != self) fail(ErrorCode::forbidden, "You can only change your own password.");
  const User user = load(tx, self);
  if (!verify_password(tx.users().password_hash(self), current)) invalid("The current password is incorrect.");
  store_password(tx, user, next, by, now, cost, true);
}

void set_role(storage::Tx& tx, UserId id, Role role, const Acting& by, TimePoint now) {
  require(by, Permission::user_admin);
  User user = load(tx, id);
  if (user.role == role) return;
  if (user.role == Role::admin) check_not_last_admin(tx, user, "demoting them");
  const Role before = user.role;
  user.role = role;
  tx.users().update(user);
  audit(tx, now, by.source(), "user.set_role", "user", id_text(id),
        {{"from", std::string(to_string(before))}, {"to", std::string(to_string(role))}});
}

void disable_user(storage::Tx& tx, UserId id, const Acting& by, TimePoint now) {
  User user = load(tx, id);
  require_manage(by, user);
  if (by.actor && by.actor->user == id) fail(ErrorCode::conflict, "You cannot disable your own account.");
  if (!user.active) return;
  check_not_last_admin(tx, user, "disabling them");
  user.active = false;
  tx.users().update(user);
  tx.auth().delete_sessions_of(id);
  int revoked = 0;
  for (const auto& device : tx.auth().devices(id)) {
    if (device.revoked_at) continue;
    tx.auth().revoke_device(device.id, now);
    ++revoked;
  }
  audit(tx, now, by.source(), "user.disable", "user", id_text(id),
        {{"login", user.login}, {"devices_revoked", std::to_string(revoked)}});
}

void enable_user(storage::Tx& tx, UserId id, const Acting& by, TimePoint now) {
  User user = load(tx, id);
  require_manage(by, user);
  if (user.active) return;
  user.active = true;
  tx.users().update(user);
  audit(tx, now, by.source(), "user.enable", "user", id_text(id), {{"login", user.login}});
}

}  // namespace visor::auth
