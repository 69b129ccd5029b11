#include "sync_fixture.hpp"

#include <libpq-fe.h>
#include <sodium.h>
#include <unistd.h>

#include <thread>

#include <boost/json/serialize.hpp>

#include "connectors/odoo/connector.hpp"
#include "sync/connector_settings.hpp"

namespace visor::testing {
namespace json = boost::json;

namespace {

[[maybe_unused]] std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

void pg_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string error = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("PostgreSQL: " + error);
  }
  PGresult* r = PQexec(c, sql.c_str());
  const auto status = PQresultStatus(r);
  const std::string error = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error("PostgreSQL: " + error);
}

[[maybe_unused]] std::string suffix() {
  unsigned char b[6];
  randombytes_buf(b, sizeof b);
  char hex[13];
  sodium_bin2hex(hex, sizeof hex, b, sizeof b);
  return hex;
}

}  // namespace

std::int64_t m2o(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_array()) return v.get_array().at(0).as_int64();
  return 0;
}

TestDatabase::TestDatabase([[maybe_unused]] const std::filesystem::path& dir) {
#ifdef VISOR_SYNC_PGTEST
  base_url_ = env("VISOR_TEST_PG_URL");
  if (base_url_.empty()) {
    if (env("VISOR_SKIP_PG") == "1") return;
    problem_ = "VISOR_TEST_PG_URL is not set (eval \"$(scripts/lib/pg-cluster.sh start)\"), or VISOR_SKIP_PG=1 to skip";
    return;
  }
  schema_ = "visor_sync_" + suffix();
  pg_exec(base_url_, "CREATE SCHEMA " + schema_);
  url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
#else
  url_ = "sqlite://" + (dir / "visor.db").string();
#endif
}

TestDatabase::~TestDatabase() {
  if (!schema_.empty()) {
    try {
      pg_exec(base_url_, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (const std::exception&) {
    }
  }
}

void SyncTest::SetUp() {
  if (sodium_init() < 0) FAIL() << "libsodium";
  char tmpl[] = "/tmp/visor-sync-it-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  db_ = std::make_unique<TestDatabase>(dir_);
  // A fatal failure or a skip here keeps the test body from running.
  if (!db_->problem().empty()) FAIL() << db_->problem();
  if (!db_->available()) GTEST_SKIP() << "no database for this backend";
  store_ = storage::open_store(db_->url());
  bus_ = events::make_local_bus();
  box_.emplace(auth::SecretBox::open_or_create(sync::secret_key_file(dir_)));
  driver_ = odoo::make_driver(*store_, *bus_, clock_, registry_);
  engine_ = another_engine();
  deps_ = std::make_unique<services::Deps>(services::Deps{*store_, *bus_, clock_});
}

void SyncTest::TearDown() {
  deps_.reset();
  engine_.reset();
  driver_.reset();
  bus_.reset();
  store_.reset();
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void SyncTest::connect(OdooDouble& odoo, const std::string& protocol, const std::string& key) {
  sync::ConnectorUpdate u;
  u.url = odoo.url();
  u.database = "odoo";
  u.login = "admin";
  u.protocol = protocol;
  u.secret = Secret(key.empty() ? odoo.options().api_key : key);
  u.timeout = std::chrono::seconds(10);
  change_settings(u);
}

void SyncTest::change_settings(const sync::ConnectorUpdate& update) {
  store_->write([&](storage::Tx& tx) { sync::save_connector(tx, update, *box_, *driver_); });
}

std::unique_ptr<sync::Engine> SyncTest::another_engine() {
  sync::EngineOptions o;
  o.instance_id = "test";
  return std::make_unique<sync::Engine>(*store_, *bus_, clock_, registry_, *box_, *driver_, o);
}

std::int64_t SyncTest::task_count() {
  return store_->read_value([](storage::Tx& tx) {
    storage::TaskQuery q;
    q.include_done = q.include_archived = true;
    return tx.tasks().count(q);
  });
}

sync::CycleReport SyncTest::sync(bool reconcile, bool expect_ok) {
  sync::CycleReport r = engine_->run_once(reconcile);
  if (expect_ok) {
    EXPECT_TRUE(r.configured);
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  }
  return r;
}

void SyncTest::sync_until_idle(std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    engine_->run_once(false);
    if (outbox(storage::OutboxStatus::pending).empty()) return;
    if (std::chrono::steady_clock::now() > until) {
      ADD_FAILURE() << "the outbox did not empty within " << deadline.count() << " s";
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::optional<Task> SyncTest::task_by_odoo(std::int64_t id) {
  return store_->read_value([&](storage::Tx& tx) { return tx.tasks().get_by_odoo(OdooId(id)); });
}

std::vector<Step> SyncTest::steps(TaskId id) {
  return store_->read_value([&](storage::Tx& tx) { return tx.tasks().steps(id); });
}

std::optional<User> SyncTest::user_by_login(const std::string& login) {
  return store_->read_value([&](storage::Tx& tx) { return tx.users().get_by_login(login); });
}

services::Caller SyncTest::manager() {
  auto u = user_by_login("boss");
  if (!u) {
    User n;
    n.login = "boss";
    n.name = "The Boss";
    n.role = Role::manager;
    n.created_at = clock_.now();
    store_->write([&](storage::Tx& tx) { tx.users().insert(n, ""); });
    u = n;
  }
  return services::Caller{Actor{u->id, Role::manager, std::nullopt}, "boss", "127.0.0.1", std::nullopt};
}

services::Caller SyncTest::technician(const std::string& login) {
  const auto u = user_by_login(login);
  if (!u) throw std::runtime_error("no local user " + login);
  return services::Caller{Actor{u->id, u->role, u->team_id}, login, "127.0.0.1", std::nullopt};
}

std::vector<storage::OutboxMessage> SyncTest::outbox(std::optional<storage::OutboxStatus> status) {
  return store_->read_value([&](storage::Tx& tx) { return tx.outbox().list(status, 10000); });
}

std::vector<storage::Conflict> SyncTest::conflicts() {
  return store_->read_value([](storage::Tx& tx) { return tx.sync().conflicts(false, 1000); });
}

std::vector<json::object> SyncTest::committed(OdooDouble& odoo, const std::string& model, const std::string& method) {
  std::vector<json::object> out;
  for (const auto& c : odoo.calls("model=" + model + "&method=" + method)) {
    const auto& o = c.as_object();
    if (o.at("committed").as_bool()) out.push_back(o);
  }
  return out;
}

}  // namespace visor::testing
