#pragma once
// The real Odoo 19 payloads copied in tests/odoo_fixtures.
// A missing folder fails the test that needs it, with a message saying why.
#include <string>
#include <string_view>

#include "connectors/odoo/http_client.hpp"

namespace visor::odoo::testing {

/// The folder, as given by VISOR_ODOO_FIXTURES_DIR.
std::string fixtures_dir();

/// The whole file; throws std::runtime_error naming the path when missing.
std::string read_fixture(std::string_view name);

/// A json2_error_*.txt fixture ("HTTP 401", headers, blank line, body).
HttpResponse read_http_fixture(std::string_view name);

}  // namespace visor::odoo::testing
