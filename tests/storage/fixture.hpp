#pragma once
// The storage contract suite's fixture: every test runs once per backend.
// storage_contract_test runs SQLite (a temp file, and in memory);
// storage_contract_pgtest runs PostgreSQL in a fresh schema per test, on the
// server named by VISOR_TEST_PG_URL (scripts/test starts one).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/store.hpp"
#include "util/error.hpp"

namespace visor::storage::test {

enum class Backend { sqlite_file, sqlite_memory, postgres };
void PrintTo(Backend backend, std::ostream* os);

/// The backends this binary tests (set by VISOR_STORAGE_PGTEST).
std::vector<Backend> tested_backends();
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  /// Another store on the same database, like a second Visor instance.
  /// Only for persistent backends (see shared()).
  std::unique_ptr<Store> open_again(const StoreOptions& options = {});
  /// True when open_again() sees the same data (not for sqlite::memory:).
  bool shared() const { return GetParam() != Backend::sqlite_memory; }
  /// The URL of a new, empty database of the same backend (cleaned up after
  /// the test).
  std::string fresh_url();
  /// Runs SQL on the test database behind the store's back (to corrupt data
  /// on purpose). Only when shared().
  void raw_exec(const std::string& sql);

  // --- seed data -----------------------------------------------------------
  Stage add_stage(const std::string& name, bool done = false, int sequence = 0);
  Team add_team(const std::string& name);
  User add_user(const std::string& login, std::optional<TeamId> team = std::nullopt);
  Equipment add_equipment(const std::string& code, const std::string& name = "Pump");
  /// A valid task with plain defaults, not yet stored.
  Task new_task(StageId stage, const std::string& title = "Check the pump");
  Task add_task(Task task);

  std::string url_;
  std::unique_ptr<Store> store_;

 private:
  std::string new_pg_schema();
  std::filesystem::path dir_;
  std::string pg_base_url_;
  std::vector<std::string> pg_schemas_;
  int fresh_count_ = 0;
};

/// The time every seeded record uses, plus `seconds`.
TimePoint at(std::int64_t seconds = 0);

/// Runs `fn` and checks it throws visor::Error with `code`; returns the error.
template <class F>
Error expect_error(ErrorCode code, F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(to_string(e.code()), to_string(code)) << e.detail() << " / " << e.internal();
    return e;
  }
  ADD_FAILURE() << "expected Error(" << to_string(code) << "), nothing was thrown";
  return Error(code, "");
}

}  // namespace visor::storage::test

#define VISOR_STORAGE_BACKENDS(Suite)                                                            \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                      \
                           ::testing::ValuesIn(::visor::storage::test::tested_backends()), \
                           ::visor::storage::test::backend_name)
