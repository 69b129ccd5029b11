#pragma once
// A fresh SQLite store in a temp file, a ManualClock, and helpers to create
// accounts (minimum Argon2 cost) and read the audit log.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "auth/users.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace visor::auth::testing {

inline constexpr std::string_view kPassword = "correct horse battery";

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : clock_(std::chrono::sys_time<Millis>(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2))) {}

  void SetUp() override {
    char tmpl[] = "/tmp/visor-auth-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store_ = storage::open_store("sqlite://" + (dir_ / "visor.db").string());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  User add_user(const std::string& login, Role role = Role::technician, std::string password = std::string(kPassword)) {
    NewUser u;
    u.login = login;
    u.name = "User " + login;
    u.role = role;
    u.password = Secret(std::move(password));
    return store_->write_value(
        [&](storage::Tx& tx) { return create_user(tx, u, Acting::system(), clock_.now(), PasswordCost::minimum()); });
  }

  std::vector<storage::AuditEntry> audit(const std::string& action) {
    storage::AuditQuery q;
    q.action = action;
    return store_->read_value([&](storage::Tx& tx) { return tx.audit().list(q); });
  }

  std::optional<User> user(UserId id) {
    return store_->read_value([&](storage::Tx& tx) { return tx.users().get(id); });
  }

  void advance(std::chrono::milliseconds d) { clock_.advance(d); }

  std::filesystem::path dir_;
  ManualClock clock_;
  std::unique_ptr<storage::Store> store_;
};

/// The code of the Error `fn` throws (fails the test if it does not).
inline ErrorCode error_code(const std::function<void()>& fn, std::string* detail = nullptr) {
  try {
    fn();
  } catch (const Error& e) {
    if (detail) *detail = e.detail();
    return e.code();
  }
  ADD_FAILURE() << "expected an Error";
  return ErrorCode::internal;
}

}  // namespace visor::auth::testing
