#pragma once
#include <string_view>

namespace visor::api {

/// The OpenAPI 3 document of the REST API (docs/openapi.json, embedded at
/// build time). A test checks that it lists exactly the router's routes.
std::string_view openapi_json();

}  // namespace visor::api
