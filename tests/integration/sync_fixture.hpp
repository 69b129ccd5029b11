#pragma once
// End-to-end sync tests: the real store (SQLite file, or PostgreSQL in a
// fresh schema when built as a *_pgtest), the real use cases, the sync
// engine, and the stand-in Odoo as a child process on a loopback port.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "auth/secret_box.hpp"
#include "events/bus.hpp"
#include "odoo_double.hpp"
#include "services/context.hpp"
#include "storage/store.hpp"
#include "sync/connector_settings.hpp"
#include "sync/engine.hpp"
#include "util/clock.hpp"
#include "util/metrics.hpp"

namespace visor::testing {

/// A new database for one test: a SQLite file in `dir`, or (pgtest builds) a
/// fresh schema on VISOR_TEST_PG_URL. When PostgreSQL is not configured it is
/// unavailable, with a `problem` unless VISOR_SKIP_PG=1 asked to skip (as the
/// storage suite does). Cleans up in the destructor.
class TestDatabase {
 public:
  explicit TestDatabase(const std::filesystem::path& dir);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  bool available() const { return !url_.empty(); }
  /// Why the test cannot run, when it must fail rather than skip.
  const std::string& problem() const { return problem_; }

 private:
  std::string url_;
  std::string problem_;
  std::string base_url_;
  std::string schema_;
};

/// The id of an Odoo many2one value ([id, "name"], a bare id, or false → 0).
std::int64_t m2o(const boost::json::value& v);

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Stores connector settings pointing at `odoo` (protocol auto), with the
  /// double's API key unless `key` is given.
  void connect(OdooDouble& odoo, const std::string& protocol = "auto", const std::string& key = {});
  /// Stores a change of the connector settings.
  void change_settings(const sync::ConnectorUpdate& update);
  /// Another engine on the same store and data directory (as a second
  /// `visor sync --once` process would build).
  std::unique_ptr<sync::Engine> another_engine();
  /// Tasks in the store, archived and done included.
  std::int64_t task_count();
  /// One full engine cycle; fails the test on errors unless `expect_ok` is false.
  sync::CycleReport sync(bool reconcile = false, bool expect_ok = true);
  /// Cycles until the outbox has nothing pending (backoff delays are whole
  /// seconds), failing the test after `deadline`.
  void sync_until_idle(std::chrono::seconds deadline = std::chrono::seconds(20));

  std::optional<Task> task_by_odoo(std::int64_t odoo_id);
  std::vector<Step> steps(TaskId id);
  std::optional<User> user_by_login(const std::string& login);
  /// A local planner account (not linked to Odoo).
  services::Caller manager();
  /// The caller for a local user synced from Odoo.
  services::Caller technician(const std::string& login);
  services::Deps& deps() { return *deps_; }
  std::vector<storage::OutboxMessage> outbox(std::optional<storage::OutboxStatus> status = std::nullopt);
  std::vector<storage::Conflict> conflicts();

  /// Committed calls in the double's log matching `model` and `method`.
  static std::vector<boost::json::object> committed(OdooDouble& odoo, const std::string& model,
                                                    const std::string& method);

  std::filesystem::path dir_;
  std::unique_ptr<TestDatabase> db_;
  SystemClock clock_;
  metrics::Registry registry_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<events::EventBus> bus_;
  std::optional<auth::SecretBox> box_;
  std::unique_ptr<sync::ConnectorDriver> driver_;
  std::unique_ptr<sync::Engine> engine_;
  std::unique_ptr<services::Deps> deps_;
};

}  // namespace visor::testing
