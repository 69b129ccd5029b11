// Sign-in and "me"; users and roles; glasses pairing and devices.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "api/qr.hpp"
#include "http/handlers/routes.hpp"
#include "services/people.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

auth::Acting acting(const Call& call) { return auth::Acting::from(call.who(), call.req.remote_addr); }

json::object me_json(const auth::Principal& p) {
  json::object o{{"id", p.user.value},
                 {"login", p.login},
                 {"name", p.name},
                 {"role", to_string(p.role)},
                 {"team_id", p.team ? json::value(p.team->value) : json::value(nullptr)},
                 {"locale", p.locale},
                 {"via", p.via == auth::Principal::Via::device ? "device" : "session"}};
  if (p.via == auth::Principal::Via::session) o["csrf_token"] = p.csrf_token;
  if (p.device) o["device"] = {{"id", p.device->value}, {"name", p.device_name}};
  return o;
}

http::Response login(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"login", "password"});
  const std::string name = api::required(api::get_string(body, "login", 64), "login");
  const Secret password(api::required(api::get_string(body, "password", 256), "password"));
  const auth::LoginResult result = call.ctx.auth.login(name, password, call.req.remote_addr);
  http::Response res = json_response(200, me_json(result.principal));
  res.set_header("Set-Cookie", result.set_cookie_header());
  return res;
}

// Ends exactly the session the request was authenticated with (the guard
// read its cookie by name).
http::Response logout(Call& call) {
  if (call.who().via == auth::Principal::Via::session && call.credential)
    call.ctx.auth.logout(*call.credential, call.req.remote_addr);
  http::Response res = status_only(204);
  res.set_header("Set-Cookie", call.ctx.auth.clear_cookie_header());
  return res;
}

http::Response me(Call& call) {
  json::object o = me_json(call.who());
  o["timezone"] = call.ctx.timezone;
  if (call.who().device) {
    for (const auto& d : call.ctx.pairing.list(call.who().user))
      if (d.id == *call.who().device) o["device"] = api::to_json(d);
  }
  return json_response(200, o);
}

services::ProfileChanges parse_profile(const json::object& body, bool allow_team) {
  services::ProfileChanges c;
  if (const auto f = api::get_string(body, "name", 100); f.present) c.name = api::required(f, "name");
  if (const auto f = api::get_string(body, "email", 200); f.present) c.email = f.value.value_or("");
  if (const auto f = api::get_string(body, "locale", 5); f.present) c.locale = api::required(f, "locale");
  if (allow_team) {
    if (const auto f = api::get_int(body, "team_id", 1, INT64_MAX); f.present)
      c.team_id = f.value ? std::optional<TeamId>(TeamId{*f.value}) : std::optional<TeamId>{};  // null: no team
  }
  return c;
}

std::optional<Secret> secret_field(const json::object& body, std::string_view key) {
  const auto f = api::get_string(body, key, 256);
  if (!f.present) return std::nullopt;
  return Secret(api::required(f, key));
}

http::Response patch_me(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"name", "locale", "profile", "current_password", "new_password"});
  services::OwnChanges c;
  c.profile = parse_profile(body, false);
  if (const auto f = api::get_string(body, "profile", 20); f.present) c.device_profile = api::required(f, "profile");
  c.current_password = secret_field(body, "current_password");
  c.new_password = secret_field(body, "new_password");
  services::Accounts(call.ctx.deps, call.ctx.auth).update_own(call.caller(), c);
  return status_only(204);
}

http::Response list_users(Call& call) {
  const bool include_inactive = call.query.flag("include_inactive").value_or(false);
  const auto users = call.ctx.deps.store.read_value([&](storage::Tx& tx) { return tx.users().list(include_inactive); });
  json::array items;
  for (const User& u : users) items.emplace_back(api::to_json(u));
  return json_response(200, json::object{{"items", std::move(items)}});
}

std::optional<Role> role_field(const json::object& body) {
  const auto f = api::get_string(body, "role", 20);
  if (!f.present) return std::nullopt;
  const auto role = parse_role(api::required(f, "role"));
  if (!role) invalid("role must be technician, manager or admin.");
  return role;
}

http::Response create_user(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"login", "name", "email", "role", "team_id", "locale", "password", "create_in_odoo"});
  services::NewAccount a;
  a.user.login = api::required(api::get_string(body, "login", 64), "login");
  a.user.name = api::required(api::get_string(body, "name", 100), "name");
  a.user.email = api::get_string(body, "email", 200).value.value_or("");
  a.user.role = role_field(body).value_or(Role::technician);
  if (const auto t = api::get_int(body, "team_id", 1, INT64_MAX).value) a.user.team = TeamId{*t};
  a.user.locale = api::get_string(body, "locale", 5).value.value_or("en");
  a.user.password = Secret(api::required(api::get_string(body, "password", 256), "password"));
  a.create_in_odoo = api::get_bool(body, "create_in_odoo").value.value_or(false);
  const User user = services::Accounts(call.ctx.deps, call.ctx.auth).create(call.caller(), a);
  http::Response res = json_response(201, api::to_json(user));
  res.set_header("Location", "/api/v1/users/" + std::to_string(user.id.value));
  return res;
}

http::Response get_user(Call& call) {
  const UserId id{call.id_param("id")};
  const auto user = call.ctx.deps.store.read_value([&](storage::Tx& tx) { return tx.users().get(id); });
  if (!user) not_found("User " + std::to_string(id.value) + " does not exist.");
  return json_response(200, api::to_json(*user));
}

http::Response patch_user(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"name", "email", "team_id", "locale", "role", "active", "password"});
  const UserId id{call.id_param("id")};
  services::AccountChanges c;
  c.profile = parse_profile(body, true);
  c.role = role_field(body);
  if (const auto f = api::get_bool(body, "active"); f.present) c.active = api::required(f, "active");
  c.password = secret_field(body, "password");
  return json_response(200, api::to_json(services::Accounts(call.ctx.deps, call.ctx.auth).update(call.caller(), id, c)));
}

json::object pairing_json(const auth::PairingCode& code) {
  return {{"code", code.code},
          {"expires_at", format_iso8601(code.expires_at)},
          {"profile", code.profile},
          {"qr_text", code.qr_text},
          {"qr_svg", api::qr_svg(code.qr_text)}};
}

http::Response create_pairing(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"user_id", "device_name", "profile"});
  const UserId user{api::get_int(body, "user_id", 1, INT64_MAX).value.value_or(call.who().user.value)};
  const std::string name = api::required(api::get_string(body, "device_name", 64), "device_name");
  // No profile: the fleet's (the last one chosen for the plant's glasses).
  const std::string profile = api::get_string(body, "profile", 20).value.value_or("");
  return json_response(201, pairing_json(call.ctx.pairing.create(acting(call), user, name, profile)));
}

// The glasses exchange the code they scanned (or were told) for a token.
http::Response redeem_pairing(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"code"});
  const std::string code = api::required(api::get_string(body, "code", 20), "code");
  const auth::IssuedDevice issued = call.ctx.pairing.redeem(code, call.req.remote_addr);
  json::object o = api::to_json(issued.device);
  o["token"] = std::string(issued.token.reveal());
  return json_response(201, o);
}

http::Response list_devices(Call& call) {
  std::optional<UserId> user;
  if (const auto v = call.query.id("user")) user = UserId{*v};
  json::array items;
  for (const auto& d : call.ctx.pairing.list(user)) items.emplace_back(api::to_json(d));
  return json_response(200, json::object{{"items", std::move(items)}, {"fleet_profile", call.ctx.pairing.fleet_profile()}});
}

http::Response revoke_device(Call& call) {
  const DeviceId id{call.id_param("id")};
  call.ctx.pairing.revoke(acting(call), id);
  call.ctx.auth.forget_device(id);
  return status_only(204);
}

}  // namespace

void add_session_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::post, "/api/v1/session", "session.create", P::public_access, login, {}, false, Work::auth});
  r.push_back({Method::delete_, "/api/v1/session", "session.delete", P::authenticated, logout});
  r.push_back({Method::get, "/api/v1/me", "me.get", P::authenticated, me});
  r.push_back({Method::patch, "/api/v1/me", "me.update", P::authenticated, patch_me, {}, false, Work::auth});
}

void add_people_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/users", "users.list", P::user_read, list_users, {"include_inactive"}});
  r.push_back({Method::post, "/api/v1/users", "users.create", P::user_manage, create_user, {}, false, Work::auth});
  r.push_back({Method::get, "/api/v1/users/{id}", "users.get", P::user_read, get_user});
  r.push_back({Method::patch, "/api/v1/users/{id}", "users.update", P::user_manage, patch_user, {}, false, Work::auth});
  r.push_back({Method::post, "/api/v1/pairings", "pairings.create", P::device_pair, create_pairing});
  r.push_back({Method::post, "/api/v1/pairings/redeem", "pairings.redeem", P::public_access, redeem_pairing});
  r.push_back({Method::get, "/api/v1/devices", "devices.list", P::device_admin, list_devices, {"user"}});
  r.push_back({Method::delete_, "/api/v1/devices/{id}", "devices.revoke", P::authenticated, revoke_device});
}

}  // namespace visor::handlers
