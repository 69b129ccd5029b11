#pragma once
// The stand-in Odoo (tests/odoo_double/server.py) as a child process on a
// loopback port chosen by the OS, and its control API (/__control/...).
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "connectors/odoo/http_client.hpp"

namespace visor::testing {

class OdooDouble {
 public:
  struct Options {
    std::string seed = "demo";
    int version = 19;
    std::string api_key = "visor-test-key";
  };

  explicit OdooDouble(Options options);
  OdooDouble() : OdooDouble(Options{}) {}
  ~OdooDouble();
  OdooDouble(const OdooDouble&) = delete;
  OdooDouble& operator=(const OdooDouble&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const Options& options() const { return options_; }

  /// A control command, e.g. control("POST", "fail", {{"count", 3}, {"mode", "drop"}}).
  boost::json::value control(const std::string& method, const std::string& command, boost::json::object body = {});
  /// Stored rows of `model` (archived and inactive included).
  boost::json::array records(const std::string& model);
  boost::json::object record(const std::string& model, std::int64_t id);
  /// The RPC call log, optionally filtered ("method=create&model=…").
  boost::json::array calls(const std::string& query = {});
  /// Writes `values` as an Odoo user would (bumps write_date).
  void modify(const std::string& model, std::int64_t id, boost::json::object values);
  std::int64_t create(const std::string& model, boost::json::object values);
  void unlink(const std::string& model, std::int64_t id);

 private:
  Options options_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<odoo::HttpClient> http_;
};

}  // namespace visor::testing
