// /api/v1/tasks: lists with filters, cursors and ETags; the task card; the
// planner's create/update/delete; the floor actions of technicians.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_read.hpp"
#include "api/json_write.hpp"
#include "domain/instructions.hpp"
#include "http/handlers/routes.hpp"
#include "http/handlers/task_response.hpp"
#include "services/tasks.hpp"
#include "util/error.hpp"

namespace visor::handlers {
namespace json = boost::json;
using http::Method;
using P = auth::Permission;

namespace {

// The list's query; `with_total` is set by total=true (count every match too).
storage::TaskQuery parse_query(const Call& call, bool* with_total = nullptr) {
  const api::Query& in = call.query;
  storage::TaskQuery q;
  if (const auto v = in.text("assignee", 20)) {
    if (*v == "me") q.assignee = call.who().user;
    else if (*v == "none") q.unassigned_only = true;
    else q.assignee = UserId{*in.id("assignee")};
  }
  if (const auto v = in.id("stage")) q.stage = StageId{*v};
  if (const auto v = in.id("equipment")) q.equipment = EquipmentId{*v};
  if (const auto v = in.id("team")) q.team = TeamId{*v};
  if (const auto v = in.text("execution", 20)) {
    q.execution = parse_execution(*v);
    if (!q.execution) invalid("execution must be not_started, in_progress, paused or completed.");
  }
  q.due_before = in.time("due_before");
  q.scheduled_from = in.time("from");
  q.scheduled_to = in.time("to");
  if (const auto v = in.text("q", 200)) q.text = *v;
  if (in.flag("late").value_or(false)) q.late_at = call.ctx.deps.clock.now();
  if (with_total) *with_total = in.flag("total").value_or(false);
  if (const auto v = in.flag("include_done")) q.include_done = *v;
  if (const auto v = in.flag("include_archived")) q.include_archived = *v;
  if (const auto v = in.choice("sort", {"newest", "schedule", "priority", "updated"})) {
    q.sort = *v == "newest"     ? storage::TaskSort::newest
             : *v == "schedule" ? storage::TaskSort::schedule
             : *v == "priority" ? storage::TaskSort::priority
                                : storage::TaskSort::updated;
  }
  if (const auto v = in.text("cursor", 8192)) {
    if (v->size() > 512) invalid("cursor is not valid.");
    q.cursor = *v;
  }
  if (const auto v = in.integer("limit", 1, 500)) q.limit = int(*v);
  return q;
}

// A list changes when a change it may show commits: the version (the
// stamps of the scopes the list depends on — the caller's tasks and team,
// or every task; decision 0018), the minute, who asks and what they ask
// identify a list page. That identity keys the cache of rendered pages, and
// its hash makes the validator. No list query runs for a 304 or a cached
// page. (Cards are keyed by it too, plus the id.)
std::string request_identity(const Call& call, const std::string& version, TimePoint now) {
  const auto& p = call.who();
  return version + "." + minute_of(now) + "|" + std::to_string(p.user.value) + "|" + std::string(to_string(p.role)) +
         "|" + std::to_string(p.team ? p.team->value : 0) + "|" + call.req.query_string;
}

std::string list_etag(TimePoint now, const std::string& identity) {
  return "W/\"s" + std::to_string(std::hash<std::string>{}(identity)) + "." + minute_of(now) + "\"";
}

bool matches(const http::Request& req, const std::string& etag) {
  const auto inm = req.header("If-None-Match");
  if (!inm) return false;
  return inm->find(etag) != std::string_view::npos || *inm == "*";
}

http::Response list_response(std::string body, const std::string& etag) {
  http::Response res = status_only(200);
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json");
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "private, no-cache");
  return res;
}

// A quick attempt (on an I/O thread) answers 304s and cached bodies; it
// reads only the stamps, and only from an in-process store.
bool quick_possible(const Call& call) { return !call.req.quick || call.ctx.deps.store.in_process(); }

http::Response list(Call& call) {
  if (!quick_possible(call)) return http::Response::defer();
  bool with_total = false;
  const storage::TaskQuery query = parse_query(call, &with_total);
  const TimePoint now = call.ctx.deps.clock.now();
  std::string identity, etag;
  std::shared_ptr<const Rendered> cached;
  bool deferred = false;
  const auto result = services::list_tasks(call.ctx.deps, call.caller(), query, [&](const std::string& version) {
    identity = request_identity(call, version, now);
    etag = list_etag(now, identity);
    if (matches(call.req, etag)) return true;
    cached = call.ctx.task_lists.find(identity, !call.req.quick);
    deferred = !cached && call.req.quick;
    return cached != nullptr || deferred;
  }, with_total);
  if (deferred) return http::Response::defer();
  if (cached) return list_response(cached->body, etag);
  if (!result.page) return not_modified(etag);
  // The hottest response: written straight into the body, no JSON tree.
  std::string body;
  body.reserve(512 * result.page->rows.size() + 64);
  api::JsonWriter w(body);
  w.begin_object().key("items").begin_array();
  for (const auto& row : result.page->rows) api::write_json(w, row, now);
  w.end_array().key("next_cursor");
  if (result.page->next_cursor.empty()) w.null();
  else w.string(result.page->next_cursor);
  if (result.total) w.key("total").number(*result.total);
  w.end_object();
  call.ctx.task_lists.put(identity, {body, etag});
  return list_response(std::move(body), etag);
}

// "v<version>.<steps done>.<newest log entry>.<minute>": If-Match reads
// the version before the first dot.
std::string detail_etag(const services::TaskDetail& d, TimePoint now) {
  std::int64_t newest = 0;
  for (const WorkLogEntry& e : d.log) newest = std::max(newest, e.id);
  return "\"v" + std::to_string(d.row.task.version) + "." + std::to_string(d.row.steps_done) + "." +
         std::to_string(newest) + "." + minute_of(now) + "\"";
}

http::Response card_response(int status, std::string body, const std::string& etag) {
  http::Response res = json_response(status, std::move(body));
  res.set_header("ETag", etag);
  return res;
}

http::Response detail(const Call& call, const services::TaskDetail& d, int status = 200,
                      std::optional<TimePoint> at = std::nullopt) {
  const TimePoint now = at.value_or(call.ctx.deps.clock.now());
  http::Response res = card_response(status, api::card_json(d, now), detail_etag(d, now));
  if (status == 201) res.set_header("Location", "/api/v1/tasks/" + std::to_string(d.row.task.id.value));
  return res;
}

// A card is rendered once per revision, minute and caller (the visibility
// check is the caller's): the glasses re-reading a card, or a console and
// the glasses on one task, cost no query between two changes. A running
// task's card is never kept: its time on tool grows with the clock.
http::Response get(Call& call) {
  if (!quick_possible(call)) return http::Response::defer();
  const TaskId id{call.id_param("id")};
  const TimePoint now = call.ctx.deps.clock.now();
  std::string identity;
  std::shared_ptr<const Rendered> cached;
  bool deferred = false;
  const auto d = services::get_task_unless(call.ctx.deps, call.caller(), id, [&](const std::string& version) {
    identity = request_identity(call, version, now) + "|" + std::to_string(id.value);
    cached = call.ctx.task_cards.find(identity, !call.req.quick);
    deferred = !cached && call.req.quick;
    return cached != nullptr || deferred;
  });
  if (deferred) return http::Response::defer();
  const std::string etag = cached ? cached->etag : detail_etag(*d, now);
  if (matches(call.req, etag)) return not_modified(etag);
  if (cached) return card_response(200, cached->body, etag);
  http::Response res = detail(call, *d, 200, now);
  if (d->row.task.execution != Execution::in_progress) call.ctx.task_cards.put(identity, {res.body, etag});
  return res;
}

// Older work-log entries, newest first by page; a card carries the newest
// ones and `work_log_before`, the cursor to these.
http::Response work_log(Call& call) {
  storage::WorkLogQuery query;
  if (const auto v = call.query.text("before", 64)) {
    if (v->empty()) invalid("before is not a work-log cursor.");
    query.before = *v;
  }
  if (const auto n = call.query.integer("limit", 1, 500)) query.limit = int(*n);
  const storage::WorkLogPage page =
      services::work_log(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, query);
  std::string body;
  body.reserve(160 * page.entries.size() + 64);
  api::JsonWriter w(body);
  w.begin_object().key("items").begin_array();
  for (const WorkLogEntry& e : page.entries) api::write_json(w, e);
  w.end_array().key("before");
  if (page.before.empty()) w.null();
  else w.string(page.before);
  w.end_object();
  return json_response(200, std::move(body));
}

template <class Id>
std::optional<std::optional<Id>> optional_id(const json::object& body, std::string_view key) {
  const auto f = api::get_int(body, key, 1, INT64_MAX);
  if (!f.present) return std::nullopt;
  if (!f.value) return std::optional<Id>{};
  return std::optional<Id>{Id{*f.value}};
}

Instructions parse_instructions_field(const json::value& v) {
  if (v.is_null()) return {};
  if (v.is_string()) {
    if (v.get_string().find('\0') != json::string::npos) invalid("instructions must not contain NUL characters.");
    return Instructions{InstructionKind::text, std::string(v.get_string()), {}};
  }
  if (!v.is_object()) invalid("instructions must be a string of HTML or an object {kind, text, url}.");
  const json::object& o = v.get_object();
  api::reject_unknown(o, {"kind", "text", "url"});
  Instructions in;
  const auto kind = api::get_string(o, "kind", 20);
  if (kind.value) {
    const auto k = parse_instruction_kind(*kind.value);
    if (!k) invalid("instructions.kind must be none, text, pdf or google_slide.");
    in.kind = *k;
  }
  in.text = api::get_string(o, "text", 200'000).value.value_or("");
  in.url = api::get_string(o, "url", 2000).value.value_or("");
  if (!kind.value) in.kind = in.text.empty() ? InstructionKind::none : InstructionKind::text;
  if (!valid_instruction_url(in.url))
    invalid("instructions.url must be an https:// link or a path on this server (starting with a single '/').");
  return in;
}

Recurrence parse_recurrence(const json::value& v) {
  if (v.is_null()) return {};
  if (!v.is_object()) invalid("recurrence must be an object {enabled, interval, unit, type, until}.");
  const json::object& o = v.get_object();
  api::reject_unknown(o, {"enabled", "interval", "unit", "type", "until"});
  Recurrence r;
  r.enabled = api::get_bool(o, "enabled").value.value_or(true);
  r.interval = int(api::get_int(o, "interval", 1, 1000).value.value_or(1));
  if (const auto u = api::get_string(o, "unit", 10).value) {
    const auto unit = parse_repeat_unit(*u);
    if (!unit) invalid("recurrence.unit must be day, week, month or year.");
    r.unit = *unit;
  }
  if (const auto t = api::get_string(o, "type", 10).value) {
    const auto type = parse_repeat_type(*t);
    if (!type) invalid("recurrence.type must be forever or until.");
    r.type = *type;
  }
  r.until = api::get_date(o, "until").value;
  return r;
}

services::TaskChanges parse_changes(const json::object& body) {
  api::reject_unknown(body, {"title", "description", "equipment_id", "assignee_id", "team_id", "stage_id", "priority",
                             "type", "schedule_start", "schedule_end", "instructions", "recurrence", "archived"});
  services::TaskChanges c;
  if (const auto f = api::get_string(body, "title", 200); f.present) c.title = f.value.value_or("");
  if (const auto f = api::get_string(body, "description", 100'000); f.present) c.description = f.value.value_or("");
  c.equipment_id = optional_id<EquipmentId>(body, "equipment_id");
  c.assignee_id = optional_id<UserId>(body, "assignee_id");
  c.team_id = optional_id<TeamId>(body, "team_id");
  if (const auto f = api::get_int(body, "stage_id", 1, INT64_MAX); f.present)
    c.stage_id = StageId{api::required(f, "stage_id")};
  if (const auto f = api::get_int(body, "priority", kMinPriority, kMaxPriority); f.present)
    c.priority = int(api::required(f, "priority"));
  if (const auto f = api::get_string(body, "type", 20); f.present) {
    c.type = parse_maintenance_type(api::required(f, "type"));
    if (!c.type) invalid("type must be corrective or preventive.");
  }
  if (const auto f = api::get_time(body, "schedule_start"); f.present) c.schedule_start = f.value;
  if (const auto f = api::get_time(body, "schedule_end"); f.present) c.schedule_end = f.value;
  if (const auto it = body.find("instructions"); it != body.end()) c.instructions = parse_instructions_field(it->value());
  if (const auto it = body.find("recurrence"); it != body.end()) c.recurrence = parse_recurrence(it->value());
  if (const auto f = api::get_bool(body, "archived"); f.present) c.archived = api::required(f, "archived");
  return c;
}

http::Response create(Call& call) {
  const auto body = api::parse_object(call.req.body);
  return detail(call, services::create_task(call.ctx.deps, call.caller(), parse_changes(body)), 201);
}

http::Response patch(Call& call) {
  const auto body = api::parse_object(call.req.body);
  const auto changes = parse_changes(body);
  return detail(call, services::update_task(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, changes,
                                            if_match_version(call.req)));
}

http::Response remove(Call& call) {
  services::delete_task(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, if_match_version(call.req));
  return status_only(204);
}

json::object optional_body(const http::Request& req) {
  if (req.body.empty()) return {};
  return api::parse_object(req.body);
}

using FloorFn = services::TaskDetail (*)(services::Deps&, const services::Caller&, TaskId,
                                         const services::ActionOptions&);

ApiHandler floor(FloorFn fn) {
  return [fn](Call& call) {
    const auto body = optional_body(call.req);
    api::reject_unknown(body, {"at", "client_action_id"});
    return detail(call, fn(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, parse_action(body)));
  };
}

http::Response step(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"done", "note", "value", "at", "client_action_id"});
  services::StepResult r;
  r.done = api::get_bool(body, "done").value;
  r.note = api::get_string(body, "note", 4000).value;
  r.value = api::get_string(body, "value", 1000).value;
  const std::int64_t n = call.id_param("n");
  if (n > 10'000) not_found("No such step.");
  return detail(call, services::record_step(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, int(n), r,
                                            parse_action(body)));
}

http::Response note(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"text", "at", "client_action_id"});
  const std::string text = api::required(api::get_string(body, "text", 4000), "text");
  return detail(call, services::add_note(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, text,
                                         parse_action(body)),
                201);
}

http::Response report(Call& call) {
  const auto body = api::parse_object(call.req.body);
  api::reject_unknown(body, {"equipment_code", "title", "description", "priority"});
  services::ProblemReport r;
  r.equipment_code = api::required(api::get_string(body, "equipment_code", 40), "equipment_code");
  r.title = api::required(api::get_string(body, "title", 200), "title");
  r.description = api::get_string(body, "description", 4000).value.value_or("");
  r.priority = int(api::get_int(body, "priority", kMinPriority, kMaxPriority).value.value_or(2));
  return detail(call, services::report_problem(call.ctx.deps, call.caller(), r), 201);
}

}  // namespace

http::Response task_card(const Call& call, const services::TaskDetail& d, int status) { return detail(call, d, status); }

// Floor actions take an optional body {at, client_action_id} so that actions
// queued offline keep their real time and replay harmlessly.
services::ActionOptions parse_action(const json::object& body) {
  services::ActionOptions o;
  o.at = api::get_time(body, "at").value;
  o.client_action_id = api::get_string(body, "client_action_id", 64).value.value_or("");
  return o;
}

void add_task_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/tasks", "tasks.list", P::task_read, list,
               {"assignee", "stage", "equipment", "team", "execution", "due_before", "from", "to", "late", "q",
                "include_done", "include_archived", "sort", "cursor", "limit", "total"},
               false, Work::api, true});
  r.push_back({Method::post, "/api/v1/tasks", "tasks.create", P::task_plan, create});
  r.push_back({Method::post, "/api/v1/tasks/report", "tasks.report", P::task_report, report});
  r.push_back({Method::get, "/api/v1/tasks/{id}", "tasks.get", P::task_read, get, {}, false, Work::api, true});
  r.push_back({Method::get, "/api/v1/tasks/{id}/work-log", "tasks.work_log", P::task_read, work_log,
               {"before", "limit"}});
  r.push_back({Method::patch, "/api/v1/tasks/{id}", "tasks.update", P::task_plan, patch});
  r.push_back({Method::delete_, "/api/v1/tasks/{id}", "tasks.delete", P::task_plan, remove});
  r.push_back({Method::post, "/api/v1/tasks/{id}/start", "tasks.start", P::task_execute, floor(services::start_task)});
  r.push_back({Method::post, "/api/v1/tasks/{id}/pause", "tasks.pause", P::task_execute, floor(services::pause_task)});
  r.push_back(
      {Method::post, "/api/v1/tasks/{id}/resume", "tasks.resume", P::task_execute, floor(services::resume_task)});
  r.push_back({Method::post, "/api/v1/tasks/{id}/steps/{n}", "tasks.step", P::task_execute, step});
  r.push_back({Method::post, "/api/v1/tasks/{id}/notes", "tasks.note", P::task_execute, note});
}

}  // namespace visor::handlers
