#include "odoo_double.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace visor::odoo::testing {
namespace {

using namespace std::chrono_literals;

std::string read_port_file(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

OdooDouble::OdooDouble(Options options) : options_(std::move(options)) {
  if (!std::filesystem::exists(VISOR_ODOO_DOUBLE)) {
    throw std::runtime_error(std::string("the stand-in Odoo is missing: ") + VISOR_ODOO_DOUBLE);
  }
  char tmpl[] = "/tmp/visor-odoo-double-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  const auto port_file = dir_ + "/port";

  std::vector<std::string> args = {VISOR_PYTHON3, VISOR_ODOO_DOUBLE, "--port", "0", "--port-file", port_file,
                                   "--seed", options_.seed, "--version", std::to_string(options_.version),
                                   "--api-key", options_.api_key};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("could not start " + args[0]);
  }

  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the stand-in Odoo exited during start-up (status " + std::to_string(status) + ")");
    }
    const auto text = read_port_file(port_file);
    if (!text.empty()) {
      port_ = std::stoi(text);
      http_ = make_curl_http_client(HttpClientOptions{.connect_timeout = 2000ms, .timeout = 10000ms});
      return;
    }
    std::this_thread::sleep_for(20ms);  // process start-up: nothing to wait on but the file
  }
  stop();
  throw std::runtime_error("the stand-in Odoo did not write its port file within 20 s");
}

OdooDouble::~OdooDouble() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void OdooDouble::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  pid_ = -1;
}

Value OdooDouble::control(std::string_view command, const Object& body) {
  return control_call(HttpRequest{.url = url() + "/__control/" + std::string(command),
                                  .content_type = "application/json",
                                  .body = boost::json::serialize(body)});
}

Value OdooDouble::control_get(std::string_view command, std::string_view query) {
  auto target = url() + "/__control/" + std::string(command);
  if (!query.empty()) target += "?" + std::string(query);
  return control_call(HttpRequest{.method = "GET", .url = target});
}

Value OdooDouble::control_call(HttpRequest request) {
  const auto response = http_->send(request);
  if (response.status != 200) {
    throw std::runtime_error("control " + request.url + " answered " + std::to_string(response.status) + ": " +
                             response.body);
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (ec) throw std::runtime_error("control " + request.url + " answered no JSON: '" + response.body + "'");
  return value;
}

}  // namespace visor::odoo::testing
