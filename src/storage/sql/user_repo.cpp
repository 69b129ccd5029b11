// UserRepository: local accounts (login unique, case-insensitive).
#include <string>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

#define VISOR_USER_COLUMNS "id, odoo_id, login, name, email, role, team_id, locale, active, created_at"

constexpr std::string_view kGet = "SELECT " VISOR_USER_COLUMNS " FROM users WHERE id = $1";
// lower(login) on both sides: served by the unique index users_login_key.
constexpr std::string_view kGetByLogin = "SELECT " VISOR_USER_COLUMNS " FROM users WHERE lower(login) = lower($1)";
constexpr std::string_view kGetByOdoo = "SELECT " VISOR_USER_COLUMNS " FROM users WHERE odoo_id = $1";
constexpr std::string_view kListAll = "SELECT " VISOR_USER_COLUMNS " FROM users ORDER BY name, id";
constexpr std::string_view kListActive = "SELECT " VISOR_USER_COLUMNS " FROM users WHERE active ORDER BY name, id";
constexpr std::string_view kLoginTaken = "SELECT id FROM users WHERE lower(login) = lower($1) AND id <> $2";
constexpr std::string_view kOdooTaken = "SELECT id FROM users WHERE odoo_id = $1 AND id <> $2";
constexpr std::string_view kInsert =
    "INSERT INTO users (odoo_id, login, name, email, role, team_id, locale, active, created_at, password_hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
constexpr std::string_view kUpdate =
    "UPDATE users SET odoo_id = $1, login = $2, name = $3, email = $4, role = $5, team_id = $6, locale = $7, "
    "active = $8 WHERE id = $9";
constexpr std::string_view kPasswordHash = "SELECT password_hash FROM users WHERE id = $1";
constexpr std::string_view kSetPasswordHash = "UPDATE users SET password_hash = $2 WHERE id = $1";

#undef VISOR_USER_COLUMNS

User read_user(const Rows& r) {
  Fields f(r);
  User u;
  u.id = f.id<UserId>();
  u.odoo_id = f.opt_id<OdooId>();
  u.login = f.str();
  u.name = f.str();
  u.email = f.str();
  const std::string role = f.str();
  u.role = stored_enum(parse_role(role), "role", role);
  u.team_id = f.opt_id<TeamId>();
  u.locale = f.str();
  u.active = f.flag();
  u.created_at = f.time();
  return u;
}

std::optional<User> one(Rows rows) {
  if (!rows.next()) return std::nullopt;
  return read_user(rows);
}

std::string missing(UserId id) { return "User " + std::to_string(id.value) + " does not exist."; }

}  // namespace

std::optional<User> SqlUserRepository::get(UserId id) { return one(ctx_.db().query(kGet, {arg(id)})); }

std::optional<User> SqlUserRepository::get_by_login(std::string_view login) {
  return one(ctx_.db().query(kGetByLogin, {arg(login)}));
}

std::optional<User> SqlUserRepository::get_by_odoo(OdooId id) { return one(ctx_.db().query(kGetByOdoo, {arg(id)})); }

std::vector<User> SqlUserRepository::list(bool include_inactive) {
  std::vector<User> out;
  Rows rows = ctx_.db().query(include_inactive ? kListAll : kListActive);
  while (rows.next()) out.push_back(read_user(rows));
  return out;
}

void SqlUserRepository::check_unique(const User& u) {
  if (u.login.empty()) invalid("Login is required.");
  if (ctx_.db().scalar(kLoginTaken, {arg(u.login), arg(u.id)}))
    fail(ErrorCode::conflict, "Login \"" + u.login + "\" is already taken.");
  if (u.odoo_id && ctx_.db().scalar(kOdooTaken, {arg(u.odoo_id), arg(u.id)}))
    fail(ErrorCode::conflict, "CMMS user " + std::to_string(u.odoo_id->value) + " is already linked to another user.");
}

UserId SqlUserRepository::insert(User& u, const std::string& password_hash) {
  ctx_.require_writable();
  u.id = UserId(0);
  check_unique(u);
  u.id = UserId(returned_id(ctx_.db().query(
      kInsert, {arg(u.odoo_id), arg(u.login), arg(u.name), arg(u.email), arg(to_string(u.role)), arg(u.team_id),
                arg(u.locale), arg(u.active), arg(u.created_at), arg(password_hash)})));
  ctx_.touch(ChangeScope::reports());  // the workload report lists every technician
  return u.id;
}

void SqlUserRepository::update(const User& u) {
  ctx_.require_writable();
  if (!get(u.id)) not_found(missing(u.id));
  check_unique(u);
  ctx_.db().execute(kUpdate, {arg(u.odoo_id), arg(u.login), arg(u.name), arg(u.email), arg(to_string(u.role)),
                              arg(u.team_id), arg(u.locale), arg(u.active), arg(u.id)});
  ctx_.names_changed();         // task rows show the assignee's name
  ctx_.credentials_changed();  // the role, team or state may have changed
}

std::string SqlUserRepository::password_hash(UserId id) {
  Rows rows = ctx_.db().query(kPasswordHash, {arg(id)});
  if (!rows.next()) not_found(missing(id));
  return rows.str(0);
}

void SqlUserRepository::set_password_hash(UserId id, const std::string& hash) {
  ctx_.require_writable();
  if (ctx_.db().execute(kSetPasswordHash, {arg(id), arg(hash)}) == 0) not_found(missing(id));
  ctx_.credentials_changed();
}

}  // namespace visor::storage::sql
