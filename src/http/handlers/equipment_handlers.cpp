// /api/v1/equipment: machines, their pages, QR labels; and the public
// endpoints behind a machine's QR label for people without an account.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "api/qr.hpp"
#include "http/handlers/routes.hpp"
#include "services/equipment.hpp"
#include "services/tasks.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

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

http::Response list(Call& call) {
  const api::Query& in = call.query;
  storage::EquipmentQuery q;
  if (const auto v = in.text("q", 200)) q.text = *v;
  if (const auto v = in.id("category")) q.category = CategoryId{*v};
  if (const auto v = in.id("team")) q.team = TeamId{*v};
  if (const auto v = in.flag("include_inactive")) q.include_inactive = *v;
  if (const auto v = in.integer("after", 0, INT64_MAX)) q.after_id = *v;
  if (const auto v = in.integer("limit", 0, INT64_MAX)) q.limit = int(std::min<std::int64_t>(*v, 1000));
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
  const int limit = int(std::min<std::int64_t>(call.query.integer("limit", 0, INT64_MAX).value_or(10), 1000));
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
  const bool caption = call.query.flag("caption").value_or(true);
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
  const auto m = services::public_equipment(call.ctx.deps, call.param("code"), call.req.remote_addr);
  http::Response res = json_response(200, json::object{{"code", m.code}, {"name", m.name}, {"location", m.location}});
  return res;
}

// Anyone who scans a label may report a problem, without an account (the
// use case limits reports per address).
http::Response public_report(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"title", "description", "contact"});
  services::ProblemReport r;
  r.equipment_code = call.param("code");
  r.title = api::required(api::get_string(body, "title", 200), "title");
  r.description = api::get_string(body, "description", 4000).value.value_or("");
  r.contact = api::get_string(body, "contact", 200).value.value_or("");
  r.priority = 2;
  const TaskId id = services::report_problem_public(call.ctx.deps, call.req.remote_addr, r);
  return json_response(201, json::object{{"id", id.value}, {"status", "received"}});
}

}  // namespace

void add_equipment_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/equipment", "equipment.list", P::equipment_read, list,
               {"q", "category", "team", "include_inactive", "after", "limit"}});
  r.push_back({Method::post, "/api/v1/equipment", "equipment.create", P::equipment_write, create});
  r.push_back({Method::get, "/api/v1/equipment/by-code/{code}", "equipment.by_code", P::equipment_read, by_code});
  r.push_back({Method::get, "/api/v1/equipment/{id}", "equipment.get", P::equipment_read, get});
  r.push_back({Method::patch, "/api/v1/equipment/{id}", "equipment.update", P::equipment_write, patch});
  r.push_back({Method::get, "/api/v1/equipment/{id}/qr.svg", "equipment.qr", P::equipment_read, qr,
               {"caption"}});
  r.push_back({Method::get, "/api/v1/equipment/{id}/history", "equipment.history", P::equipment_read, history,
               {"limit"}});
  r.push_back({Method::get, "/api/v1/public/equipment/{code}", "public.equipment", P::public_access, public_machine});
  r.push_back({Method::post, "/api/v1/public/equipment/{code}/report", "public.report", P::public_access,
               public_report});
}

}  // namespace visor::handlers
