#include "odoo_double.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>


namespace visor::testing {
namespace json = boost::json;

OdooDouble::OdooDouble(Options options) : options_(std::move(options)) {
  char tmpl[] = "/tmp/visor-double-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  const std::string port_file = (dir_ / "port").string();
  std::vector<std::string> args{"python3", VISOR_ODOO_DOUBLE, "--port", "0", "--port-file", port_file,
                                "--seed", options_.seed, "--version", std::to_string(options_.version)};
  if (!options_.api_key.empty()) {
    args.push_back("--api-key");
    args.push_back(options_.api_key);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = (dir_ / "double.log").string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("cannot start the Odoo double");
  if (pid_ == 0) {
    // The double dies with the test process, even when a test crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int null = ::open("/dev/null", O_WRONLY);
    // Tracebacks of connections the tests cut (SIGKILL of a client) go to a log.
    const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (null >= 0) ::dup2(null, STDOUT_FILENO);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::execvp("python3", argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_file);
    if (in >> port_ && port_ > 0) break;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the Odoo double exited at start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (port_ <= 0) throw std::runtime_error("the Odoo double did not start within 30 s");
  http_ = odoo::make_curl_http_client(odoo::HttpClientOptions{});
}

OdooDouble::~OdooDouble() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

json::value OdooDouble::control(const std::string& method, const std::string& command, json::object body) {
  odoo::HttpRequest r;
  r.method = method == "GET" ? "GET" : "POST";
  r.url = url() + "/__control/" + command;
  r.content_type = "application/json";
  r.body = json::serialize(body);
  r.replay_safe = true;
  const odoo::HttpResponse res = http_->send(r);
  json::value v = json::parse(res.body);
  if (res.status != 200) throw std::runtime_error("control " + command + ": " + res.body);
  return v;
}

json::array OdooDouble::records(const std::string& model) {
  return control("GET", "state?model=" + model).at("records").as_array();
}

json::object OdooDouble::record(const std::string& model, std::int64_t id) {
  auto rows = control("GET", "state?model=" + model + "&id=" + std::to_string(id)).at("records").as_array();
  if (rows.empty()) return {};
  return rows[0].as_object();
}

json::array OdooDouble::calls(const std::string& query) {
  return control("GET", "calls" + (query.empty() ? "" : "?" + query)).at("calls").as_array();
}

void OdooDouble::modify(const std::string& model, std::int64_t id, json::object values) {
  control("POST", "modify", {{"model", model}, {"id", id}, {"values", std::move(values)}});
}

std::int64_t OdooDouble::create(const std::string& model, json::object values) {
  return control("POST", "create", {{"model", model}, {"values", std::move(values)}}).at("id").as_int64();
}

void OdooDouble::unlink(const std::string& model, std::int64_t id) {
  control("POST", "unlink", {{"model", model}, {"id", id}});
}

}  // namespace visor::testing
