#include "fixture.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

namespace visor::storage::test {
namespace {

constexpr const char* kHowToRun =
    "VISOR_TEST_PG_URL is not set, so the PostgreSQL contract suite cannot run.\n"
    "  - scripts/test sets it (it starts a throw-away PostgreSQL 15).\n"
    "  - by hand: eval \"$(scripts/lib/pg-cluster.sh start)\"; run the test;\n"
    "    scripts/lib/pg-cluster.sh stop \"$VISOR_TEST_PG_DIR\"\n"
    "  - or point it at any server where you may create schemas:\n"
    "    VISOR_TEST_PG_URL=postgresql://user@host:port/db\n"
    "  - VISOR_SKIP_PG=1 skips these tests instead (local development only).";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

void pg_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot connect to " + url + ": " + message);
  }
  PGresult* r = PQexec(c, sql.c_str());
  const ExecStatusType status = PQresultStatus(r);
  const std::string message = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error("SQL failed: " + sql + ": " + message);
}

std::string with_schema(const std::string& base, const std::string& schema) {
  const char sep = base.find('?') == std::string::npos ? '?' : '&';
  return base + sep + "options=-csearch_path%3D" + schema;
}

}  // namespace

std::vector<Backend> tested_backends() {
#ifdef VISOR_STORAGE_PGTEST
  return {Backend::postgres};
#else
  return {Backend::sqlite_file, Backend::sqlite_memory};
#endif
}

void PrintTo(Backend backend, std::ostream* os) { *os << backend_name({backend, 0}); }

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::sqlite_file: return "sqlite_file";
    case Backend::sqlite_memory: return "sqlite_memory";
    case Backend::postgres: return "postgresql";
  }
  return "unknown";
}

TimePoint at(std::int64_t seconds) { return from_unix(1'790'000'000 + seconds); }

void StoreTest::SetUp() {
  switch (GetParam()) {
    case Backend::sqlite_memory:
      url_ = "sqlite::memory:";
      break;
    case Backend::sqlite_file:
      dir_ = std::filesystem::temp_directory_path() / ("visor-store-test-" + unique_suffix());
      url_ = "sqlite://" + (dir_ / "visor.db").string();  // the store creates the directory
      break;
    case Backend::postgres:
      pg_base_url_ = env("VISOR_TEST_PG_URL");
      if (pg_base_url_.empty()) {
        if (env("VISOR_SKIP_PG") == "1") GTEST_SKIP() << "VISOR_SKIP_PG=1: PostgreSQL tests skipped";
        FAIL() << kHowToRun;
      }
      url_ = with_schema(pg_base_url_, new_pg_schema());
      break;
  }
  store_ = open_store(url_);
}

void StoreTest::TearDown() {
  store_.reset();
  for (const std::string& schema : pg_schemas_) {
    try {
      pg_exec(pg_base_url_, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string StoreTest::new_pg_schema() {
  std::string schema = "visor_test_" + unique_suffix();
  pg_exec(pg_base_url_, "CREATE SCHEMA " + schema);
  pg_schemas_.push_back(schema);
  return schema;
}

std::unique_ptr<Store> StoreTest::open_again(const StoreOptions& options) {
  EXPECT_TRUE(shared()) << "open_again() on a backend that cannot share data";
  return open_store(url_, options);
}

std::string StoreTest::fresh_url() {
  switch (GetParam()) {
    case Backend::sqlite_memory: return "sqlite::memory:";
    case Backend::sqlite_file: return "sqlite://" + (dir_ / ("fresh" + std::to_string(++fresh_count_) + ".db")).string();
    case Backend::postgres: return with_schema(pg_base_url_, new_pg_schema());
  }
  return {};
}

void StoreTest::raw_exec(const std::string& sql) {
  ASSERT_TRUE(shared());
  if (GetParam() == Backend::postgres) {
    pg_exec(url_, sql);
    return;
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "visor.db").c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string text = message ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << text;
}

Stage StoreTest::add_stage(const std::string& name, bool done, int sequence) {
  Stage s;
  s.name = name;
  s.done = done;
  s.sequence = sequence;
  store().write([&](Tx& tx) { tx.catalog().save_stage(s); });
  return s;
}

Team StoreTest::add_team(const std::string& name) {
  Team t;
  t.name = name;
  store().write([&](Tx& tx) { tx.catalog().save_team(t); });
  return t;
}

User StoreTest::add_user(const std::string& login, std::optional<TeamId> team) {
  User u;
  u.login = login;
  u.name = login + " name";
  u.email = login + "@example.com";
  u.team_id = team;
  u.created_at = at();
  store().write([&](Tx& tx) { tx.users().insert(u, "hash-" + login); });
  return u;
}

Equipment StoreTest::add_equipment(const std::string& code, const std::string& name) {
  Equipment e;
  e.code = code;
  e.name = name;
  e.location = "Hall " + code;
  e.updated_at = at();
  store().write([&](Tx& tx) { tx.equipment().insert(e); });
  return e;
}

Task StoreTest::new_task(StageId stage, const std::string& title) {
  Task t;
  t.title = title;
  t.stage_id = stage;
  t.created_at = at();
  t.updated_at = at();
  return t;
}

Task StoreTest::add_task(Task task) {
  store().write([&](Tx& tx) { tx.tasks().insert(task); });
  return task;
}

}  // namespace visor::storage::test
