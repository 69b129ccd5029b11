#pragma once
// docs/openapi.json as the API suites read it: the parsed document, $ref
// resolution, and its operations keyed by (METHOD, path).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace visor::apitest {

class TestServer;

inline constexpr const char* kDoc = "docs/openapi.json";

/// The parsed document (a test failure, and an empty object, when it does
/// not parse).
const boost::json::value& doc_value();
const boost::json::object& doc();

/// Follows {"$ref": "#/…"} within the document; returns `v` itself when it
/// is not a reference or the reference does not resolve.
const boost::json::value& deref(const boost::json::value& v);

struct Operation {
  std::string method;  // "GET"
  std::string path;    // "/api/v1/tasks/{id}"
  const boost::json::object* op = nullptr;
  const boost::json::object* path_item = nullptr;

  std::string id() const;  // operationId
};
using OperationKey = std::pair<std::string, std::string>;  // (METHOD, path)

std::map<OperationKey, Operation> documented();

/// Every parameter of an operation (path-level ones included), resolved.
std::vector<boost::json::object> parameters(const Operation& o);
/// Names of the parameters `in` path, query or header.
std::set<std::string> params_in(const Operation& o, std::string_view where);
/// The resolved JSON schema of the request body, if the body is JSON.
std::optional<boost::json::object> body_schema(const Operation& o);
/// The top-level property names of the JSON request body.
std::optional<std::set<std::string>> body_fields(const Operation& o);

/// Checks `instance` against a (resolved or $ref) JSON schema of the
/// document: type, nullable, enum, required, properties,
/// additionalProperties: false, items, allOf/oneOf/anyOf, date-time and date
/// formats. Returns the mismatches ("$.items[0].id: expected integer, got
/// string"); empty when it conforms.
std::vector<std::string> schema_errors(const boost::json::value& instance, const boost::json::value& schema,
                                       const std::string& where = "$");

/// The documented JSON schema of the response `status` of an operation, if
/// it documents one with content application/json or application/problem+json.
std::optional<boost::json::value> response_schema(const Operation& o, int status);

/// `pattern` with {id} and {n} replaced by `id` and {code} by a real
/// machine's code.
std::string fill_path(std::string pattern, TestServer& s, std::string_view id = "1");

std::string upper(std::string_view s);

}  // namespace visor::apitest
