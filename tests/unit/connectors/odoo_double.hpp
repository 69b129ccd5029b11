#pragma once
// Runs the stand-in Odoo (tests/odoo_double/server.py) as a child process on
// a free loopback port and talks to its /__control/ API.
#include <string>
#include <string_view>
#include <sys/types.h>

#include "connectors/odoo/http_client.hpp"
#include "connectors/odoo/value.hpp"

namespace visor::odoo::testing {

class OdooDouble {
 public:
  struct Options {
    int version = 19;
    std::string api_key = "visor-itest-key";
    std::string seed = "demo";
  };

  /// Starts the double and waits (up to 20 s) for it to write its port.
  explicit OdooDouble(Options options);
  ~OdooDouble();
  OdooDouble(const OdooDouble&) = delete;
  OdooDouble& operator=(const OdooDouble&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const Options& options() const { return options_; }

  /// POST /__control/{command} with a JSON object; the JSON answer.
  Value control(std::string_view command, const Object& body = {});
  /// GET /__control/{command}?{query}.
  Value control_get(std::string_view command, std::string_view query = {});

  /// SIGTERM, then wait for the process to end.
  void stop();

 private:
  Value control_call(HttpRequest request);

  Options options_;
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::unique_ptr<HttpClient> http_;
};

}  // namespace visor::odoo::testing
