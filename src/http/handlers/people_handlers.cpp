// Sign-in and "me"; users and roles; glasses pairing and devices.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "api/qr.hpp"
#include "auth/users.hpp"
#include "http/handlers/routes.hpp"
#include "services/people.hpp"
#include "sync/changes.hpp"
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

http::Response logout(Call& call) {
  if (call.who().via == auth::Principal::Via::session) {
    const auto header = call.req.header("Cookie");
    const std::string prefix = call.ctx.auth.options().cookie_name + "=";
    if (header) {
      const auto pos = header->find(prefix);
      if (pos != std::string_view::npos) {
        std::string_view token = header->substr(pos + prefix.size());
        token = token.substr(0, token.find(';'));
        call.ctx.auth.logout(token, call.req.remote_addr);
      }
    }
  }
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

http::Response patch_me(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"name", "locale", "profile", "current_password", "new_password"});
  const auto& who = call.who();
  const auto changes = parse_profile(body, false);
  const auto profile = api::get_string(body, "profile", 20);
  if (profile.present) {
    if (!who.device) invalid("profile can only be set from a paired device.");
    auth::check_device_profile(api::required(profile, "profile"));
  }
  const auto current = api::get_string(body, "current_password", 256);
  const auto next = api::get_string(body, "new_password", 256);
  const auto now = call.ctx.deps.clock.now();
  // One transaction: a wrong current password leaves the name unchanged too.
  call.ctx.deps.store.write([&](storage::Tx& tx) {
    if (!changes.empty()) services::update_profile(tx, call.caller(), who.user, changes, now);
    if (profile.present) tx.auth().set_device_profile(*who.device, *profile.value);
    if (current.present || next.present) {
      auth::change_own_password(tx, who.user, Secret(api::required(current, "current_password")),
                                Secret(api::required(next, "new_password")), acting(call), now,
                                call.ctx.auth.options().password_cost);
    }
  });
  call.ctx.auth.forget_user(who.user);
  return status_only(204);
}

http::Response list_users(Call& call) {
  bool include_inactive = false;
  for (const auto& [k, v] : call.req.query_pairs()) {
    if (k == "include_inactive") {
      if (v != "true" && v != "false" && v != "1" && v != "0") invalid("include_inactive must be true or false.");
      include_inactive = v == "true" || v == "1";
    } else {
      invalid("Unknown query parameter '" + k + "'. Use include_inactive.");
    }
  }
  const auto users = call.ctx.deps.store.read_value([&](storage::Tx& tx) { return tx.users().list(include_inactive); });
  json::array items;
  for (const User& u : users) items.emplace_back(api::to_json(u));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response create_user(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"login", "name", "email", "role", "team_id", "locale", "password", "create_in_odoo"});
  auth::NewUser u;
  u.login = api::required(api::get_string(body, "login", 64), "login");
  u.name = api::required(api::get_string(body, "name", 100), "name");
  u.email = api::get_string(body, "email", 200).value.value_or("");
  const auto role = parse_role(api::get_string(body, "role", 20).value.value_or("technician"));
  if (!role) invalid("role must be technician, manager or admin.");
  u.role = *role;
  if (const auto t = api::get_int(body, "team_id", 1, INT64_MAX).value) u.team = TeamId{*t};
  u.locale = api::get_string(body, "locale", 5).value.value_or("en");
  u.password = Secret(api::required(api::get_string(body, "password", 256), "password"));
  // As in the original design, an admin may create the account in the CMMS
  // too; the outbox delivers it in the same transaction's order.
  const bool in_odoo = api::get_bool(body, "create_in_odoo").value.value_or(false);
  if (in_odoo) auth::require(call.who().actor(), P::settings_admin);
  const auto now = call.ctx.deps.clock.now();
  const User user = call.ctx.deps.store.write_value([&](storage::Tx& tx) {
    if (in_odoo && !sync::cmms_enabled(tx)) fail(ErrorCode::conflict, "No CMMS connection is configured.");
    User created = auth::create_user(tx, u, acting(call), now, call.ctx.auth.options().password_cost);
    if (in_odoo) sync::user_created(tx, created, now);
    return created;
  });
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

// Role, password reset, enabling and disabling are security decisions taken
// by auth/users; name, e-mail, team and language by services/people.
http::Response patch_user(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"name", "email", "team_id", "locale", "role", "active", "password"});
  const UserId id{call.id_param("id")};
  auth::require(call.who().actor(), P::user_manage);
  const auto changes = parse_profile(body, true);
  const auto role_field = api::get_string(body, "role", 20);
  const auto active = api::get_bool(body, "active");
  const auto password = api::get_string(body, "password", 256);
  const auto now = call.ctx.deps.clock.now();
  const auto cost = call.ctx.auth.options().password_cost;
  // One transaction: a request that fails in part changes nothing.
  call.ctx.deps.store.write([&](storage::Tx& tx) {
    if (role_field.present) {
      const auto role = parse_role(api::required(role_field, "role"));
      if (!role) invalid("role must be technician, manager or admin.");
      auth::set_role(tx, id, *role, acting(call), now);
    }
    if (password.present) auth::set_password(tx, id, Secret(api::required(password, "password")), acting(call), now, cost);
    if (active.present) {
      if (api::required(active, "active")) auth::enable_user(tx, id, acting(call), now);
      else auth::disable_user(tx, id, acting(call), now);
    }
    if (!changes.empty()) services::update_profile(tx, call.caller(), id, changes, now);
  });
  call.ctx.auth.forget_user(id);
  return get_user(call);
}

json::object pairing_json(const auth::PairingCode& code) {
  return {{"code", code.code},
          {"expires_at", format_iso8601(code.expires_at)},
          {"qr_text", code.qr_text},
          {"qr_svg", api::qr_svg(code.qr_text)}};
}

http::Response create_pairing(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"user_id", "device_name", "profile"});
  const UserId user{api::get_int(body, "user_id", 1, INT64_MAX).value.value_or(call.who().user.value)};
  const std::string name = api::required(api::get_string(body, "device_name", 64), "device_name");
  const std::string profile = api::get_string(body, "profile", 20).value.value_or("see-through");
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
  for (const auto& [k, v] : call.req.query_pairs()) {
    if (k == "user") {
      std::int64_t id = 0;
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
      if (ec != std::errc{} || p != v.data() + v.size() || id <= 0) invalid("user must be a user id.");
      user = UserId{id};
    } else invalid("Unknown query parameter '" + k + "'. Use user.");
  }
  json::array items;
  for (const auto& d : call.ctx.pairing.list(user)) items.emplace_back(api::to_json(d));
  return json_response(200, json::object{{"items", std::move(items)}});
}

http::Response revoke_device(Call& call) {
  const DeviceId id{call.id_param("id")};
  call.ctx.pairing.revoke(acting(call), id);
  call.ctx.auth.forget_device(id);
  return status_only(204);
}

}  // namespace

void add_session_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::post, "/api/v1/session", "session.create", P::public_access, login, false, Work::auth});
  r.push_back({Method::delete_, "/api/v1/session", "session.delete", P::authenticated, logout});
  r.push_back({Method::get, "/api/v1/me", "me.get", P::authenticated, me});
  r.push_back({Method::patch, "/api/v1/me", "me.update", P::authenticated, patch_me, false, Work::auth});
}

void add_people_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/users", "users.list", P::user_read, list_users});
  r.push_back({Method::post, "/api/v1/users", "users.create", P::user_manage, create_user, false, Work::auth});
  r.push_back({Method::get, "/api/v1/users/{id}", "users.get", P::user_read, get_user});
  r.push_back({Method::patch, "/api/v1/users/{id}", "users.update", P::user_manage, patch_user, false, Work::auth});
  r.push_back({Method::post, "/api/v1/pairings", "pairings.create", P::device_pair, create_pairing});
  r.push_back({Method::post, "/api/v1/pairings/redeem", "pairings.redeem", P::public_access, redeem_pairing});
  r.push_back({Method::get, "/api/v1/devices", "devices.list", P::device_admin, list_devices});
  r.push_back({Method::delete_, "/api/v1/devices/{id}", "devices.revoke", P::authenticated, revoke_device});
}

}  // namespace visor::handlers
