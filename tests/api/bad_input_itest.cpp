// Bad input (issue 2): malformed JSON, wrong types, unknown fields,
// oversized bodies and headers, invalid UTF-8, NUL bytes, unknown ids, stale
// If-Match, expired sessions, path traversal, SQL metacharacters in every
// text field, bad dates, out-of-range numbers, bad cursors. Each must get a
// precise 4xx problem (status AND a `detail` naming what is wrong), never a
// 500, and nothing half-written.
//
// Field-by-field checks are driven by docs/openapi.json (every documented
// body field and query parameter of every operation), so a new field is
// covered the day it is documented.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "openapi_doc.hpp"
#include "util/time.hpp"
#include "server.hpp"

namespace visor::apitest {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using namespace std::string_literals;

std::string id_of(std::int64_t v) { return std::to_string(v); }
std::string task_path(TaskId id, std::string_view rest = "") {
  return "/api/v1/tasks/" + id_of(id.value) + std::string(rest);
}

#define EXPECT_PROBLEM(reply, status_, detail_part)                                                   \
  do {                                                                                                \
    const Reply& r_ = (reply);                                                                        \
    EXPECT_EQ(r_.status, status_) << r_.describe();                                                   \
    EXPECT_TRUE(r_.is_problem()) << "not application/problem+json: " << r_.describe();                \
    EXPECT_NE(r_.detail().find(detail_part), std::string::npos)                                       \
        << "detail should mention \"" << (detail_part) << "\": " << r_.describe();                    \
  } while (0)

// ---------------------------------------------------------------- doc-driven helpers
// A minimal valid body per operation (required fields); {} when absent.
json::object base_body(const Operation& o, TestServer& s) {
  const std::string id = o.id();
  if (id == "session.create") return {{"login", "nobody.here"}, {"password", "irrelevant-password"}};
  if (id == "tasks.create") return {{"title", "Base"}};
  if (id == "tasks.report") return {{"equipment_code", s.any_equipment().code}, {"title", "Base"}};
  if (id == "tasks.step") return {{"done", true}};
  if (id == "tasks.note") return {{"text", "Base"}};
  if (id == "tasks.bulk") return {{"ids", json::array{1}}, {"changes", json::object{}}};
  if (id == "equipment.create") return {{"name", "Base"}};
  if (id == "public.report") return {{"title", "Base"}};
  if (id == "users.create") return {{"login", "base"}, {"name", "Base"}, {"password", "base-password"}};
  if (id == "pairings.create") return {{"device_name", "Base"}};
  if (id == "pairings.redeem") return {{"code", "ABCDEF"}};
  if (id == "procedures.create" || id == "procedures.save")
    return {{"name", "Base"}, {"equipment_id", s.any_equipment().id.value}, {"text", "[check] Base"}};
  if (id == "failure_codes.create") return {{"kind", "remedy"}, {"code", "BASE"}, {"label_en", "Base"}, {"label_fr", "Base"}};
  if (id == "meters.create") return {{"name", "Base"}};
  if (id == "meters.read") return {{"value", 1}};
  if (id == "meters.rule_add") return {{"kind", "every"}, {"value", 100}};
  if (id == "triage.reject") return {{"reason", "Base"}};
  if (id == "triage.merge") return {{"into_task_id", 1}};
  return {};
}

// Required query parameters (with their documented examples).
std::string base_query(const Operation& o, std::string_view except = {}) {
  std::string q;
  for (const auto& p : parameters(o)) {
    if (p.at("in") != "query" || !p.contains("required") || !p.at("required").as_bool()) continue;
    if (p.at("name").as_string() == except) continue;
    const auto* example = p.if_contains("example");
    EXPECT_TRUE(example) << "required query parameter " << p.at("name") << " needs an example in " << kDoc;
    if (!example) continue;
    const std::string value = example->is_string() ? std::string(example->as_string()) : json::serialize(*example);
    q += (q.empty() ? "" : "&") + std::string(p.at("name").as_string()) + "=" + url_encode(value);
  }
  return q;
}

std::string type_of(const json::object& schema) {
  if (const auto* t = schema.if_contains("type")) return std::string(t->as_string());
  if (schema.contains("oneOf") || schema.contains("anyOf")) return "oneOf";
  return "";
}

// Sends `body` to operation `o` as the admin (all permissions).
Reply send_body(TestServer& s, const Operation& o, const json::object& body) {
  return s.call(Who::admin, o.method, fill_path(o.path, s), json::serialize(body));
}

struct FieldCase {
  std::string label;
  json::value value;
};

// The bad values for one documented body field.
std::vector<FieldCase> bad_values(const json::object& schema) {
  std::vector<FieldCase> out;
  const std::string type = type_of(schema);
  if (type == "string") out.push_back({"a number", 12345});
  if (type == "integer") out.push_back({"a string", "7"}), out.push_back({"a fraction", 1.5});
  if (type == "boolean") out.push_back({"a string", "yes"}), out.push_back({"a number", 1});
  if (type == "array" || type == "object" || type == "oneOf") out.push_back({"a number", 5});
  if (type == "string" || type == "oneOf") out.push_back({"a NUL byte", json::value(json::string(std::string_view("a\0b", 3)))});
  if (type == "string") {
    if (const auto* max = schema.if_contains("maxLength"))
      out.push_back({"too long", json::value(std::string(std::size_t(max->to_number<std::int64_t>()) + 1, 'a'))});
    if (schema.contains("enum")) out.push_back({"not one of the enum", "bogus-value"});
    const auto* format = schema.if_contains("format");
    if (format && (*format == "date-time" || *format == "date")) {
      out.push_back({"an impossible date", "2026-02-30T08:00:00Z"});
      out.push_back({"a word", "tomorrow"});
    }
  }
  if (type == "integer") {
    if (const auto* max = schema.if_contains("maximum"); max && max->to_number<std::int64_t>() < INT64_MAX)
      out.push_back({"above the maximum", max->to_number<std::int64_t>() + 1});
    if (const auto* min = schema.if_contains("minimum"))
      out.push_back({"below the minimum", min->to_number<std::int64_t>() - 1});
    out.push_back({"beyond 64 bits", json::parse("18446744073709551616")});
  }
  return out;
}

TEST(BodyFields, EveryDocumentedFieldRejectsBadValues) {
  TestServer& s = TestServer::get();
  int cases = 0;
  for (const auto& [key, o] : documented()) {
    const auto schema = body_schema(o);
    if (!schema || !schema->contains("properties")) continue;
    for (const auto& [name, raw] : schema->at("properties").as_object()) {
      const json::object field = deref(raw).as_object();
      for (const auto& c : bad_values(field)) {
        json::object body = base_body(o, s);
        body[name] = c.value;
        const Reply r = send_body(s, o, body);
        ++cases;
        SCOPED_TRACE(key.first + " " + key.second + " field '" + std::string(name) + "' as " + c.label);
        EXPECT_PROBLEM(r, 400, std::string(name));
      }
    }
  }
  EXPECT_GT(cases, 300);
}

// ---------------------------------------------------------------- query parameters
std::vector<std::pair<std::string, std::string>> bad_query_values(const json::object& schema) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string type = type_of(schema);
  if (type == "integer") {
    out.push_back({"a word", "abc"});
    out.push_back({"a fraction", "1.5"});
    out.push_back({"empty", ""});
    out.push_back({"beyond 64 bits", "99999999999999999999"});
    if (const auto* max = schema.if_contains("maximum"))
      out.push_back({"above the maximum", std::to_string(max->to_number<std::int64_t>() + 1)});
    if (const auto* min = schema.if_contains("minimum"))
      out.push_back({"below the minimum", std::to_string(min->to_number<std::int64_t>() - 1)});
  }
  if (type == "string") {
    const auto* format = schema.if_contains("format");
    if (format && *format == "date-time") {
      out.push_back({"a word", "yesterday"});
      out.push_back({"an impossible date", "2026-02-30T00:00:00Z"});
      out.push_back({"no zone", "2026-03-01T00:00:00"});
    }
    if (schema.contains("enum")) out.push_back({"not one of the enum", "maybe"});
    if (schema.contains("pattern")) out.push_back({"not matching the pattern", "me; DROP TABLE tasks"});
    if (const auto* max = schema.if_contains("maxLength"))
      out.push_back({"too long", std::string(std::size_t(max->to_number<std::int64_t>()) + 1, 'a')});
  }
  return out;
}

TEST(QueryParameters, EveryDocumentedParameterRejectsBadValues) {
  TestServer& s = TestServer::get();
  int cases = 0;
  for (const auto& [key, o] : documented()) {
    for (const auto& p : parameters(o)) {
      if (p.at("in") != "query") continue;
      const std::string name(p.at("name").as_string());
      const json::object schema = deref(p.at("schema")).as_object();
      for (const auto& [label, value] : bad_query_values(schema)) {
        std::string query = base_query(o, name);
        query += (query.empty() ? "" : "&") + name + "=" + url_encode(value);
        const bool photo = key.second.ends_with("/photos");
        const Reply r = s.call(Who::admin, key.first, fill_path(key.second, s) + "?" + query,
                               photo ? tiny_png() : "", Req{{}, true, photo ? "image/png" : "application/json"});
        ++cases;
        SCOPED_TRACE(key.first + " " + key.second + " ?" + name + " as " + label);
        EXPECT_PROBLEM(r, 400, name);
      }
    }
  }
  EXPECT_GT(cases, 80);
}

TEST(QueryParameters, RequiredOnesAreRequired) {
  TestServer& s = TestServer::get();
  for (const auto& [key, o] : documented()) {
    for (const auto& p : parameters(o)) {
      if (p.at("in") != "query" || !p.contains("required") || !p.at("required").as_bool()) continue;
      const std::string name(p.at("name").as_string());
      const Reply r = s.call(Who::admin, key.first, fill_path(key.second, s) + "?" + base_query(o, name));
      SCOPED_TRACE(key.first + " " + key.second + " without " + name);
      EXPECT_PROBLEM(r, 400, name);
    }
  }
}

// ---------------------------------------------------------------- unknown ids
// A well-formed id of no record is a 404; a malformed one (not a positive
// whole number, or beyond 64 bits) is a 400 saying so.
TEST(UnknownIds, EveryPathIdAnswers404OrMalformed400) {
  TestServer& s = TestServer::get();
  const TaskId fresh = s.create_task(s.identity(Who::technician).user, s.mechanical(), true);
  int cases = 0;
  for (const auto& [key, o] : documented()) {
    if (key.second.find("{id}") == std::string::npos && key.second.find("{n}") == std::string::npos) continue;
    const bool photo = key.second.ends_with("/photos");
    const std::string body = photo ? tiny_png() : body_fields(o) ? json::serialize(base_body(o, s)) : "";
    const Req opts{{}, true, photo ? "image/png" : "application/json"};
    for (const std::string id : {"999999", "0", "-1", "abc", "1.5", "1abc", "99999999999999999999", "%20"}) {
      std::vector<std::string> targets{fill_path(key.second, s, id)};
      if (key.second.find("{n}") != std::string::npos) {
        // An unknown task with step 1, and a real task with an unknown step
        // (on the route's own path: /steps/{n}, /steps/{n}/follow-up).
        auto with = [&](const std::string& task, const std::string& n) {
          std::string t = key.second;
          t.replace(t.find("{id}"), 4, task);
          t.replace(t.find("{n}"), 3, n);
          return t;
        };
        targets = {with(id, "1"), with(std::to_string(fresh.value), id)};
      }
      for (const auto& target : targets) {
        const Reply r = s.call(Who::admin, key.first, target, body, opts);
        ++cases;
        SCOPED_TRACE(key.first + " " + target);
        EXPECT_TRUE(r.is_problem()) << r.describe();
        const std::string detail = r.detail();
        if (id == "999999") {
          EXPECT_EQ(r.status, 404) << r.describe();
          const bool says = detail.find("does not exist") != std::string::npos ||
                            detail.find("No such") != std::string::npos ||
                            detail.find("has no step") != std::string::npos;
          EXPECT_TRUE(says) << r.describe();
        } else {
          EXPECT_EQ(r.status, 400) << r.describe();
          EXPECT_NE(detail.find("is not a valid id"), std::string::npos) << r.describe();
        }
      }
    }
  }
  EXPECT_GT(cases, 100);
}

TEST(UnknownIds, ReferencesInBodiesAre400s) {
  TestServer& s = TestServer::get();
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","assignee_id":999999})"), 400,
                 "assignee_id 999999 is not an active user.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","stage_id":999999})"), 400,
                 "stage_id 999999 does not exist.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","equipment_id":999999})"), 400,
                 "equipment_id 999999 does not exist.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","team_id":999999})"), 400,
                 "team_id 999999 does not exist.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/equipment", R"({"name":"x","category_id":999999})"), 400,
                 "category_id does not exist.");
  EXPECT_PROBLEM(s.call(Who::technician, "POST", "/api/v1/tasks/report", R"({"equipment_code":"M-9999","title":"x"})"),
                 404, "No machine has the code 'M-9999'.");
  EXPECT_PROBLEM(s.call(Who::anonymous, "GET", "/api/v1/public/equipment/M-9999"), 404,
                 "No machine has the code 'M-9999'.");
  EXPECT_PROBLEM(s.call(Who::technician, "GET", "/api/v1/equipment/by-code/M-9999"), 404,
                 "No machine has the code 'M-9999'.");
}

// ---------------------------------------------------------------- malformed JSON
TEST(MalformedJson, BodiesThatAreNotAJsonObject) {
  TestServer& s = TestServer::get();
  std::string deep;
  for (int i = 0; i < 64; ++i) deep += "[";
  deep = R"({"title":)" + deep;
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"title": "x",)", "The request body is not valid JSON:"},
      {R"({"title": "x"} trailing)", "The request body is not valid JSON:"},
      {R"({'title': 'x'})", "The request body is not valid JSON:"},
      {R"({"title": "x",})", "The request body is not valid JSON:"},
      {"{\"title\": \"a\x01b\"}", "The request body is not valid JSON:"},
      {R"({"title": NaN})", "The request body is not valid JSON:"},
      {deep, "The request body is not valid JSON:"},
      {"[1, 2]", "The request body must be a JSON object, not an array."},
      {R"("a title")", "The request body must be a JSON object, not a string."},
      {"null", "The request body must be a JSON object, not null."},
      {"42", "The request body must be a JSON object, not a number."},
      {"", "The request body must be a JSON object."},
  };
  const std::string before = s.call(Who::manager, "GET", "/api/v1/tasks?limit=1&sort=newest").body;
  for (const auto& [body, detail] : cases) {
    for (const char* target : {"/api/v1/tasks", "/api/v1/session", "/api/v1/users", "/api/v1/tasks/1/notes"}) {
      SCOPED_TRACE(std::string(target) + " ← " + body.substr(0, 40));
      EXPECT_PROBLEM(s.call(Who::admin, "POST", target, body), 400, detail);
    }
  }
  EXPECT_EQ(s.call(Who::manager, "GET", "/api/v1/tasks?limit=1&sort=newest").body, before) << "a task was created";
}

TEST(MalformedJson, FloorActionsTakeAnOptionalObject) {
  TestServer& s = TestServer::get();
  const TaskId id = s.create_task(s.identity(Who::technician).user, s.mechanical());
  EXPECT_PROBLEM(s.call(Who::technician, "POST", task_path(id, "/start"), "[]"), 400,
                 "The request body must be a JSON object, not an array.");
  EXPECT_PROBLEM(s.call(Who::technician, "POST", task_path(id, "/start"), R"({"at":"now"})"), 400, "at must be");
  EXPECT_EQ(s.task(id)->execution, Execution::not_started);
  EXPECT_EQ(s.call(Who::technician, "POST", task_path(id, "/start"), "{}").status, 200);
}

TEST(UnknownFields, AreRejectedByName) {
  TestServer& s = TestServer::get();
  const TaskId id = s.create_task(std::nullopt, s.mechanical());
  const auto before = s.task(id);
  EXPECT_PROBLEM(s.call(Who::manager, "PATCH", task_path(id), R"({"title":"Renamed","titel":"typo"})"), 400,
                 "Unknown field 'titel'. Allowed fields: title, description,");
  EXPECT_EQ(s.task(id)->title, before->title) << "the known field must not be applied either";
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/tasks?asignee=me"), 400,
                 "Unknown query parameter 'asignee'. Use assignee,");
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/stages?x=1"), 400, "This endpoint takes no query parameters.");
}

// ---------------------------------------------------------------- sizes
TEST(Sizes, OversizedBodiesAre413) {
  TestServer& s = TestServer::get();
  const std::string big(1024 * 1024 + 1, 'a');
  const Reply r = s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":")" + big + R"("})");
  EXPECT_PROBLEM(r, 413, "The request body is too large.");
  // Announced but not sent: refused from the headers alone.
  Headers h = s.auth_headers(Who::manager, "POST");
  h.emplace_back("Content-Type", "application/json");
  h.emplace_back("Content-Length", "50000000");
  EXPECT_PROBLEM(s.raw_call("POST", "/api/v1/tasks", h), 413, "The request body is too large.");
  // The upload route takes more than 1 MiB (then judges the bytes), but not more than 12 MiB.
  const TaskId id = s.create_task(s.identity(Who::technician).user, s.mechanical());
  const Reply two_mib = s.call(Who::technician, "POST", task_path(id, "/photos"), std::string(2 << 20, 'x'),
                               Req{{}, true, "image/png"});
  EXPECT_PROBLEM(two_mib, 415, "The body is not a image/png image.");
  const Reply huge = s.call(Who::technician, "POST", task_path(id, "/photos"), std::string((12 << 20) + 1, 'x'),
                            Req{{}, true, "image/png"});
  EXPECT_PROBLEM(huge, 413, "The request body is too large.");
  EXPECT_TRUE(s.store().read_value([&](storage::Tx& tx) { return tx.tasks().work_log(id).empty(); }));
}

TEST(Sizes, HugeHeadersAre431) {
  TestServer& s = TestServer::get();
  Headers h = s.auth_headers(Who::manager, "GET");
  h.emplace_back("X-Padding", std::string(20 * 1024, 'a'));
  EXPECT_PROBLEM(s.raw_call("GET", "/api/v1/tasks", h), 431, "The request line and headers are too large.");
  Headers many = s.auth_headers(Who::manager, "GET");
  for (int i = 0; i < 400; ++i) many.emplace_back("X-H" + std::to_string(i), std::string(60, 'b'));
  EXPECT_PROBLEM(s.raw_call("GET", "/api/v1/tasks", many), 431, "The request line and headers are too large.");
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/tasks?q=" + std::string(20 * 1024, 'q')), 431,
                 "The request line and headers are too large.");
  EXPECT_EQ(s.call(Who::manager, "GET", "/healthz").status, 200) << "the server still answers";
}

// ---------------------------------------------------------------- encodings
TEST(Encoding, InvalidUtf8) {
  TestServer& s = TestServer::get();
  for (const std::string bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\xf4\x90\x80\x80"}) {
    EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"a)" + bad + R"("})"), 400,
                   "The request body is not valid UTF-8.");
  }
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", "{\"ti\xfftle\":\"x\"}"), 400, "UTF-8");
  // In the path and the query string (percent-encoded): refused before any handler.
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/equipment/by-code/M-%FF00"), 400,
                 "The request path is malformed or not allowed.");
  for (const std::string target : {"/api/v1/tasks?q=%FF", "/api/v1/tasks?%FF=1", "/api/v1/equipment?q=%C0%AF"}) {
    SCOPED_TRACE(target);
    const Reply r = s.call(Who::manager, "GET", target);
    EXPECT_PROBLEM(r, 400, "The query string is malformed.");
    EXPECT_FALSE(r.json().is_null()) << "the problem must itself be valid JSON";
  }
}

TEST(Encoding, NulBytes) {
  TestServer& s = TestServer::get();
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"a\u0000b"})"), 400,
                 "title must not contain NUL characters.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", "{\"title\":\"a\0b\"}"s), 400,
                 "The request body is not valid JSON:");
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/tasks/1%00"), 400, "The request path is malformed");
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/equipment/by-code/M-1000%00"), 400,
                 "The request path is malformed");
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/tasks?q=a%00b"), 400, "The query string is malformed.");
  // Raw NUL on the wire: a malformed request, not a crash.
  EXPECT_PROBLEM(send_raw(s.port(), "GET /api/v1/tasks/1\0 HTTP/1.1\r\nHost: t\r\n\r\n"s), 400,
                 "The request is not valid HTTP/1.1.");
  EXPECT_PROBLEM(send_raw(s.port(), "GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\0b\r\n\r\n"s), 400,
                 "The request is not valid HTTP/1.1.");
  EXPECT_EQ(s.call(Who::anonymous, "GET", "/healthz").status, 200);
}

// ---------------------------------------------------------------- dates, numbers, cursors
TEST(Values, BadDatesAndTimes) {
  TestServer& s = TestServer::get();
  const TaskId id = s.create_task(s.identity(Who::technician).user, s.mechanical());
  const auto before = s.task(id);
  for (const char* bad : {"2026-13-01T08:00:00Z", "2026-02-29T08:00:00Z", "2026-03-02T25:00:00Z",
                          "2026-03-02T08:00:00", "2026-03-02", "02/03/2026 08:00", "", "2026-03-02T08:00:00+25:00"}) {
    SCOPED_TRACE(bad);
    EXPECT_PROBLEM(s.call(Who::manager, "PATCH", task_path(id), json::serialize(json::object{{"schedule_start", bad}})),
                   400, "schedule_start must be an ISO 8601 date-time with a zone");
  }
  EXPECT_PROBLEM(s.call(Who::manager, "PATCH", task_path(id),
                        R"({"schedule_start":"2026-03-03T10:00:00Z","schedule_end":"2026-03-03T09:00:00Z"})"),
                 400, "schedule");
  EXPECT_PROBLEM(s.call(Who::manager, "PATCH", task_path(id), R"({"recurrence":{"until":"2026-02-30"}})"), 400,
                 "until must be a date like 2026-11-25.");
  EXPECT_EQ(s.task(id)->version, before->version);
  // Floor actions: `at` within 5 minutes ahead and 30 days back.
  const auto at = [&](auto offset) {
    return json::serialize(json::object{{"at", format_iso8601(s.clock().now() + offset)}});
  };
  EXPECT_PROBLEM(s.call(Who::technician, "POST", task_path(id, "/start"), at(6min)), 400,
                 "at lies in the future; check the device clock.");
  EXPECT_PROBLEM(s.call(Who::technician, "POST", task_path(id, "/start"), at(-24h * 31)), 400,
                 "at is more than 30 days old.");
  EXPECT_EQ(s.task(id)->execution, Execution::not_started);
}

TEST(Values, OutOfRangeNumbers) {
  TestServer& s = TestServer::get();
  for (const char* body : {R"({"title":"x","priority":4})", R"({"title":"x","priority":-1})"})
    EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", body), 400, "priority must be between 0 and 3.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","priority":2.0})"), 400,
                 "priority must be an integer, not a number.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","priority":1e999})"), 400,
                 "priority must be an integer, not a number.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","assignee_id":9223372036854775808})"),
                 400, "assignee_id must be an integer, not a number.");
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks", R"({"title":"x","recurrence":{"interval":0}})"), 400,
                 "interval must be between 1 and 1000.");
  for (const char* limit : {"0", "501", "-1", "abc", "99999999999999999999"}) {
    SCOPED_TRACE(limit);
    EXPECT_PROBLEM(s.call(Who::manager, "GET", std::string("/api/v1/tasks?limit=") + limit), 400, "limit");
  }
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/equipment?limit=0"), 400, "limit must be between 1 and 500.");
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/audit?limit=1001"), 400, "limit must be between 1 and 1000.");
  EXPECT_EQ(s.call(Who::technician, "POST", "/api/v1/tasks/1/steps/10001", R"({"done":true})").status, 404);
}

TEST(Values, BadCursors) {
  TestServer& s = TestServer::get();
  const Reply first = s.call(Who::manager, "GET", "/api/v1/tasks?limit=2&include_done=true&sort=schedule");
  ASSERT_EQ(first.status, 200);
  const std::string cursor(first.json().at("next_cursor").as_string());
  std::string tampered = cursor;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string("garbage"), tampered, cursor + "x", cursor.substr(0, cursor.size() - 2),
                                std::string(600, 'A'), std::string("%27%3B--"), std::string("")}) {
    SCOPED_TRACE(bad);
    const Reply r = s.call(Who::manager, "GET", "/api/v1/tasks?limit=2&include_done=true&sort=schedule&cursor=" + bad);
    if (bad.empty()) {
      EXPECT_EQ(r.status, 200) << "an empty cursor is the first page";
      continue;
    }
    EXPECT_PROBLEM(r, 400, "cursor is not valid");
  }
  // A cursor belongs to its sort order.
  EXPECT_PROBLEM(s.call(Who::manager, "GET", "/api/v1/tasks?limit=2&include_done=true&sort=priority&cursor=" + cursor),
                 400, "cursor is not valid");
}

// ---------------------------------------------------------------- concurrency and sessions
TEST(Preconditions, StaleIfMatchIs412AndChangesNothing) {
  TestServer& s = TestServer::get();
  const TaskId id = s.create_task(std::nullopt, s.mechanical());
  const Reply read = s.call(Who::manager, "GET", task_path(id));
  const std::string etag = read.header("ETag").value_or("");
  ASSERT_EQ(s.call(Who::manager, "PATCH", task_path(id), R"({"priority":3})", Req{{{"If-Match", etag}}}).status, 200);
  const auto now = s.task(id);
  const Reply stale = s.call(Who::manager, "PATCH", task_path(id), R"({"title":"Lost update"})",
                             Req{{{"If-Match", etag}}});
  EXPECT_PROBLEM(stale, 412, "The task changed since you read it (version " + id_of(now->version) + " now)");
  EXPECT_PROBLEM(s.call(Who::manager, "DELETE", task_path(id), "", Req{{{"If-Match", etag}}}), 412,
                 "The task changed since you read it");
  EXPECT_EQ(s.task(id)->title, now->title);
  EXPECT_EQ(s.task(id)->version, now->version);
  for (const char* bad : {"\"abc\"", "v", "\"v0\"", "'; DROP TABLE tasks; --", "\"v-1\""})
    EXPECT_PROBLEM(s.call(Who::manager, "PATCH", task_path(id), R"({"priority":1})", Req{{{"If-Match", bad}}}), 400,
                   "If-Match must be the ETag you received");
  const Equipment eq = s.any_equipment();
  const std::string eq_path = "/api/v1/equipment/" + id_of(eq.id.value);
  EXPECT_PROBLEM(s.call(Who::manager, "PATCH", eq_path, R"({"note":"x"})",
                        Req{{{"If-Match", "\"v" + id_of(eq.version + 7) + "\""}}}),
                 412, "The machine changed since you read it");
}

TEST(Sessions, ExpiredSessionsAre401) {
  TestServer& s = TestServer::get();
  const Session session = s.new_session(s.identity(Who::technician).user);
  const Headers cookie{{"Cookie", session.cookie}};
  ASSERT_EQ(s.raw_call("GET", "/api/v1/me", cookie).status, 200);
  s.advance(11h);  // used within the idle window: the session slides
  ASSERT_EQ(s.raw_call("GET", "/api/v1/me", cookie).status, 200);
  s.advance(12h + 1s);
  const Reply r = s.raw_call("GET", "/api/v1/me", cookie);
  EXPECT_PROBLEM(r, 401, "Your session has expired or the device was revoked; sign in again.");
  EXPECT_EQ(r.header("WWW-Authenticate").value_or(""), "Bearer");
  // Garbage credentials are no principal either.
  for (const std::string& bad : std::vector<std::string>{"visor_session=x", "visor_session=' OR '1'='1",
                                                        "visor_session=" + std::string(43, '!')})
    EXPECT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", bad}}).status, 401) << bad;
  for (const std::string& bad :
       std::vector<std::string>{"Bearer vdt_", "Bearer ' OR 1=1 --", "Bearer " + std::string(5000, 'a')})
    EXPECT_EQ(s.raw_call("GET", "/api/v1/me", {{"Authorization", bad}}).status, 401) << bad.substr(0, 30);
  // No session lives longer than 7 days after sign-in, however active.
  const Session busy = s.new_session(s.identity(Who::technician).user);
  for (int i = 0; i < 14; ++i) {  // 14 × 11 h 59 min = 167 h 46 min
    s.advance(11h + 59min);
    ASSERT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", busy.cookie}}).status, 200) << i;
  }
  s.advance(11h + 59min);
  EXPECT_EQ(s.raw_call("GET", "/api/v1/me", {{"Cookie", busy.cookie}}).status, 401) << "past 7 days";
}

// ---------------------------------------------------------------- path traversal
TEST(PathTraversal, StaticFilesAndApiPaths) {
  TestServer& s = TestServer::get();
  const std::vector<std::string> targets{
      "/../../../../etc/passwd",
      "/hud/../../../../etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/hud/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/hud/..%2F..%2F..%2Fetc%2Fpasswd",
      "/console/..\\..\\..\\etc\\passwd",
      "/m/%252e%252e/%252e%252e/etc/passwd",
      "/hud/....//....//etc/passwd",
      "/hud/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "/api/v1/tasks/../../../etc/passwd",
      "/api/v1/tasks/..%2F..%2Fusers",
      "/api/v1/equipment/by-code/..%2F..%2F..%2Fetc%2Fpasswd",
      "/api/v1/equipment/by-code/....",
      "/api/v1/public/equipment/..%2Fadmin",
      "/api/v1/media/..%2F..%2Fvisor.db",
      "/api/v1/media/1/../../visor.db",
      "//etc/passwd",
      "/visor.db",
      "/media/visor.db",
  };
  for (const auto& t : targets) {
    const Reply r = s.call(Who::admin, "GET", t);
    SCOPED_TRACE(t);
    // Refused, or (for the web apps' client-side routes) the app's own page.
    const bool app_page = r.status == 200 && !t.starts_with("/api/") && r.body.starts_with("<!doctype html>");
    EXPECT_TRUE(r.status == 400 || r.status == 404 || app_page) << r.describe();
    if (!app_page) {
      EXPECT_TRUE(r.is_problem()) << r.describe();
      const std::string d = r.detail();
      EXPECT_TRUE(d.find("path") != std::string::npos || d.find("does not exist") != std::string::npos ||
                  d.find("not a valid id") != std::string::npos || d.find("machine") != std::string::npos)
          << r.describe();
    }
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
    EXPECT_EQ(r.body.find("SQLite format"), std::string::npos);
  }
  // Sent raw (no client-side normalisation), also in absolute form.
  for (const std::string t : {"/../etc/passwd", "/hud/../../etc/passwd", "http://127.0.0.1/../etc/passwd"}) {
    const Reply r = send_raw(s.port(), "GET " + t + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(r.status == 400 || r.status == 404) << t << ": " << r.describe();
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
}

// ---------------------------------------------------------------- SQL metacharacters
const std::string kSql = R"(Robert'); DROP TABLE tasks; -- "x" OR 1=1 /* 50% _a_ \' ` ; SELECT * FROM users)";
const std::string kShortSql = R"(1' OR '1'='1"; --)";  // for fields of ≤ 100 bytes

std::string get_string(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) cur = &cur->as_object().at(key);
  return std::string(cur->as_string());
}

TEST(SqlMetacharacters, TaskFieldsAreStoredAndReturnedVerbatim) {
  TestServer& s = TestServer::get();
  const Reply created = s.call(Who::manager, "POST", "/api/v1/tasks",
                               json::serialize(json::object{{"title", kSql},
                                                            {"description", kSql},
                                                            {"instructions", "<ol><li>" + kSql + "</li></ol>"},
                                                            {"assignee_id", s.identity(Who::technician).user.value},
                                                            {"team_id", s.mechanical().value}}));
  ASSERT_EQ(created.status, 201) << created.describe();
  const TaskId id{created.json().at("id").as_int64()};
  const json::value detail = s.call(Who::technician, "GET", task_path(id)).json();
  EXPECT_EQ(get_string(detail, {"title"}), kSql);
  EXPECT_EQ(get_string(detail, {"description"}), kSql);
  EXPECT_EQ(get_string(detail, {"instructions", "text"}), "<ol><li>" + kSql + "</li></ol>");
  ASSERT_EQ(detail.at("step_list").as_array().size(), 1u);
  EXPECT_EQ(get_string(detail.at("step_list").at(0), {"text"}), kSql);

  // Floor: notes, step notes and values.
  const Reply note = s.call(Who::technician, "POST", task_path(id, "/notes"),
                            json::serialize(json::object{{"text", kSql}}));
  ASSERT_EQ(note.status, 201) << note.describe();
  const Reply step = s.call(Who::technician, "POST", task_path(id, "/steps/1"),
                            json::serialize(json::object{{"note", kSql}, {"value", kShortSql}}));
  ASSERT_EQ(step.status, 200) << step.describe();
  const json::value after = s.call(Who::technician, "GET", task_path(id)).json();
  EXPECT_EQ(get_string(after.at("step_list").at(0), {"note"}), kSql);
  EXPECT_EQ(get_string(after.at("step_list").at(0), {"value"}), kShortSql);
  bool found_note = false;
  for (const auto& e : after.at("work_log").as_array()) found_note = found_note || get_string(e, {"text"}) == kSql;
  EXPECT_TRUE(found_note);

  // PATCH with metacharacters, then search for them: exactly this task.
  const std::string renamed = kSql + " (renamed)";
  ASSERT_EQ(s.call(Who::manager, "PATCH", task_path(id), json::serialize(json::object{{"title", renamed}})).status, 200);
  for (const std::string& q : {renamed, std::string("DROP TABLE tasks; -- \"x\" OR 1=1"), std::string("50% _a_ \\'")}) {
    const Reply list = s.call(Who::manager, "GET", "/api/v1/tasks?include_done=true&q=" + url_encode(q));
    ASSERT_EQ(list.status, 200) << list.describe();
    const json::value page = list.json();
    const auto& items = page.at("items").as_array();
    ASSERT_EQ(items.size(), 1u) << q << ": " << list.body.substr(0, 300);
    EXPECT_EQ(items[0].at("id").as_int64(), id.value);
  }
  // LIKE wildcards are literal: '%' and '_' alone find only titles containing them.
  const Reply percent = s.call(Who::manager, "GET", "/api/v1/tasks?include_done=true&limit=500&q=%25");
  ASSERT_EQ(percent.status, 200);
  const json::value percent_page = percent.json();
  for (const auto& item : percent_page.at("items").as_array())
    EXPECT_NE(get_string(item, {"title"}).find('%'), std::string::npos) << "'%' must not be a wildcard";
  // Reports and problem reports.
  const Equipment eq = s.any_equipment();
  const Reply report = s.call(Who::technician, "POST", "/api/v1/tasks/report",
                              json::serialize(json::object{{"equipment_code", eq.code}, {"title", kSql},
                                                           {"description", kSql}}));
  ASSERT_EQ(report.status, 201) << report.describe();
  EXPECT_EQ(get_string(report.json(), {"title"}), kSql);
  EXPECT_EQ(get_string(report.json(), {"description"}), kSql);
  s.advance(61min);
  const Reply pub = s.call(Who::anonymous, "POST", "/api/v1/public/equipment/" + eq.code + "/report",
                           json::serialize(json::object{{"title", kSql}, {"description", kSql}, {"contact", kSql}}));
  ASSERT_EQ(pub.status, 201) << pub.describe();
  const json::value pub_task = s.call(Who::manager, "GET", task_path(TaskId{pub.json().at("id").as_int64()})).json();
  EXPECT_EQ(get_string(pub_task, {"title"}), kSql);
  EXPECT_EQ(get_string(pub_task, {"reporter_contact"}), kSql);
  // Still every table in place.
  EXPECT_EQ(s.call(Who::manager, "GET", "/api/v1/tasks?limit=1").status, 200);
  EXPECT_EQ(s.call(Who::manager, "GET", "/api/v1/users").status, 200);
}

TEST(SqlMetacharacters, EquipmentPeopleAndDevices) {
  TestServer& s = TestServer::get();
  const Reply eq = s.call(Who::manager, "POST", "/api/v1/equipment",
                          json::serialize(json::object{{"name", kSql},
                                                       {"serial_no", kShortSql},
                                                       {"model", kShortSql},
                                                       {"location", kSql},
                                                       {"note", kSql}}));
  ASSERT_EQ(eq.status, 201) << eq.describe();
  const json::value got = s.call(Who::technician, "GET", "/api/v1/equipment/" + id_of(eq.json().at("id").as_int64())).json();
  EXPECT_EQ(get_string(got, {"name"}), kSql);
  EXPECT_EQ(get_string(got, {"serial_no"}), kShortSql);
  EXPECT_EQ(get_string(got, {"model"}), kShortSql);
  EXPECT_EQ(get_string(got, {"location"}), kSql);
  EXPECT_EQ(get_string(got, {"note"}), kSql);
  const Reply search = s.call(Who::technician, "GET", "/api/v1/equipment?q=" + url_encode(kSql));
  ASSERT_EQ(search.status, 200) << search.describe();
  ASSERT_EQ(search.json().at("items").as_array().size(), 1u) << search.body.substr(0, 300);

  // People: names and e-mails verbatim; logins have a shape and say so.
  const std::string name = R"(O'Brien "Bobby"; DROP TABLE users; --)";
  const Reply user = s.call(Who::admin, "POST", "/api/v1/users",
                            json::serialize(json::object{{"login", "obrien"}, {"name", name},
                                                         {"email", "o'brien+x@plant.example"},
                                                         {"password", "correct horse battery"}}));
  ASSERT_EQ(user.status, 201) << user.describe();
  EXPECT_EQ(get_string(user.json(), {"name"}), name);
  EXPECT_EQ(get_string(user.json(), {"email"}), "o'brien+x@plant.example");
  const Reply bad_login = s.call(Who::admin, "POST", "/api/v1/users",
                                 json::serialize(json::object{{"login", "x' OR '1'='1"}, {"name", "x"},
                                                              {"password", "correct horse battery"}}));
  EXPECT_PROBLEM(bad_login, 400, "login");
  const Reply sign_in = s.call(Who::anonymous, "POST", "/api/v1/session",
                               json::serialize(json::object{{"login", "admin' --"}, {"password", kShortSql + "xxxx"}}));
  EXPECT_PROBLEM(sign_in, 401, "Login or password is incorrect.");
  const Reply me = s.call(Who::technician_device, "PATCH", "/api/v1/me",
                          json::serialize(json::object{{"name", name}}));
  ASSERT_EQ(me.status, 204) << me.describe();
  EXPECT_EQ(get_string(s.call(Who::technician_device, "GET", "/api/v1/me").json(), {"name"}), name);
  s.call(Who::technician_device, "PATCH", "/api/v1/me", R"({"name":"Alice Martin"})");

  // Devices: the name from the pairing request.
  const std::string device_name = R"(Glasses'); --)";
  const Reply pairing = s.call(Who::manager, "POST", "/api/v1/pairings",
                               json::serialize(json::object{{"device_name", device_name}}));
  ASSERT_EQ(pairing.status, 201) << pairing.describe();
  const Reply redeemed = s.call(Who::anonymous, "POST", "/api/v1/pairings/redeem",
                                json::serialize(json::object{{"code", pairing.json().at("code")}}));
  ASSERT_EQ(redeemed.status, 201) << redeemed.describe();
  EXPECT_EQ(get_string(redeemed.json(), {"name"}), device_name);
  EXPECT_PROBLEM(s.call(Who::anonymous, "POST", "/api/v1/pairings/redeem", R"({"code":"' OR 1=1"})"), 404, "");

  // Filters and path parameters.
  for (const char* key : {"action", "target_type", "target_id"}) {
    const Reply audit = s.call(Who::admin, "GET", std::string("/api/v1/audit?") + key + "=" + url_encode(kShortSql));
    ASSERT_EQ(audit.status, 200) << audit.describe();
    EXPECT_TRUE(audit.json().at("items").as_array().empty());
  }
  EXPECT_PROBLEM(s.call(Who::technician, "GET", "/api/v1/equipment/by-code/" + url_encode("M-1000' OR '1'='1")), 400,
                 "is not a machine code.");
  EXPECT_PROBLEM(s.call(Who::technician, "POST", "/api/v1/tasks/1/start",
                        json::serialize(json::object{{"client_action_id", "x'; --"}})),
                 400, "client_action_id may hold only letters, digits, '-' and '_'.");
  EXPECT_EQ(s.call(Who::manager, "GET", "/api/v1/equipment?limit=1").status, 200);
}

TEST(SqlMetacharacters, PatchesPreviewsAndConnectorSettings) {
  TestServer& s = TestServer::get();
  const Equipment eq = s.any_equipment();
  const Reply machine = s.call(Who::manager, "PATCH", "/api/v1/equipment/" + id_of(eq.id.value),
                               json::serialize(json::object{{"location", kSql}}));
  ASSERT_EQ(machine.status, 200) << machine.describe();
  EXPECT_EQ(get_string(machine.json(), {"location"}), kSql);
  const UserId chen = s.store().read_value([](storage::Tx& tx) { return tx.users().get_by_login("chen")->id; });
  const std::string name = R"(Chen'); DELETE FROM users; --)";
  const Reply user = s.call(Who::manager, "PATCH", "/api/v1/users/" + id_of(chen.value),
                            json::serialize(json::object{{"name", name}}));
  ASSERT_EQ(user.status, 200) << user.describe();
  EXPECT_EQ(get_string(user.json(), {"name"}), name);
  const Reply preview = s.call(Who::manager, "POST", "/api/v1/instructions/preview",
                               json::serialize(json::object{{"text", "<ol><li>" + kSql + "</li></ol>"}}));
  ASSERT_EQ(preview.status, 200) << preview.describe();
  EXPECT_EQ(get_string(preview.json().at("steps").at(0), {"text"}), kSql);
  // Connector settings (text kept as typed; the secret is never returned).
  const Reply put = s.call(Who::admin, "PUT", "/api/v1/connector",
                           json::serialize(json::object{{"url", "https://odoo.example.com"},
                                                        {"database", kShortSql},
                                                        {"login", kShortSql},
                                                        {"secret", kSql},
                                                        {"enabled", false}}));
  ASSERT_EQ(put.status, 200) << put.describe();
  const json::value got = s.call(Who::admin, "GET", "/api/v1/connector").json();
  EXPECT_EQ(get_string(got, {"database"}), kShortSql);
  EXPECT_EQ(get_string(got, {"login"}), kShortSql);
  EXPECT_EQ(json::serialize(got).find("DROP TABLE"), std::string::npos) << "the secret leaked";
  EXPECT_TRUE(got.at("secret_set").as_bool());
}

// ---------------------------------------------------------------- nothing half-written
TEST(Atomicity, FailingRequestsWriteNothing) {
  TestServer& s = TestServer::get();
  const std::string title = "Atomic create 5Z";
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks",
                        json::serialize(json::object{{"title", title}, {"assignee_id", 999999}})),
                 400, "assignee_id");
  const Reply search = s.call(Who::manager, "GET", "/api/v1/tasks?include_done=true&include_archived=true&q=" +
                                                       url_encode(title));
  EXPECT_TRUE(search.json().at("items").as_array().empty()) << search.body;

  const TaskId id = s.create_task(s.identity(Who::technician).user, s.mechanical(), true);
  const auto before = s.task(id);
  EXPECT_PROBLEM(s.call(Who::manager, "PATCH", task_path(id), R"({"title":"Changed","stage_id":999999})"), 400,
                 "stage_id 999999 does not exist.");
  EXPECT_PROBLEM(s.call(Who::manager, "PATCH", task_path(id), R"({"title":"Changed","priority":7})"), 400,
                 "priority");
  EXPECT_EQ(s.task(id)->title, before->title);
  EXPECT_EQ(s.task(id)->version, before->version);

  const std::string too_long(101, 'v');
  EXPECT_PROBLEM(s.call(Who::technician, "POST", task_path(id, "/steps/1"),
                        json::serialize(json::object{{"done", true}, {"value", too_long}})),
                 400, "value must be at most 100 bytes");
  const auto log = s.store().read_value([&](storage::Tx& tx) { return tx.tasks().work_log(id); });
  EXPECT_TRUE(log.empty());
  const auto steps = s.store().read_value([&](storage::Tx& tx) { return tx.tasks().steps(id); });
  ASSERT_FALSE(steps.empty());
  EXPECT_FALSE(steps[0].done);

  // Bulk: a bad item refuses the whole request before anything is applied.
  const TaskId other = s.create_task(std::nullopt, s.mechanical());
  const auto other_before = s.task(other);
  EXPECT_PROBLEM(s.call(Who::manager, "POST", "/api/v1/tasks/bulk",
                        json::serialize(json::object{
                            {"items", json::array{json::object{{"id", other.value}, {"changes", {{"priority", 3}}}},
                                                  json::object{{"id", id.value}, {"changes", {{"priority", 9}}}}}}})),
                 400, "priority");
  EXPECT_EQ(s.task(other)->version, other_before->version);
  EXPECT_NE(s.task(other)->priority, 3);

  // A photo that is not what it claims: no media, no work-log entry.
  EXPECT_PROBLEM(s.call(Who::technician, "POST", task_path(id, "/photos"), "GIF89a not a png",
                        Req{{}, true, "image/png"}),
                 415, "The body is not a image/png image.");
  EXPECT_PROBLEM(s.call(Who::technician, "POST", task_path(id, "/photos"), tiny_png(), Req{{}, true, "text/plain"}),
                 415, "Photos must be image/jpeg, image/png or image/webp.");
  EXPECT_TRUE(s.store().read_value([&](storage::Tx& tx) { return tx.tasks().work_log(id).empty(); }));
}

TEST(Atomicity, AccountChangesAreAllOrNothing) {
  TestServer& s = TestServer::get();
  const UserId bruno = s.identity(Who::other_technician).user;
  const auto before = s.store().read_value([&](storage::Tx& tx) { return tx.users().get(bruno); });
  // Disable + a team that does not exist: the account must stay enabled.
  EXPECT_PROBLEM(s.call(Who::admin, "PATCH", "/api/v1/users/" + id_of(bruno.value),
                        R"({"active":false,"team_id":999999})"),
                 400, "team_id");
  // A role change + a password that is too short.
  EXPECT_PROBLEM(s.call(Who::admin, "PATCH", "/api/v1/users/" + id_of(bruno.value),
                        R"({"role":"manager","password":"short"})"),
                 400, "assword");
  const auto after = s.store().read_value([&](storage::Tx& tx) { return tx.users().get(bruno); });
  EXPECT_TRUE(after->active);
  EXPECT_EQ(after->role, before->role);
  EXPECT_EQ(after->team_id, before->team_id);
  EXPECT_EQ(s.call(Who::other_technician, "GET", "/api/v1/me").status, 200) << "bruno's session must survive";

  // My own profile: a new name with a wrong current password changes nothing.
  const Reply me = s.call(Who::technician, "PATCH", "/api/v1/me",
                          R"({"name":"Alice Renamed","current_password":"not my password","new_password":"a brand new password"})");
  EXPECT_PROBLEM(me, 400, "The current password is incorrect.");
  const UserId alice = s.identity(Who::technician).user;
  EXPECT_EQ(s.store().read_value([&](storage::Tx& tx) { return tx.users().get(alice)->name; }), "Alice Martin");
}

TEST(Robustness, NoFiveHundreds) {
  // Whatever came before, the server still answers and never said 500
  // (the metrics count responses by status).
  TestServer& s = TestServer::get();
  const Reply metrics = s.call(Who::anonymous, "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  std::size_t at = 0;
  while ((at = metrics.body.find("status=\"5", at)) != std::string::npos) {
    const auto line_start = metrics.body.rfind('\n', at) + 1;
    const auto line_end = metrics.body.find('\n', at);
    ADD_FAILURE() << "a 5xx was served: " << metrics.body.substr(line_start, line_end - line_start);
    at = line_end;
  }
}

}  // namespace
}  // namespace visor::apitest
