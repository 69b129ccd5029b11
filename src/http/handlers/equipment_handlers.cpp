// /api/v1/equipment: machines, their pages, QR labels; and the public
// endpoints behind a machine's QR label for people without an account.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "api/qr.hpp"
#include "auth/throttle.hpp"
#include "http/handlers/routes.hpp"
#include "services/equipment.hpp"
#include "services/tasks.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

constexpr auth::ThrottleRule kPublicReports{10, std::chrono::hours(1)};

json::object detail_json(const services::EquipmentDetail& d, TimePoint now) {
  json::object o = api::to_json(d.equipment);
  o["category_name"] = d.category_name;
  json::array open, history;
  for (const auto& row : d.open_tasks) open.emplace_back(api::to_json(row, now));
  for (const auto& row : d.history) history.emplace_back(api::to_json(row, now));
  o["open_tasks"] = std::move(open);
  o["history"] = std::move(history);
  return o;
}

http::Response detail(Call& call, const services::EquipmentDetail& d, int status = 200) {
  http::Response res = json_response(status, detail_json(d, call.ctx.deps.clock.now()));
  res.set_header("ETag", "\"v" + std::to_string(d.equipment.version) + "\"");
  return res;
}

std::int64_t positive(std::string_view text, std::string_view name) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < 0)
    invalid(std::string(name) + " must be a whole number.");
  return v;
}

std::int64_t positive_id(std::string_view text, std::string_view name) {
  const std::int64_t v = positive(text, name);
  if (v == 0) invalid(std::string(name) + " must be a positive id.");
  return v;
}

http::Response list(Call& call) {
  storage::EquipmentQuery q;
  for (const auto& [key, value] : call.req.query_pairs()) {
    if (key == "q") {
      if (value.size() > 200) invalid("q must be at most 200 characters.");
      q.text = value;
    } else if (key == "category") q.category = CategoryId{positive_id(value, key)};
    else if (key == "team") q.team = TeamId{positive_id(value, key)};
    else if (key == "include_inactive") {
      if (value != "true" && value != "false" && value != "1" && value != "0")
        invalid("include_inactive must be true or false.");
      q.include_inactive = value == "true" || value == "1";
    }
    else if (key == "after") q.after_id = positive(value, key);
    else if (key == "limit") q.limit = int(std::min<std::int64_t>(positive(value, key), 1000));
    else invalid("Unknown query parameter '" + key + "'. Use q, category, team, include_inactive, after or limit.");
  }
  const auto rows = services::list_equipment(call.ctx.deps, call.caller(), q);
  json::array items;
  for (const auto& row : rows) items.emplace_back(api::to_json(row));
  json::object body{{"items", std::move(items)}};
  body["next_after"] = int(rows.size()) == q.limit && !rows.empty() ? json::value(rows.back().equipment.id.value)
                                                                     : json::value(nullptr);
  return json_response(200, body);
}

http::Response get(Call& call) {
  return detail(call, services::get_equipment(call.ctx.deps, call.caller(), EquipmentId{call.id_param("id")}));
}

// The machine's service history for the HUD's machine page (everyone's work).
http::Response history(Call& call) {
  int limit = 10;
  for (const auto& [key, value] : call.req.query_pairs()) {
    if (key == "limit") limit = int(std::min<std::int64_t>(positive(value, key), 1000));
    else invalid("Unknown query parameter '" + key + "'. Use limit.");
  }
  const auto h = services::equipment_history(call.ctx.deps, call.caller(), EquipmentId{call.id_param("id")}, limit);
  const TimePoint now = call.ctx.deps.clock.now();
  json::array items;
  for (const auto& row : h.items) items.emplace_back(api::to_json(row, now));
  const auto row_or_null = [&](const std::optional<storage::TaskRow>& r) { return r ? json::value(api::to_json(*r, now)) : json::value(nullptr); };
  const auto named = [](const auto& x) { return x ? json::value(json::object{{"id", x->id.value}, {"name", x->name}}) : json::value(nullptr); };
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"last_done", row_or_null(h.last_done)},
                                         {"last_preventive", row_or_null(h.last_preventive)},
                                         {"technician", named(h.technician)},
                                         {"team", named(h.team)}});
}

http::Response by_code(Call& call) {
  return detail(call, services::get_equipment_by_code(call.ctx.deps, call.caller(), call.param("code")));
}

// The QR label encodes the machine's page; the HUD and the public form both
// open from that one URL. ?caption=false leaves the name and code out (the
// label sheets print them as text beside the code).
http::Response qr(Call& call) {
  bool caption = true;
  for (const auto& [key, value] : call.req.query_pairs()) {
    if (key != "caption") invalid("Unknown query parameter '" + key + "'. Use caption.");
    if (value == "true") caption = true;
    else if (value == "false") caption = false;
    else invalid("caption must be true or false.");
  }
  const auto d = services::get_equipment(call.ctx.deps, call.caller(), EquipmentId{call.id_param("id")});
  const std::string url = call.ctx.public_url + "/m/" + d.equipment.code;
  http::Response res = status_only(200);
  res.body = api::qr_svg(url, caption ? d.equipment.name + " · " + d.equipment.code : std::string());
  res.set_header("Content-Type", "image/svg+xml");
  res.set_header("Cache-Control", "private, max-age=3600");
  return res;
}

services::EquipmentChanges parse_changes(const json::object& body) {
  api::reject_unknown(body, {"name", "serial_no", "model", "category_id", "location", "technician_id", "team_id",
                             "note", "active"});
  services::EquipmentChanges c;
  auto text = [&](std::string_view key, std::size_t max, std::optional<std::string>& out) {
    const auto f = api::get_string(body, key, max);
    if (f.present) out = f.value.value_or("");
  };
  text("name", 200, c.name);
  text("serial_no", 100, c.serial_no);
  text("model", 100, c.model);
  text("location", 200, c.location);
  text("note", 20'000, c.note);
  auto id = [&](std::string_view key, auto& out) {
    const auto f = api::get_int(body, key, 1, INT64_MAX);
    if (!f.present) return;
    using Opt = typename std::remove_reference_t<decltype(out)>::value_type;
    out = f.value ? Opt{typename Opt::value_type{*f.value}} : Opt{};
  };
  id("category_id", c.category_id);
  id("technician_id", c.technician_id);
  id("team_id", c.team_id);
  if (const auto f = api::get_bool(body, "active"); f.present) c.active = api::required(f, "active");
  return c;
}

http::Response create(Call& call) {
  const auto body = api::parse_object(call.req.body);
  auto res = detail(call, services::create_equipment(call.ctx.deps, call.caller(), parse_changes(body)), 201);
  return res;
}

http::Response patch(Call& call) {
  const auto body = api::parse_object(call.req.body);
  return detail(call, services::update_equipment(call.ctx.deps, call.caller(), EquipmentId{call.id_param("id")},
                                                 parse_changes(body), if_match_version(call.req)));
}

http::Response public_machine(Call& call) {
  const auto m = services::public_equipment(call.ctx.deps, call.param("code"));
  http::Response res = json_response(200, json::object{{"code", m.code}, {"name", m.name}, {"location", m.location}});
  return res;
}

// Anyone who scans a label may report a problem, without an account; a
// per-address limit keeps the form from being used to flood the planners.
http::Response public_report(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"title", "description", "contact"});
  services::ProblemReport r;
  r.equipment_code = call.param("code");
  r.title = api::required(api::get_string(body, "title", 200), "title");
  r.description = api::get_string(body, "description", 4000).value.value_or("");
  r.contact = api::get_string(body, "contact", 200).value.value_or("");
  r.priority = 2;
  auto& deps = call.ctx.deps;
  const std::string key = "public-report:" + call.req.remote_addr;
  const TimePoint now = deps.clock.now();
  const auto wait = deps.store.read_value(
      [&](storage::Tx& tx) { return auth::throttled_for(tx.auth(), key, kPublicReports, now); });
  if (wait.count() > 0)
    throw auth::RateLimited("Too many reports from this address. " + auth::retry_phrase(wait), wait);
  const TaskId id = services::report_problem_public(deps, call.req.remote_addr, r);
  deps.store.write([&](storage::Tx& tx) { tx.auth().record_login_failure(key, now); });
  return json_response(201, json::object{{"id", id.value}, {"status", "received"}});
}

}  // namespace

void add_equipment_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/equipment", "equipment.list", P::equipment_read, list});
  r.push_back({Method::post, "/api/v1/equipment", "equipment.create", P::equipment_write, create});
  r.push_back({Method::get, "/api/v1/equipment/by-code/{code}", "equipment.by_code", P::equipment_read, by_code});
  r.push_back({Method::get, "/api/v1/equipment/{id}", "equipment.get", P::equipment_read, get});
  r.push_back({Method::patch, "/api/v1/equipment/{id}", "equipment.update", P::equipment_write, patch});
  r.push_back({Method::get, "/api/v1/equipment/{id}/qr.svg", "equipment.qr", P::equipment_read, qr});
  r.push_back({Method::get, "/api/v1/equipment/{id}/history", "equipment.history", P::equipment_read, history});
  r.push_back({Method::get, "/api/v1/public/equipment/{code}", "public.equipment", P::public_access, public_machine});
  r.push_back({Method::post, "/api/v1/public/equipment/{code}/report", "public.report", P::public_access,
               public_report});
}

}  // namespace visor::handlers
