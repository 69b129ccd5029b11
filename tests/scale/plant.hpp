#pragma once
// What the scale-out suites share: one PostgreSQL database holding a small
// demo plant with device tokens, and real `visor serve` processes on it.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pg_database.hpp"
#include "support.hpp"

namespace visor::scaletest {

using opstest::Database;
using opstest::Serving;
using opstest::TempDir;

/// A database with the demo plant and device tokens: the admin's, the
/// manager's and a technician's.
class Plant {
 public:
  explicit Plant(const std::string& name);
  bool ready() const { return !db_.url().empty(); }
  const std::string& url() const { return db_.url(); }
  /// "Authorization: Bearer …" values.
  std::string manager_bearer() const { return "Bearer " + manager_token_; }
  std::string tech_bearer() const { return "Bearer " + tech_token_; }
  std::string admin_bearer() const { return "Bearer " + admin_token_; }
  /// The manager's password (to sign in).
  const std::string& manager_password() const { return manager_password_; }
  std::int64_t tech_device() const { return tech_device_; }
  /// A task the technician's team works on.
  std::int64_t tech_task() const { return tech_task_; }

 private:
  Database db_;
  std::string manager_token_, tech_token_, admin_token_, manager_password_;
  std::int64_t tech_device_ = 0, tech_task_ = 0;
};

/// A `visor serve` on the plant's database, with a data folder of its own
/// (as on another machine) and the deployment's one secret key.
class Instance {
 public:
  Instance(const Plant& plant, std::vector<std::string> extra_args = {});
  /// Another process in place of `before` (stopped): same data folder,
  /// same port (a restart).
  Instance(const Plant& plant, Instance& before, std::vector<std::string> extra_args = {});
  std::uint16_t port() const { return port_; }
  Serving& process() { return *serving_; }
  /// Its data folder (instance-id, logs of the process are elsewhere).
  std::filesystem::path data_dir() const { return *dir_ / "data"; }

 private:
  void start(const Plant& plant, const std::string& listen, std::vector<std::string> extra_args);
  std::shared_ptr<TempDir> dir_;
  std::unique_ptr<Serving> serving_;
  std::uint16_t port_ = 0;
};

}  // namespace visor::scaletest
