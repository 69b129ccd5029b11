// Access: every route of handlers::api_routes() × {anonymous, technician
// (session), technician (device token), manager, admin}, with expectations
// derived from auth::allows AND spelled out for the key routes (so that a
// change of the policy table breaks this test on purpose). Then the
// per-record rules (a technician's own and team's tasks only), CSRF, device
// revocation within the principal cache's TTL, and the login path.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <functional>
#include <map>
#include <set>

#include "auth/policy.hpp"
#include "http/handlers/routes.hpp"
#include "openapi_doc.hpp"
#include "server.hpp"
#include "sync/deletion_guard.hpp"

namespace visor::apitest {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

// ---------------------------------------------------------------- recipes
// How to call a route so that, where the caller is allowed, it succeeds: a
// real target, a valid body, fresh records for destructive calls.
struct Call {
  std::string target;
  std::string body;
  int ok = 200;  // the status an allowed caller gets
  std::string content_type = "application/json";
  std::optional<Headers> auth;  // replaces the caller's usual credentials
  bool stream = false;          // Server-Sent Events: only the status is read
};
using Recipe = std::function<Call(TestServer&, Who)>;

std::string id_of(std::int64_t v) { return std::to_string(v); }
std::string task_path(TaskId id, std::string_view rest = "") {
  return "/api/v1/tasks/" + id_of(id.value) + std::string(rest);
}

std::string triage_path(TaskId id, std::string_view action) {
  return "/api/v1/triage/" + id_of(id.value) + "/" + std::string(action);
}

UserId alice(TestServer& s) { return s.identity(Who::technician).user; }

// A task alice may work on: assigned to her, in her team.
TaskId alices_task(TestServer& s, bool steps = false) { return s.create_task(alice(s), s.mechanical(), steps); }

/// A fault just reported (by Bruno, a technician): pending in the triage inbox.
TaskId reported_task(TestServer& s) {
  const Reply r = s.call(Who::other_technician, "POST", "/api/v1/tasks/report",
                         json::serialize(json::object{{"equipment_code", s.any_equipment().code}, {"title", "Matrix report"}}));
  EXPECT_EQ(r.status, 201) << r.describe();
  return TaskId{r.json().at("id").as_int64()};
}

TaskId started_task(TestServer& s) {
  const TaskId id = alices_task(s);
  const Reply r = s.call(Who::manager, "POST", task_path(id, "/start"));
  if (r.status != 200) throw std::runtime_error("start failed: " + r.describe());
  return id;
}

std::string pairing_code(TestServer& s, UserId user) {
  const Reply r = s.call(Who::manager, "POST", "/api/v1/pairings",
                         json::serialize(json::object{{"user_id", user.value}, {"device_name", "matrix glasses"}}));
  if (r.status != 201) throw std::runtime_error("pairing failed: " + r.describe());
  return std::string(r.json().at("code").as_string());
}

std::int64_t media_of(TestServer& s) {
  const Reply r = s.call(Who::manager, "POST", task_path(alices_task(s), "/photos"), tiny_png(),
                         Req{{}, true, "image/png"});
  if (r.status != 201) throw std::runtime_error("upload failed: " + r.describe());
  return r.json().at("id").as_int64();
}

const std::string kPeriod = "?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z";
int g_unique = 0;

// Issue 14: a task of alice's on a machine whose instructions carry typed steps.
// Off any machine (`on_machine` false), no procedure template adds steps to it.
TaskId typed_task(TestServer& s, std::string_view instructions, std::string_view type = "preventive",
                  bool on_machine = true) {
  json::object body{{"title", "Matrix inspection"}, {"assignee_id", alice(s).value},
                    {"team_id", s.mechanical().value}, {"type", type}, {"instructions", instructions}};
  if (on_machine) body["equipment_id"] = s.any_equipment().id.value;
  const Reply r = s.call(Who::manager, "POST", "/api/v1/tasks", json::serialize(body));
  if (r.status != 201) throw std::runtime_error("creating a typed task failed: " + r.describe());
  return TaskId{r.json().at("id").as_int64()};
}

std::string procedure_body(TestServer& s) {
  return json::serialize(json::object{{"name", "Matrix procedure " + std::to_string(++g_unique)},
                                      {"equipment_id", s.any_equipment().id.value},
                                      {"text", "[check] Guard fitted"}});
}

std::int64_t created_id(TestServer& s, std::string_view target, const std::string& body) {
  const Reply r = s.call(Who::manager, "POST", target, body);
  if (r.status != 201) throw std::runtime_error(std::string("creating ") + std::string(target) + " failed: " + r.describe());
  return r.json().at("id").as_int64();
}

std::int64_t meter_of(TestServer& s) {
  return created_id(s, "/api/v1/equipment/" + id_of(s.any_equipment().id.value) + "/meters",
                    json::serialize(json::object{{"name", "hours_" + std::to_string(++g_unique)}, {"unit", "h"}}));
}

const std::map<std::string, Recipe>& recipes() {
  static const std::map<std::string, Recipe> r{
      {"session.create",
       [](TestServer& s, Who) {
         const auto& a = s.identity(Who::technician);
         return Call{"/api/v1/session", json::serialize(json::object{{"login", a.login}, {"password", a.password}})};
       }},
      {"session.delete",
       [](TestServer& s, Who who) {
         Call c{"/api/v1/session", "", 204};
         if (who != Who::anonymous && who != Who::technician_device) {
           const Session fresh = s.new_session(s.identity(who).user);  // not the suite's own session
           c.auth = Headers{{"Cookie", fresh.cookie}, {"X-CSRF-Token", fresh.csrf}};
         }
         return c;
       }},
      {"me.get", [](TestServer&, Who) { return Call{"/api/v1/me"}; }},
      {"me.update", [](TestServer&, Who) { return Call{"/api/v1/me", R"({"locale":"en"})", 204}; }},
      {"tasks.list", [](TestServer&, Who) { return Call{"/api/v1/tasks?assignee=me&limit=5"}; }},
      {"tasks.create", [](TestServer&, Who) { return Call{"/api/v1/tasks", R"({"title":"Matrix task"})", 201}; }},
      {"tasks.report",
       [](TestServer& s, Who) {
         return Call{"/api/v1/tasks/report",
                     json::serialize(json::object{{"equipment_code", s.any_equipment().code}, {"title", "Matrix"}}),
                     201};
       }},
      {"tasks.get", [](TestServer& s, Who) { return Call{task_path(alices_task(s))}; }},
      {"tasks.work_log", [](TestServer& s, Who) { return Call{task_path(alices_task(s), "/work-log?limit=5")}; }},
      {"tasks.update", [](TestServer& s, Who) { return Call{task_path(alices_task(s)), R"({"priority":1})"}; }},
      {"tasks.delete", [](TestServer& s, Who) { return Call{task_path(alices_task(s)), "", 204}; }},
      {"tasks.start", [](TestServer& s, Who) { return Call{task_path(alices_task(s), "/start")}; }},
      {"tasks.pause", [](TestServer& s, Who) { return Call{task_path(started_task(s), "/pause")}; }},
      {"tasks.resume",
       [](TestServer& s, Who) {
         const TaskId id = started_task(s);
         s.call(Who::manager, "POST", task_path(id, "/pause"));
         return Call{task_path(id, "/resume")};
       }},
      {"tasks.complete", [](TestServer& s, Who) { return Call{task_path(started_task(s), "/complete")}; }},
      {"tasks.step",
       [](TestServer& s, Who) { return Call{task_path(alices_task(s, true), "/steps/1"), R"({"done":true})"}; }},
      {"tasks.note",
       [](TestServer& s, Who) { return Call{task_path(alices_task(s), "/notes"), R"({"text":"Matrix note"})", 201}; }},
      {"tasks.photo",
       [](TestServer& s, Who) { return Call{task_path(alices_task(s), "/photos"), tiny_png(), 201, "image/png"}; }},
      {"media.get", [](TestServer& s, Who) { return Call{"/api/v1/media/" + id_of(media_of(s))}; }},
      {"tasks.bulk",
       [](TestServer& s, Who) {
         return Call{"/api/v1/tasks/bulk",
                     json::serialize(json::object{{"ids", json::array{alices_task(s).value}},
                                                  {"changes", {{"priority", 2}}}})};
       }},
      {"instructions.preview",
       [](TestServer&, Who) { return Call{"/api/v1/instructions/preview", R"({"text":"<ol><li>Check</li></ol>"})"}; }},
      {"equipment.list", [](TestServer&, Who) { return Call{"/api/v1/equipment?limit=5"}; }},
      {"equipment.create",
       [](TestServer&, Who) { return Call{"/api/v1/equipment", R"({"name":"Matrix press"})", 201}; }},
      {"equipment.by_code",
       [](TestServer& s, Who) { return Call{"/api/v1/equipment/by-code/" + s.any_equipment().code}; }},
      {"equipment.get",
       [](TestServer& s, Who) { return Call{"/api/v1/equipment/" + id_of(s.any_equipment().id.value)}; }},
      {"equipment.history",
       [](TestServer& s, Who) { return Call{"/api/v1/equipment/" + id_of(s.any_equipment().id.value) + "/history?limit=5"}; }},
      {"equipment.update",
       [](TestServer& s, Who) {
         return Call{"/api/v1/equipment/" + id_of(s.any_equipment().id.value), R"({"note":"Matrix"})"};
       }},
      {"equipment.qr",
       [](TestServer& s, Who) { return Call{"/api/v1/equipment/" + id_of(s.any_equipment().id.value) + "/qr.svg"}; }},
      {"public.equipment",
       [](TestServer& s, Who) { return Call{"/api/v1/public/equipment/" + s.any_equipment().code}; }},
      {"public.report",
       [](TestServer& s, Who) {
         s.advance(61min);  // the public form allows 10 reports per hour per address
         return Call{"/api/v1/public/equipment/" + s.any_equipment().code + "/report", R"({"title":"Matrix"})", 201};
       }},
      {"users.list", [](TestServer&, Who) { return Call{"/api/v1/users"}; }},
      {"users.create",
       [](TestServer&, Who) {
         return Call{"/api/v1/users",
                     json::serialize(json::object{{"login", "matrix" + std::to_string(++g_unique)},
                                                  {"name", "Matrix User"},
                                                  {"password", "correct horse battery"}}),
                     201};
       }},
      {"users.get", [](TestServer& s, Who) { return Call{"/api/v1/users/" + id_of(alice(s).value)}; }},
      {"users.update",
       [](TestServer& s, Who) {
         return Call{"/api/v1/users/" + id_of(s.identity(Who::other_technician).user.value),
                     R"({"name":"Bruno Lefèvre"})"};
       }},
      {"pairings.create", [](TestServer&, Who) { return Call{"/api/v1/pairings", R"({"device_name":"Mine"})", 201}; }},
      {"pairings.redeem",
       [](TestServer& s, Who) {
         return Call{"/api/v1/pairings/redeem", json::serialize(json::object{{"code", pairing_code(s, alice(s))}}),
                     201};
       }},
      {"devices.list", [](TestServer&, Who) { return Call{"/api/v1/devices"}; }},
      {"devices.revoke",
       [](TestServer& s, Who who) {
         const UserId owner = who == Who::anonymous ? alice(s) : s.identity(who).user;
         DeviceId device;
         s.new_device(owner, &device);
         return Call{"/api/v1/devices/" + id_of(device.value), "", 204};
       }},
      {"stages.list", [](TestServer&, Who) { return Call{"/api/v1/stages"}; }},
      {"teams.list", [](TestServer&, Who) { return Call{"/api/v1/teams"}; }},
      {"categories.list", [](TestServer&, Who) { return Call{"/api/v1/categories"}; }},
      {"audit.list", [](TestServer&, Who) { return Call{"/api/v1/audit?limit=5"}; }},
      {"events.stream",
       [](TestServer&, Who) {
         Call c{"/api/v1/events"};
         c.stream = true;
         return c;
       }},
      {"healthz", [](TestServer&, Who) { return Call{"/healthz"}; }},
      {"readyz", [](TestServer&, Who) { return Call{"/readyz"}; }},
      {"metrics", [](TestServer&, Who) { return Call{"/metrics"}; }},
      {"openapi", [](TestServer&, Who) { return Call{"/api/v1/openapi.json"}; }},
      {"sync.status", [](TestServer&, Who) { return Call{"/api/v1/sync/status"}; }},
      {"admin.security", [](TestServer&, Who) { return Call{"/api/v1/admin/security"}; }},
      // No CMMS is configured (connector.put below saves a disabled one): 409 once past the guard.
      {"sync.run", [](TestServer&, Who) { return Call{"/api/v1/sync/run", "", 409}; }},
      {"connector.get", [](TestServer&, Who) { return Call{"/api/v1/connector"}; }},
      {"connector.put",
       [](TestServer&, Who) {
         return Call{"/api/v1/connector", R"({"url":"http://127.0.0.1:9","database":"plant","login":"visor",)"
                                          R"("secret":"matrix-secret","enabled":false})"};
       }},
      {"connector.test", [](TestServer&, Who) { return Call{"/api/v1/connector/test"}; }},
      {"sync.outbox", [](TestServer&, Who) { return Call{"/api/v1/sync/outbox?status=failed&limit=5"}; }},
      {"sync.outbox.requeue",
       [](TestServer& s, Who) {
         const std::int64_t id = s.store().write_value([&](storage::Tx& tx) {
           storage::OutboxMessage m;
           m.record_key = "task:matrix" + std::to_string(++g_unique);
           m.model = "task";
           m.operation = "update";
           m.created_at = m.next_attempt_at = s.clock().now();
           const std::int64_t id = tx.outbox().enqueue(m);
           tx.outbox().mark_failed(id, "parked by the access suite");
           return id;
         });
         return Call{"/api/v1/sync/outbox/" + id_of(id) + "/requeue", "", 204};
       }},
      {"sync.conflicts", [](TestServer&, Who) { return Call{"/api/v1/sync/conflicts?unreviewed=true"}; }},
      {"sync.conflicts.review",
       [](TestServer& s, Who) {
         const std::int64_t id = s.store().write_value([&](storage::Tx& tx) {
           storage::Conflict c;
           c.field = "priority";
           c.local_value = "1";
           c.remote_value = "3";
           c.resolution = "cmms_wins";
           c.at = s.clock().now();
           return tx.sync().add_conflict(c);
         });
         return Call{"/api/v1/sync/conflicts/" + id_of(id) + "/review", "", 204};
       }},
      {"sync.deletions", [](TestServer&, Who) { return Call{"/api/v1/sync/deletions"}; }},
      {"sync.deletions.confirm",
       [](TestServer& s, Who) {
         // Deletions the guard holds, for a model of its own per call.
         const std::string model = "matrix.model" + std::to_string(++g_unique);
         s.store().write([&](storage::Tx& tx) {
           auto held = sync::load_held(tx);
           held.push_back(sync::HeldDeletion{model, sync::RecordKind::task, 4, {{7, 1}, {8, 2}}, s.clock().now()});
           sync::save_held(tx, held);
         });
         return Call{"/api/v1/sync/deletions/confirm", R"({"model":")" + model + R"("})", 200};
       }},
      {"reports.kpis", [](TestServer&, Who) { return Call{"/api/v1/reports/kpis" + kPeriod}; }},
      {"reports.tasks_csv", [](TestServer&, Who) { return Call{"/api/v1/reports/tasks.csv" + kPeriod}; }},
      {"reports.worklog_csv", [](TestServer&, Who) { return Call{"/api/v1/reports/worklog.csv" + kPeriod}; }},
      {"reports.kpis_csv", [](TestServer&, Who) { return Call{"/api/v1/reports/kpis.csv" + kPeriod}; }},
      {"procedures.list", [](TestServer&, Who) { return Call{"/api/v1/procedures?include_inactive=true"}; }},
      {"procedures.create", [](TestServer& s, Who) { return Call{"/api/v1/procedures", procedure_body(s), 201}; }},
      {"procedures.get",
       [](TestServer& s, Who) {
         return Call{"/api/v1/procedures/" + id_of(created_id(s, "/api/v1/procedures", procedure_body(s)))};
       }},
      {"procedures.save",
       [](TestServer& s, Who) {
         const std::string body = procedure_body(s);
         return Call{"/api/v1/procedures/" + id_of(created_id(s, "/api/v1/procedures", body)), body};
       }},
      {"tasks.follow_up",
       [](TestServer& s, Who) {
         const TaskId id = typed_task(s, "<ol><li>[check] Hoses free of leaks</li></ol>");
         const Reply r = s.call(Who::manager, "POST", task_path(id, "/steps/1"), R"({"value":"fail","note":"Leak"})");
         if (r.status != 200) throw std::runtime_error("FAIL failed: " + r.describe());
         return Call{task_path(id, "/steps/1/follow-up"), "{}", 201};
       }},
      {"tasks.approve",
       [](TestServer& s, Who) {
         const TaskId id = typed_task(s, "<p>[check] Guard fitted</p><p>[sign-off supervisor]</p>", "preventive", false);
         s.call(Who::manager, "POST", task_path(id, "/steps/1"), R"({"value":"pass","done":true})");
         const Reply r = s.call(Who::manager, "POST", task_path(id, "/complete"), R"({"signature":"Alice"})");
         if (r.status != 200) throw std::runtime_error("completing failed: " + r.describe());
         return Call{task_path(id, "/approval"), R"({"comment":"Seen"})"};
       }},
      {"tasks.failure",
       [](TestServer& s, Who) {
         const TaskId id = typed_task(s, "<p>Replace the seal</p>", "corrective", false);
         const Reply codes = s.call(Who::manager, "GET", "/api/v1/failure-codes");
         if (codes.status != 200) throw std::runtime_error("listing failure codes failed: " + codes.describe());
         // Kept alive for the loop (a range-for does not extend the life of
         // the temporary json() before C++23).
         const json::value listed = codes.json();
         std::int64_t problem = 0;
         for (const auto& c : listed.at("items").as_array())
           if (c.at("kind").as_string() == "problem" && !problem) problem = c.at("id").as_int64();
         return Call{task_path(id, "/failure"), json::serialize(json::object{{"problem_id", problem}})};
       }},
      {"failure_codes.list", [](TestServer&, Who) { return Call{"/api/v1/failure-codes?include_inactive=true"}; }},
      {"failure_codes.create",
       [](TestServer&, Who) {
         return Call{"/api/v1/failure-codes",
                     json::serialize(json::object{{"kind", "remedy"}, {"code", "M" + std::to_string(++g_unique)},
                                                  {"label_en", "Matrix"}, {"label_fr", "Matrice"}}),
                     201};
       }},
      {"failure_codes.update",
       [](TestServer& s, Who) {
         const auto id = created_id(s, "/api/v1/failure-codes",
                                    json::serialize(json::object{{"kind", "remedy"}, {"code", "U" + std::to_string(++g_unique)},
                                                                 {"label_en", "Matrix"}, {"label_fr", "Matrice"}}));
         return Call{"/api/v1/failure-codes/" + id_of(id), R"({"label_en":"Matrix renamed"})"};
       }},
      {"meters.list",
       [](TestServer& s, Who) { return Call{"/api/v1/equipment/" + id_of(s.any_equipment().id.value) + "/meters"}; }},
      {"meters.create",
       [](TestServer& s, Who) {
         return Call{"/api/v1/equipment/" + id_of(s.any_equipment().id.value) + "/meters",
                     json::serialize(json::object{{"name", "cycles_" + std::to_string(++g_unique)}}), 201};
       }},
      {"meters.readings",
       [](TestServer& s, Who) { return Call{"/api/v1/meters/" + id_of(meter_of(s)) + "/readings?limit=10"}; }},
      {"meters.read",
       [](TestServer& s, Who) { return Call{"/api/v1/meters/" + id_of(meter_of(s)) + "/readings", R"({"value":12.5})", 201}; }},
      {"meters.rule_add",
       [](TestServer& s, Who) {
         return Call{"/api/v1/meters/" + id_of(meter_of(s)) + "/rules", R"({"kind":"every","value":500})", 201};
       }},
      {"meters.rule_remove",
       [](TestServer& s, Who) {
         const auto rule = created_id(s, "/api/v1/meters/" + id_of(meter_of(s)) + "/rules", R"({"kind":"above","value":90})");
         return Call{"/api/v1/meter-rules/" + id_of(rule), "", 204};
       }},
      {"reports.failures", [](TestServer&, Who) { return Call{"/api/v1/reports/failures" + kPeriod}; }},
      {"reports.tasks_json", [](TestServer&, Who) { return Call{"/api/v1/reports/tasks.json" + kPeriod}; }},
      {"reports.worklog_json", [](TestServer&, Who) { return Call{"/api/v1/reports/worklog.json" + kPeriod}; }},
      {"reports.kpis_json", [](TestServer&, Who) { return Call{"/api/v1/reports/kpis.json" + kPeriod}; }},
      {"activity.list", [](TestServer&, Who) { return Call{"/api/v1/activity?limit=5"}; }},
      {"triage.list", [](TestServer&, Who) { return Call{"/api/v1/triage?limit=5"}; }},
      {"triage.count", [](TestServer&, Who) { return Call{"/api/v1/triage/count"}; }},
      {"triage.approve",
       [](TestServer& s, Who) { return Call{triage_path(reported_task(s), "approve"), R"({"priority":2})"}; }},
      {"triage.reject",
       [](TestServer& s, Who) { return Call{triage_path(reported_task(s), "reject"), R"({"reason":"Matrix"})"}; }},
      {"triage.merge",
       [](TestServer& s, Who) {
         const TaskId into = alices_task(s);
         return Call{triage_path(reported_task(s), "merge"),
                     json::serialize(json::object{{"into_task_id", into.value}})};
       }},
  };
  return r;
}

// Streams are opened only where allowed (a refusal is an ordinary response).
Reply perform(TestServer& s, Who who, std::string_view method, const Call& c, bool allowed) {
  if (c.stream && allowed) {
    EventStream es(s.port(), c.target, s.auth_headers(who, method));
    return Reply{es.status(), {}, {}};
  }
  if (!c.auth) return s.call(who, method, c.target, c.body, Req{{}, true, c.content_type});
  Headers h = *c.auth;
  if (!c.body.empty()) h.emplace_back("Content-Type", c.content_type);
  return s.raw_call(method, c.target, h, c.body);
}

// ---------------------------------------------------------------- the matrix
// The explicit expectations for the key routes, one column per caller:
// anonymous, technician (session), technician (device), manager, admin.
// These are written out on purpose: changing auth/policy.cpp must change
// them too.
const std::map<std::string, std::array<int, 5>> kExplicit{
    {"session.create", {200, 200, 200, 200, 200}},
    {"healthz", {200, 200, 200, 200, 200}},
    {"public.report", {201, 201, 201, 201, 201}},
    {"pairings.redeem", {201, 201, 201, 201, 201}},
    {"me.get", {401, 200, 200, 200, 200}},
    {"session.delete", {401, 204, 204, 204, 204}},
    {"tasks.list", {401, 200, 200, 200, 200}},
    {"tasks.get", {401, 200, 200, 200, 200}},
    {"tasks.work_log", {401, 200, 200, 200, 200}},
    {"tasks.start", {401, 200, 200, 200, 200}},
    {"tasks.step", {401, 200, 200, 200, 200}},
    {"tasks.note", {401, 201, 201, 201, 201}},
    {"tasks.photo", {401, 201, 201, 201, 201}},
    {"tasks.report", {401, 201, 201, 201, 201}},
    {"tasks.create", {401, 403, 403, 201, 201}},
    {"tasks.update", {401, 403, 403, 200, 200}},
    {"tasks.delete", {401, 403, 403, 204, 204}},
    {"tasks.bulk", {401, 403, 403, 200, 200}},
    {"equipment.get", {401, 200, 200, 200, 200}},
    {"equipment.create", {401, 403, 403, 201, 201}},
    {"equipment.update", {401, 403, 403, 200, 200}},
    {"users.list", {401, 403, 403, 200, 200}},
    {"users.create", {401, 403, 403, 201, 201}},
    {"users.update", {401, 403, 403, 200, 200}},
    {"pairings.create", {401, 403, 403, 201, 201}},
    {"devices.list", {401, 403, 403, 200, 200}},
    {"devices.revoke", {401, 204, 204, 204, 204}},
    {"stages.list", {401, 200, 200, 200, 200}},
    {"audit.list", {401, 403, 403, 200, 200}},
    {"reports.kpis", {401, 403, 403, 200, 200}},
    {"sync.status", {401, 403, 403, 200, 200}},
    {"admin.security", {401, 403, 403, 403, 200}},
    {"sync.run", {401, 403, 403, 403, 409}},
    {"connector.get", {401, 403, 403, 403, 200}},
    {"connector.put", {401, 403, 403, 403, 200}},
    {"sync.outbox", {401, 403, 403, 200, 200}},
    {"sync.outbox.requeue", {401, 403, 403, 403, 204}},
    {"sync.deletions", {401, 403, 403, 200, 200}},
    {"sync.deletions.confirm", {401, 403, 403, 403, 200}},
    {"events.stream", {401, 200, 200, 200, 200}},
};

std::optional<Role> role_of(TestServer& s, Who who) {
  if (who == Who::anonymous) return std::nullopt;
  return s.identity(who).role;
}

// A 401/403 that the route guard produced (not a per-record rule).
bool guard_refused(const Reply& r) {
  if (r.status == 401) return true;
  const std::string d = r.detail();
  return r.status == 403 && (d.find("(needs ") != std::string::npos || d.find("CSRF") != std::string::npos);
}

// The answer is one the document promises: its status is listed for the
// operation and a JSON body matches the documented schema.
void check_documented(const handlers::ApiRoute& route, const Reply& r, bool stream) {
  static const auto ops = documented();
  const auto it = ops.find({std::string(http::to_string(route.method)), route.pattern});
  if (it == ops.end()) return;  // reported by api_contract_itest
  const auto& responses = it->second.op->at("responses").as_object();
  EXPECT_TRUE(responses.contains(std::to_string(r.status)))
      << kDoc << ": " << route.name << " answered " << r.status << ", which it does not document";
  if (stream) return;
  const std::string type = r.header("Content-Type").value_or("");
  if (!type.starts_with("application/json") && !type.starts_with("application/problem+json")) return;
  const auto schema = response_schema(it->second, r.status);
  if (!schema) return;
  const auto errors = schema_errors(r.json(), *schema);
  std::string text;
  for (const auto& e : errors) text += "  " + e + "\n";
  EXPECT_TRUE(errors.empty()) << kDoc << ": " << route.name << " " << r.status
                              << " does not match its documented schema:\n" << text << r.body.substr(0, 400);
}

TEST(AccessMatrix, EveryRouteForEveryCaller) {
  TestServer& s = TestServer::get();
  std::vector<std::string> no_recipe;
  int checked = 0;
  for (const handlers::ApiRoute& route : handlers::api_routes()) {
    const std::string method(http::to_string(route.method));
    const auto recipe = recipes().find(route.name);
    if (recipe == recipes().end()) no_recipe.push_back(route.name + " (" + method + " " + route.pattern + ")");
    const auto explicit_row = kExplicit.find(route.name);
    for (std::size_t col = 0; col < std::size(kMatrixColumns); ++col) {
      const Who who = kMatrixColumns[col];
      SCOPED_TRACE(route.name + " as " + std::string(to_string(who)));
      const std::optional<Role> role = role_of(s, who);
      const bool allowed = role ? auth::allows(*role, route.permission)
                                : route.permission == auth::Permission::public_access;
      Call call;
      if (recipe != recipes().end()) {
        call = recipe->second(s, who);
      } else {
        // An unknown route: placeholder ids and an empty object; only the guard is judged.
        call.target = route.pattern;
        for (const char* p : {"{id}", "{n}", "{code}"})
          for (std::size_t at; (at = call.target.find(p)) != std::string::npos;)
            call.target.replace(at, std::string_view(p).size(), "1");
        if (route.method != http::Method::get && route.method != http::Method::delete_) call.body = "{}";
      }
      const Reply r = perform(s, who, method, call, allowed);
      ++checked;
      ASSERT_NE(r.status, 0) << "no response";
      EXPECT_LT(r.status, 500) << r.describe();
      check_documented(route, r, call.stream && allowed);
      if (!allowed) {
        const int expected = who == Who::anonymous ? 401 : 403;
        EXPECT_EQ(r.status, expected) << r.describe();
        EXPECT_TRUE(r.is_problem()) << r.describe();
        if (expected == 401) {
          EXPECT_EQ(r.header("WWW-Authenticate").value_or(""), "Bearer");
        } else {
          EXPECT_NE(r.detail().find("needs " + std::string(auth::to_string(route.permission))), std::string::npos)
              << r.describe();
        }
      } else if (recipe != recipes().end()) {
        EXPECT_EQ(r.status, call.ok) << r.describe();
      } else {
        EXPECT_FALSE(guard_refused(r)) << r.describe();
      }
      if (explicit_row != kExplicit.end()) {
        const int spelled = explicit_row->second[col];
        const int derived = !allowed ? (who == Who::anonymous ? 401 : 403) : call.ok;
        EXPECT_EQ(spelled, derived) << "kExplicit disagrees with auth/policy.cpp: update one of them";
        EXPECT_EQ(r.status, spelled) << r.describe();
      }
    }
  }
  EXPECT_EQ(checked, int(handlers::api_routes().size() * std::size(kMatrixColumns)));
  std::string missing;
  for (const auto& n : no_recipe) missing += "  " + n + "\n";
  EXPECT_TRUE(no_recipe.empty()) << "Routes without a recipe in tests/api/access_itest.cpp (recipes()): add one "
                                    "that makes an allowed call succeed (their guard was checked with placeholders):\n"
                                 << missing;
}

TEST(AccessMatrix, ExplicitRowsNameRealRoutes) {
  std::set<std::string> names;
  for (const auto& r : handlers::api_routes()) names.insert(r.name);
  for (const auto& [name, row] : kExplicit) EXPECT_TRUE(names.contains(name)) << "no route named " << name;
  for (const auto& [name, recipe] : recipes()) EXPECT_TRUE(names.contains(name)) << "recipe for unknown route " << name;
}

// The policy table itself, spelled out (a copy of the intent in issue 2).
TEST(AccessMatrix, RolePermissionTable) {
  using P = auth::Permission;
  const std::set<P> technician{P::public_access, P::authenticated, P::task_read,    P::task_execute,
                               P::task_report,   P::equipment_read, P::catalog_read, P::events_read};
  std::set<P> manager = technician;
  manager.insert({P::task_plan, P::equipment_write, P::user_read, P::user_manage, P::device_pair, P::device_admin,
                  P::sync_read, P::audit_read, P::reports_read});
  for (P p : auth::kAllPermissions) {
    EXPECT_EQ(auth::allows(Role::technician, p), technician.contains(p)) << auth::to_string(p);
    EXPECT_EQ(auth::allows(Role::manager, p), manager.contains(p)) << auth::to_string(p);
    EXPECT_TRUE(auth::allows(Role::admin, p)) << auth::to_string(p);
    EXPECT_EQ(auth::allows(std::optional<Actor>{}, p), p == P::public_access) << auth::to_string(p);
  }
}

// ---------------------------------------------------------------- per-record rules
TEST(RecordRules, TechnicianCannotSeeOrTouchAnotherTeamsTask) {
  TestServer& s = TestServer::get();
  const TaskId id = s.create_task(s.identity(Who::other_technician).user, s.electrical(), true, "Electrical only 7Q");
  for (Who who : {Who::technician, Who::technician_device}) {
    SCOPED_TRACE(to_string(who));
    for (const auto& [method, rest, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "", ""},
             {"POST", "/start", ""},
             {"POST", "/pause", ""},
             {"POST", "/complete", ""},
             {"POST", "/steps/1", R"({"done":true})"},
             {"POST", "/notes", R"({"text":"not mine"})"}}) {
      const Reply r = s.call(who, method, task_path(id, rest), body);
      EXPECT_EQ(r.status, 404) << method << " " << rest << ": " << r.describe();
      EXPECT_EQ(r.detail(), "Task " + id_of(id.value) + " does not exist.");
    }
    const Reply photo = s.call(who, "POST", task_path(id, "/photos"), tiny_png(), Req{{}, true, "image/png"});
    EXPECT_EQ(photo.status, 404) << photo.describe();
    const Reply list = s.call(who, "GET", "/api/v1/tasks?include_done=true&q=Electrical%20only%207Q");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.json().at("items").as_array().empty()) << list.body;
  }
  EXPECT_EQ(s.call(Who::other_technician, "GET", task_path(id)).status, 200);
  // Its photos, and its line on the machine's page, are hidden too.
  const Reply photo = s.call(Who::manager, "POST", task_path(id, "/photos"), tiny_png(), Req{{}, true, "image/png"});
  ASSERT_EQ(photo.status, 201) << photo.describe();
  const std::string media = "/api/v1/media/" + id_of(photo.json().at("id").as_int64());
  EXPECT_EQ(s.call(Who::technician_device, "GET", media).status, 404);
  EXPECT_EQ(s.call(Who::other_technician, "GET", media).status, 200);
  const Equipment eq = s.store().read_value([&](storage::Tx& tx) {
    storage::EquipmentQuery q;
    q.team = s.electrical();
    q.limit = 1;
    return tx.equipment().list(q).at(0).equipment;
  });
  const Reply moved = s.call(Who::manager, "PATCH", task_path(id), json::serialize(json::object{{"equipment_id", eq.id.value}}));
  ASSERT_EQ(moved.status, 200) << moved.describe();
  for (Who who : {Who::technician, Who::other_technician}) {
    const Reply page = s.call(who, "GET", "/api/v1/equipment/" + id_of(eq.id.value));
    ASSERT_EQ(page.status, 200);
    const json::value body = page.json();
    bool listed = false;
    for (const auto& t : body.at("open_tasks").as_array()) listed = listed || t.at("id").as_int64() == id.value;
    EXPECT_EQ(listed, who == Who::other_technician) << to_string(who);
  }
  const auto after = s.task(id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->execution, Execution::not_started);  // nothing was applied
}

TEST(RecordRules, TechnicianSeesTeamTasksButWorksOnlyOnOwnOrUnassigned) {
  TestServer& s = TestServer::get();
  const UserId chen = s.store().read_value([](storage::Tx& tx) { return tx.users().get_by_login("chen")->id; });
  const TaskId chens = s.create_task(chen, s.mechanical());
  EXPECT_EQ(s.call(Who::technician, "GET", task_path(chens)).status, 200);
  const Reply start = s.call(Who::technician, "POST", task_path(chens, "/start"));
  EXPECT_EQ(start.status, 403) << start.describe();
  EXPECT_NE(start.detail().find("assigned technician"), std::string::npos) << start.describe();
  const Reply note = s.call(Who::technician, "POST", task_path(chens, "/notes"), R"({"text":"x"})");
  EXPECT_EQ(note.status, 403) << note.describe();
  EXPECT_EQ(s.task(chens)->execution, Execution::not_started);

  // An unassigned task of the team: she takes it by starting it.
  const TaskId open = s.create_task(std::nullopt, s.mechanical());
  const Reply take = s.call(Who::technician_device, "POST", task_path(open, "/start"));
  ASSERT_EQ(take.status, 200) << take.describe();
  EXPECT_EQ(take.json().at("assignee").at("id").as_int64(), alice(s).value);
}

TEST(RecordRules, TechnicianCannotPlanTasks) {
  TestServer& s = TestServer::get();
  const TaskId id = alices_task(s);
  const auto before = s.task(id);
  for (Who who : {Who::technician, Who::technician_device}) {
    for (const auto& [method, target, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"POST", "/api/v1/tasks", R"({"title":"Mine now"})"},
             {"PATCH", task_path(id), R"({"title":"Renamed"})"},
             {"DELETE", task_path(id), ""},
             {"POST", "/api/v1/tasks/bulk", R"({"ids":[)" + id_of(id.value) + R"(],"changes":{"priority":3}})"}}) {
      const Reply r = s.call(who, method, target, body);
      EXPECT_EQ(r.status, 403) << method << " " << target << ": " << r.describe();
      EXPECT_EQ(r.detail(), "You are not allowed to do this (needs task_plan).");
    }
  }
  const auto after = s.task(id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->title, before->title);
  EXPECT_EQ(after->version, before->version);
}

TEST(RecordRules, TechnicianCanReportAProblem) {
  TestServer& s = TestServer::get();
  const Equipment eq = s.any_equipment();
  const Reply r = s.call(Who::technician_device, "POST", "/api/v1/tasks/report",
                         json::serialize(json::object{{"equipment_code", eq.code},
                                                      {"title", "Hydraulic hose weeping"},
                                                      {"priority", 3}}));
  ASSERT_EQ(r.status, 201) << r.describe();
  const auto body = r.json().as_object();
  EXPECT_EQ(body.at("type"), "corrective");
  EXPECT_EQ(body.at("reported_by").as_int64(), alice(s).value);
  EXPECT_EQ(body.at("equipment").at("id").as_int64(), eq.id.value);
  EXPECT_TRUE(body.at("assignee").is_null());
  EXPECT_EQ(r.header("Location").value_or(""), "/api/v1/tasks/" + id_of(body.at("id").as_int64()));
  const Reply unknown = s.call(Who::technician, "POST", "/api/v1/tasks/report",
                               R"({"equipment_code":"M-NOPE-1","title":"x"})");
  EXPECT_EQ(unknown.status, 404) << unknown.describe();
  EXPECT_EQ(unknown.detail(), "No machine has the code 'M-NOPE-1'.");
}

TEST(RecordRules, ManagersCannotManageAdmins) {
  TestServer& s = TestServer::get();
  const UserId admin = s.identity(Who::admin).user;
  const Reply pair = s.call(Who::manager, "POST", "/api/v1/pairings",
                            json::serialize(json::object{{"user_id", admin.value}, {"device_name", "Sneaky"}}));
  EXPECT_EQ(pair.status, 403) << pair.describe();
  const Reply demote = s.call(Who::manager, "PATCH", "/api/v1/users/" + id_of(admin.value), R"({"role":"technician"})");
  EXPECT_EQ(demote.status, 403) << demote.describe();
  const Reply mint = s.call(Who::manager, "POST", "/api/v1/users",
                            R"({"login":"boss2","name":"Boss","role":"admin","password":"correct horse battery"})");
  EXPECT_EQ(mint.status, 403) << mint.describe();
  EXPECT_EQ(s.store().read_value([](storage::Tx& tx) { return tx.users().get_by_login("boss2"); }), std::nullopt);
  EXPECT_EQ(s.store().read_value([&](storage::Tx& tx) { return tx.users().get(admin)->role; }), Role::admin);
  // A technician may not revoke someone else's device.
  DeviceId bruno_device;
  s.new_device(s.identity(Who::other_technician).user, &bruno_device);
  const Reply revoke = s.call(Who::technician, "DELETE", "/api/v1/devices/" + id_of(bruno_device.value));
  EXPECT_EQ(revoke.status, 403) << revoke.describe();
}

// ---------------------------------------------------------------- CSRF
TEST(Csrf, SessionsNeedTheTokenOnEveryUnsafeRoute) {
  TestServer& s = TestServer::get();
  const Session admin = s.new_session(s.identity(Who::admin).user);
  int unsafe = 0;
  for (const handlers::ApiRoute& route : handlers::api_routes()) {
    if (route.method == http::Method::get || route.permission == auth::Permission::public_access) continue;
    ++unsafe;
    const std::string method(http::to_string(route.method));
    std::string target = route.pattern;
    for (const char* p : {"{id}", "{n}", "{code}"})
      for (std::size_t at; (at = target.find(p)) != std::string::npos;) target.replace(at, std::string_view(p).size(), "1");
    for (const auto& [label, token] : std::vector<std::pair<std::string, std::optional<std::string>>>{
             {"missing", std::nullopt}, {"wrong", "x" + admin.csrf.substr(1)}, {"empty", ""}}) {
      Headers h{{"Cookie", admin.cookie}, {"Content-Type", "application/json"}};
      if (token) h.emplace_back("X-CSRF-Token", *token);
      const Reply r = s.raw_call(method, target, h, "{}");
      EXPECT_EQ(r.status, 403) << route.name << " with a " << label << " token: " << r.describe();
      EXPECT_EQ(r.detail(), "Missing or invalid CSRF token.") << route.name;
    }
  }
  EXPECT_GT(unsafe, 20);
  // Safe methods need none; devices need none.
  EXPECT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", admin.cookie}}).status, 200);
  const Reply device = s.call(Who::technician_device, "POST", task_path(alices_task(s), "/notes"),
                              R"({"text":"from the glasses"})", Req{{}, false});
  EXPECT_EQ(device.status, 201) << device.describe();
}

TEST(Csrf, RefusedRequestsChangeNothing) {
  TestServer& s = TestServer::get();
  const TaskId id = alices_task(s);
  const auto before = s.task(id);
  const Reply r = s.call(Who::manager, "PATCH", task_path(id), R"({"title":"Forged"})", Req{{}, false});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(s.task(id)->title, before->title);
  EXPECT_EQ(s.task(id)->version, before->version);
}

// ---------------------------------------------------------------- devices, sessions, login
TEST(Devices, RevokedElsewhereStopsWithinTheCacheTtl) {
  TestServer& s = TestServer::get();
  DeviceId id;
  const std::string token = s.new_device(alice(s), &id);
  const Headers bearer{{"Authorization", "Bearer " + token}};
  ASSERT_EQ(s.raw_call("GET", "/api/v1/me", bearer).status, 200);
  // Another instance revokes it: this one trusts its cache for at most 5 s.
  s.store().write([&](storage::Tx& tx) { tx.auth().revoke_device(id, s.clock().now()); });
  EXPECT_EQ(s.raw_call("GET", "/api/v1/me", bearer).status, 200) << "served from the principal cache";
  s.advance(5001ms);
  const Reply r = s.raw_call("GET", "/api/v1/me", bearer);
  EXPECT_EQ(r.status, 401) << r.describe();
  EXPECT_EQ(r.detail(), "Your session has expired or the device was revoked; sign in again.");
  // Public routes still answer (the dead token is simply not a principal).
  EXPECT_EQ(s.raw_call("GET", "/healthz", bearer).status, 200);
}

TEST(Devices, RevokedHereStopsAtOnce) {
  TestServer& s = TestServer::get();
  DeviceId id;
  const std::string token = s.new_device(alice(s), &id);
  const Headers bearer{{"Authorization", "Bearer " + token}};
  ASSERT_EQ(s.raw_call("GET", "/api/v1/tasks", bearer).status, 200);
  ASSERT_EQ(s.call(Who::manager, "DELETE", "/api/v1/devices/" + id_of(id.value)).status, 204);
  EXPECT_EQ(s.raw_call("GET", "/api/v1/tasks", bearer).status, 401);
  const auto record = s.store().read_value([&](storage::Tx& tx) { return tx.auth().device(id); });
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->revoked_at.has_value());
}

TEST(Devices, PairingThenBearerTokenWorks) {
  TestServer& s = TestServer::get();
  const Reply redeem =
      s.call(Who::anonymous, "POST", "/api/v1/pairings/redeem",
             json::serialize(json::object{{"code", pairing_code(s, alice(s))}}));
  ASSERT_EQ(redeem.status, 201) << redeem.describe();
  const std::string token(redeem.json().at("token").as_string());
  const Reply me = s.raw_call("GET", "/api/v1/me", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(me.status, 200) << me.describe();
  EXPECT_EQ(me.json().at("via"), "device");
  EXPECT_EQ(me.json().at("login"), "alice");
  EXPECT_FALSE(me.json().as_object().contains("csrf_token"));
}

TEST(Sessions, DisabledUserIsSignedOut) {
  TestServer& s = TestServer::get();
  const Reply created = s.call(Who::admin, "POST", "/api/v1/users",
                               R"({"login":"temp.tech","name":"Temp Tech","password":"correct horse battery"})");
  ASSERT_EQ(created.status, 201) << created.describe();
  const UserId temp{created.json().at("id").as_int64()};
  const Session session = s.new_session(temp);
  ASSERT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", session.cookie}}).status, 200);
  ASSERT_EQ(s.call(Who::manager, "PATCH", "/api/v1/users/" + id_of(temp.value), R"({"active":false})").status, 200);
  EXPECT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", session.cookie}}).status, 401);
}

TEST(Sessions, LoginThroughTheApi) {
  TestServer& s = TestServer::get();
  const auto& a = s.identity(Who::technician);
  const Reply login = s.call(Who::anonymous, "POST", "/api/v1/session",
                             json::serialize(json::object{{"login", a.login}, {"password", a.password}}));
  ASSERT_EQ(login.status, 200) << login.describe();
  const std::string set_cookie = login.header("Set-Cookie").value_or("");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf(login.json().at("csrf_token").as_string());
  const Reply me = s.raw_call("GET", "/api/v1/me", {{"Cookie", cookie}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json().at("via"), "session");
  EXPECT_EQ(std::string(me.json().at("csrf_token").as_string()), csrf);
  const Reply note = s.raw_call("POST", task_path(alices_task(s), "/notes"),
                                {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Content-Type", "application/json"}},
                                R"({"text":"signed in"})");
  EXPECT_EQ(note.status, 201) << note.describe();
  const Reply out = s.raw_call("DELETE", "/api/v1/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", cookie}}).status, 401);

  const Reply wrong = s.call(Who::anonymous, "POST", "/api/v1/session",
                             R"({"login":"alice","password":"not her password"})");
  EXPECT_EQ(wrong.status, 401) << wrong.describe();
  EXPECT_EQ(wrong.detail(), "Login or password is incorrect.");
}

// ---------------------------------------------------------------- throttling
TEST(Throttling, FailedSignInsPerAccount) {
  TestServer& s = TestServer::get();
  const std::string body = R"({"login":"nobody.throttled","password":"not the password"})";
  for (int i = 0; i < 5; ++i) {
    const Reply r = s.call(Who::anonymous, "POST", "/api/v1/session", body);
    ASSERT_EQ(r.status, 401) << i << ": " << r.describe();
  }
  const Reply limited = s.call(Who::anonymous, "POST", "/api/v1/session", body);
  EXPECT_EQ(limited.status, 429) << limited.describe();
  EXPECT_TRUE(limited.is_problem());
  EXPECT_NE(limited.detail().find("Too many failed sign-in attempts."), std::string::npos) << limited.describe();
  const int retry = std::stoi(limited.header("Retry-After").value_or("0"));
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 15 * 60);
  s.advance(std::chrono::seconds(retry + 1));
  EXPECT_EQ(s.call(Who::anonymous, "POST", "/api/v1/session", body).status, 401) << "the window has passed";
}

TEST(Throttling, PublicReportsPerAddress) {
  TestServer& s = TestServer::get();
  s.advance(61min);  // a fresh hour for this address
  const std::string target = "/api/v1/public/equipment/" + s.any_equipment().code + "/report";
  for (int i = 0; i < 10; ++i) ASSERT_EQ(s.call(Who::anonymous, "POST", target, R"({"title":"Leak"})").status, 201) << i;
  const Reply limited = s.call(Who::anonymous, "POST", target, R"({"title":"Leak"})");
  EXPECT_EQ(limited.status, 429) << limited.describe();
  EXPECT_NE(limited.detail().find("Too many reports from this address."), std::string::npos) << limited.describe();
  EXPECT_TRUE(limited.header("Retry-After").has_value());
  s.advance(61min);
}

}  // namespace
}  // namespace visor::apitest
