// docs/openapi.json against the code: the route table (methods, paths,
// operationIds, permissions, public routes, query parameters) and the
// handlers themselves (the body fields they accept, asked by sending an
// unknown one and reading the list in the 400's detail). Failure messages
// say exactly what to add or remove in docs/openapi.json.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "api/openapi.hpp"
#include "auth/policy.hpp"
#include "http/handlers/routes.hpp"
#include "openapi_doc.hpp"
#include "server.hpp"

namespace visor::apitest {
namespace {
namespace json = boost::json;
using handlers::ApiRoute;


std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string route_text(const ApiRoute& r) {
  return std::string(http::to_string(r.method)) + " " + r.pattern + " (route '" + r.name + "', permission " +
         std::string(auth::to_string(r.permission)) + ")";
}

std::set<std::string> pattern_params(std::string_view pattern) {
  std::set<std::string> names;
  for (std::size_t open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1))
    names.insert(std::string(pattern.substr(open + 1, pattern.find('}', open) - open - 1)));
  return names;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "(none)" : out;
}

// "Use a, b, c or d." → {a, b, c, d}
std::set<std::string> listed(std::string_view detail, std::string_view marker) {
  std::set<std::string> out;
  const auto at = detail.find(marker);
  if (at == std::string_view::npos) return out;
  std::string rest(detail.substr(at + marker.size()));
  if (!rest.empty() && rest.back() == '.') rest.pop_back();
  for (std::size_t pos = 0; (pos = rest.find(" or ")) != std::string::npos;) rest.replace(pos, 4, ", ");
  std::stringstream ss(rest);
  for (std::string item; std::getline(ss, item, ',');) {
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    if (!item.empty()) out.insert(item);
  }
  return out;
}

TEST(OpenApiDrift, DocumentIsOpenApi303) {
  ASSERT_FALSE(doc().empty());
  EXPECT_EQ(doc().at("openapi"), "3.0.3");
  EXPECT_TRUE(doc().contains("info"));
  const auto& schemes = doc().at("components").at("securitySchemes").as_object();
  for (const char* s : {"sessionCookie", "csrfToken", "deviceToken"})
    EXPECT_TRUE(schemes.contains(s)) << kDoc << ": components.securitySchemes." << s << " is missing";
}

TEST(OpenApiDrift, EveryRouteIsDocumentedAndNothingElse) {
  auto ops = documented();
  std::vector<std::string> missing;
  for (const ApiRoute& r : handlers::api_routes()) {
    const auto key = std::make_pair(std::string(http::to_string(r.method)), r.pattern);
    if (ops.erase(key) == 0) {
      missing.push_back("  " + route_text(r) + "\n    → add paths[\"" + r.pattern + "\"]." + lower(key.first) +
                        " with \"operationId\": \"" + r.name + "\", \"x-visor-permission\": \"" +
                        std::string(auth::to_string(r.permission)) + "\", security, parameters (every query "
                        "parameter the handler accepts), requestBody (additionalProperties: false) and responses "
                        "(problem+json errors).");
    }
  }
  std::string message;
  if (!missing.empty()) {
    message += std::to_string(missing.size()) + " route(s) of handlers::api_routes() missing from " + kDoc +
               " (see tests/api/README.md, \"Adding a route\"):\n";
    for (const auto& m : missing) message += m + "\n";
  }
  if (!ops.empty()) {
    message += std::to_string(ops.size()) + " operation(s) in " + kDoc + " that no route serves (remove them, or "
               "add the route to the table in src/http/handlers/):\n";
    for (const auto& [key, op] : ops) message += "  " + key.first + " " + key.second + "\n";
  }
  EXPECT_TRUE(message.empty()) << message;
}

TEST(OpenApiDrift, OperationIdsAndPermissionsAreTheRouteTable) {
  const auto ops = documented();
  std::set<std::string> ids;
  for (const auto& [key, o] : ops) {
    const auto* id = o.op->if_contains("operationId");
    ASSERT_NE(id, nullptr) << key.first << " " << key.second << " has no operationId";
    EXPECT_TRUE(ids.insert(std::string(id->as_string())).second) << "duplicate operationId " << *id;
  }
  for (const ApiRoute& r : handlers::api_routes()) {
    const auto it = ops.find({std::string(http::to_string(r.method)), r.pattern});
    if (it == ops.end()) continue;  // reported by EveryRouteIsDocumentedAndNothingElse
    const json::object& op = *it->second.op;
    EXPECT_EQ(op.at("operationId").as_string(), r.name)
        << kDoc << ": " << route_text(r) << " must have \"operationId\": \"" << r.name << "\"";
    const auto* perm = op.if_contains("x-visor-permission");
    EXPECT_TRUE(perm && perm->as_string() == auth::to_string(r.permission))
        << kDoc << ": " << route_text(r) << " must have \"x-visor-permission\": \"" << auth::to_string(r.permission)
        << "\"";
    const auto* security = op.if_contains("security");
    ASSERT_NE(security, nullptr) << kDoc << ": " << route_text(r) << " needs an explicit security list";
    const auto& schemes = security->as_array();
    if (r.permission == auth::Permission::public_access) {
      EXPECT_TRUE(schemes.empty()) << kDoc << ": " << route_text(r) << " is public: \"security\": []";
      continue;
    }
    // Guarded: a session (with the CSRF header on unsafe methods) or a device token.
    const bool safe = r.method == http::Method::get || r.method == http::Method::head;
    bool session = false, device = false;
    for (const auto& alt : schemes) {
      const auto& req = alt.as_object();
      if (req.contains("deviceToken")) device = true;
      if (req.contains("sessionCookie")) session = safe || req.contains("csrfToken");
    }
    EXPECT_TRUE(session && device) << kDoc << ": " << route_text(r) << " must list {sessionCookie"
                                   << (safe ? "" : " + csrfToken") << "} and {deviceToken} in security";
    const auto& responses = op.at("responses").as_object();
    EXPECT_TRUE(responses.contains("401")) << kDoc << ": " << route_text(r) << " must document 401";
    bool everyone = true;
    for (Role role : auth::kAllRoles) everyone = everyone && auth::allows(role, r.permission);
    if (!everyone || !safe) {
      EXPECT_TRUE(responses.contains("403")) << kDoc << ": " << route_text(r) << " must document 403";
    }
  }
}

TEST(OpenApiDrift, PathParametersAreDeclared) {
  const auto ops = documented();
  for (const auto& [key, o] : ops) {
    const auto declared = params_in(o, "path");
    const auto expected = pattern_params(key.second);
    EXPECT_EQ(declared, expected) << kDoc << ": " << key.first << " " << key.second << " declares path parameters {"
                                  << join(declared) << "}, the path has {" << join(expected) << "}";
    for (const auto& p : parameters(o)) {
      if (p.at("in").as_string() == "path") {
        EXPECT_TRUE(p.contains("required") && p.at("required").as_bool())
            << key.first << " " << key.second << ": path parameter " << p.at("name") << " must be required";
      }
    }
  }
}

// Every $ref resolves, every operation answers something 2xx, and errors are
// problem+json.
TEST(OpenApiDrift, ReferencesResolveAndErrorsAreProblems) {
  std::vector<std::string> broken;
  std::function<void(const json::value&, const std::string&)> walk = [&](const json::value& v, const std::string& at) {
    if (v.is_object()) {
      if (const auto* r = v.as_object().if_contains("$ref")) {
        const json::value& target = deref(v);
        if (&target == &v || target.as_object().contains("$ref")) broken.push_back(at + " → " + json::serialize(*r));
      }
      for (const auto& kv : v.as_object()) walk(kv.value(), at + "/" + std::string(kv.key()));
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.as_array().size(); ++i) walk(v.as_array()[i], at + "/" + std::to_string(i));
    }
  };
  walk(doc(), "#");
  EXPECT_TRUE(broken.empty()) << "unresolved $ref in " << kDoc << ":\n" << [&] {
    std::string s;
    for (const auto& b : broken) s += "  " + b + "\n";
    return s;
  }();

  for (const auto& [key, o] : documented()) {
    const auto& responses = o.op->at("responses").as_object();
    bool success = false;
    for (const auto& [code, response] : responses) {
      const std::string status(code);
      success = success || status[0] == '2';
      if (status[0] != '4' && status[0] != '5') continue;
      const auto& r = deref(response).as_object();
      const auto* content = r.if_contains("content");
      EXPECT_TRUE(content && content->as_object().contains("application/problem+json"))
          << key.first << " " << key.second << " response " << status << " must be application/problem+json";
    }
    EXPECT_TRUE(success) << key.first << " " << key.second << " documents no 2xx response";
  }
}

// Request bodies are closed: every object schema reachable from a request
// body says additionalProperties: false (the handlers reject unknown fields).
TEST(OpenApiDrift, RequestBodiesRejectUnknownFields) {
  std::function<void(const json::value&, const std::string&, int)> check = [&](const json::value& raw,
                                                                               const std::string& where, int depth) {
    if (depth > 8) return;
    const json::value& s = deref(raw);
    if (!s.is_object()) return;
    const auto& o = s.as_object();
    for (const char* combo : {"oneOf", "anyOf", "allOf"})
      if (const auto* list = o.if_contains(combo))
        for (const auto& alt : list->as_array()) check(alt, where + "/" + combo, depth + 1);
    if (const auto* items = o.if_contains("items")) check(*items, where + "[]", depth + 1);
    if (const auto* props = o.if_contains("properties")) {
      const auto* ap = o.if_contains("additionalProperties");
      EXPECT_TRUE(ap && ap->is_bool() && !ap->as_bool()) << where << ": set \"additionalProperties\": false";
      for (const auto& kv : props->as_object()) check(kv.value(), where + "." + std::string(kv.key()), depth + 1);
    }
  };
  for (const auto& [key, o] : documented()) {
    const auto* rb = o.op->if_contains("requestBody");
    if (!rb) continue;
    for (const auto& [type, media] : deref(*rb).as_object().at("content").as_object())
      if (type == "application/json") check(media.as_object().at("schema"), key.first + " " + key.second, 0);
  }
}

// The response checker used by the access matrix (every route's answers are
// held to their documented schemas there) is not vacuous.
TEST(OpenApiDrift, SchemaCheckerCatchesMismatches) {
  const json::value task_row = json::object{{"$ref", "#/components/schemas/TaskRow"}};
  EXPECT_FALSE(schema_errors(json::parse(R"({"id":"7"})"), task_row).empty()) << "wrong type, missing fields";
  EXPECT_FALSE(schema_errors(json::parse(R"({"id":7,"title":"x","priority":1,"type":"broken","execution":"paused",
      "stage":{"id":1,"name":"New","done":false},"version":1,"updated_at":"2026-03-02T08:00:00Z"})"), task_row).empty())
      << "value outside the enum";
  EXPECT_FALSE(schema_errors(json::parse(R"({"title":5})"),
                             json::object{{"$ref", "#/components/schemas/TaskChanges"}}).empty());
  EXPECT_FALSE(schema_errors(json::parse(R"({"colour":"red"})"),
                             json::object{{"$ref", "#/components/schemas/TaskChanges"}}).empty())
      << "closed schemas refuse undocumented properties";
  TestServer& s = TestServer::get();
  const Reply list = s.call(Who::manager, "GET", "/api/v1/tasks?limit=3&include_done=true");
  EXPECT_TRUE(schema_errors(list.json(), json::object{{"$ref", "#/components/schemas/TaskList"}}).empty());
}

TEST(OpenApiServed, TheServedDocumentIsTheFile) {
  TestServer& s = TestServer::get();
  const Reply r = s.call(Who::anonymous, "GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json");
  const json::value served = r.json();
  ASSERT_TRUE(served.is_object()) << "the served OpenAPI document does not parse";
  EXPECT_EQ(served.as_object(), doc()) << "the binary embeds an older docs/openapi.json: rebuild";
  EXPECT_EQ(api::openapi_json(), r.body);
}

// Each route declares the query parameters it reads (ApiRoute::query, read
// by the one reader in api/query.hpp): the document must list exactly those.
TEST(OpenApiHandlers, QueryParametersAreTheRouteTablesOwn) {
  const auto ops = documented();
  for (const ApiRoute& r : handlers::api_routes()) {
    const auto it = ops.find({std::string(http::to_string(r.method)), r.pattern});
    if (it == ops.end()) continue;  // reported by EveryRouteIsDocumentedAndNothingElse
    std::set<std::string> declared;
    for (std::string_view name : r.query) declared.insert(std::string(name));
    EXPECT_EQ(params_in(it->second, "query"), declared)
        << kDoc << ": " << route_text(r) << " documents query parameters {" << join(params_in(it->second, "query"))
        << "} but the route table declares {" << join(declared) << "}";
  }
}

// The guard holds every handler to its declared list: an unknown parameter
// is a 400 naming the accepted ones; empty pieces (a trailing '&') are not
// parameters.
TEST(OpenApiHandlers, UnknownQueryParametersAreRefusedEmptyPiecesIgnored) {
  TestServer& s = TestServer::get();
  for (const ApiRoute& r : handlers::api_routes()) {
    if (r.method != http::Method::get || r.pattern == "/api/v1/events") continue;  // a stream stays open
    const std::string base = fill_path(r.pattern, s);
    const Reply unknown = s.call(Who::admin, "GET", base + "?zz_not_a_parameter=1");
    ASSERT_EQ(unknown.status, 400) << route_text(r) << ": " << unknown.describe();
    std::set<std::string> declared;
    for (std::string_view name : r.query) declared.insert(std::string(name));
    if (declared.empty()) {
      EXPECT_EQ(unknown.detail(), "This endpoint takes no query parameters.") << route_text(r);
    } else {
      EXPECT_EQ(listed(unknown.detail(), ". Use "), declared) << route_text(r) << ": " << unknown.detail();
    }
    const Reply plain = s.call(Who::admin, "GET", base);
    const Reply trailing = s.call(Who::admin, "GET", base + "?&");
    EXPECT_EQ(trailing.status, plain.status) << route_text(r) << ": '?&' is no parameter: " << trailing.describe();
  }
  const Reply list = s.call(Who::manager, "GET", "/api/v1/tasks?limit=3&");
  EXPECT_EQ(list.status, 200) << "a trailing '&' is no parameter: " << list.describe();
  const Reply twice = s.call(Who::manager, "GET", "/api/v1/tasks?limit=3&limit=4");
  EXPECT_EQ(twice.status, 400) << twice.describe();
  EXPECT_EQ(twice.detail(), "Query parameter 'limit' is given more than once.");
}

// Likewise the JSON body fields: an unknown field yields "Allowed fields: …".
TEST(OpenApiHandlers, BodyFieldsAreTheHandlersOwn) {
  TestServer& s = TestServer::get();
  for (const auto& [key, o] : documented()) {
    const auto fields = body_fields(o);
    if (!fields) continue;
    const Reply r = s.call(Who::admin, key.first, fill_path(key.second, s), R"({"zz_not_a_field": 1})");
    const std::string detail = r.detail();
    ASSERT_EQ(r.status, 400) << key.first << " " << key.second << " accepted an unknown field: " << r.describe();
    EXPECT_EQ(*fields, listed(detail, "Allowed fields: "))
        << kDoc << ": " << key.first << " " << key.second << " documents body fields {" << join(*fields)
        << "} but the handler says: " << detail;
  }
  // Nested objects with their own field lists.
  struct Nested {
    std::string method, path, body, schema;
  };
  const std::vector<Nested> nested{
      {"POST", "/api/v1/tasks", R"({"title":"x","instructions":{"zz_not_a_field":1}})", "Instructions"},
      {"POST", "/api/v1/tasks", R"({"title":"x","recurrence":{"zz_not_a_field":1}})", "Recurrence"},
      {"POST", "/api/v1/tasks/bulk", R"({"ids":[1],"changes":{"zz_not_a_field":1}})", "BulkChanges"},
      {"POST", "/api/v1/tasks/bulk", R"({"items":[{"id":1,"changes":{},"zz_not_a_field":1}]})", "BulkItem"},
  };
  for (const auto& n : nested) {
    const Reply r = s.call(Who::admin, n.method, n.path, n.body);
    ASSERT_EQ(r.status, 400) << n.body << ": " << r.describe();
    std::set<std::string> documented_fields;
    for (const auto& kv : doc().at("components").at("schemas").at(n.schema).at("properties").as_object())
      documented_fields.insert(std::string(kv.key()));
    EXPECT_EQ(documented_fields, listed(r.detail(), "Allowed fields: "))
        << kDoc << ": components.schemas." << n.schema << " vs the handler: " << r.detail();
  }
}

}  // namespace
}  // namespace visor::apitest
