#include "fixtures.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace visor::odoo::testing {

std::string fixtures_dir() { return VISOR_ODOO_FIXTURES_DIR; }

std::string read_fixture(std::string_view name) {
  const auto path = std::filesystem::path(fixtures_dir()) / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("Odoo fixture " + path.string() +
                             " not found (tests/odoo_fixtures, VISOR_ODOO_FIXTURES_DIR)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

HttpResponse read_http_fixture(std::string_view name) {
  const auto text = read_fixture(name);
  HttpResponse r;
  const auto head_end = text.find("\n\n");
  if (!text.starts_with("HTTP ") || head_end == std::string::npos) {
    throw std::runtime_error("malformed HTTP fixture " + std::string(name));
  }
  r.status = std::stoi(text.substr(5, 3));
  std::istringstream head(text.substr(0, head_end));
  std::string line;
  std::getline(head, line);  // status line
  while (std::getline(head, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of(" \r") + 1);
    const auto key = line.substr(0, colon);
    if (key == "Content-Type") r.content_type = value;
    if (key == "WWW-Authenticate") r.www_authenticate = value;
  }
  r.body = text.substr(head_end + 2);
  return r;
}

}  // namespace visor::odoo::testing
