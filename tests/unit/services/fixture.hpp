#pragma once
// A tiny plant in an in-memory SQLite store, with the services' Deps, a
// manual clock and callers of each role.
#include <gtest/gtest.h>

#include <memory>

#include "events/bus.hpp"
#include "services/context.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace visor::services::test {

inline const TimePoint kNow = from_unix(20718LL * 86400 + 12 * 3600);  // noon UTC

class ServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = storage::open_store("sqlite::memory:");
    store_->write([&](storage::Tx& tx) {
      for (auto [name, done, seq] : {std::tuple{"New", false, 1}, {"Doing", false, 2}, {"Done", true, 3}}) {
        Stage s;
        s.name = name;
        s.done = done;
        s.sequence = seq;
        tx.catalog().save_stage(s);
        stages_.push_back(s);
      }
      for (const char* login : {"boss", "tina"}) {
        User u;
        u.login = login;
        u.name = login;
        u.role = std::string(login) == "boss" ? Role::manager : Role::technician;
        u.created_at = kNow;
        tx.users().insert(u, "hash");
        (u.role == Role::manager ? manager_id_ : tech_id_) = u.id;
      }
    });
  }

  Deps deps() { return Deps{*store_, *bus_, clock_}; }
  Caller manager() const { return Caller{Actor{manager_id_, Role::manager, std::nullopt}, "boss", "127.0.0.1", std::nullopt}; }
  Caller technician() const { return Caller{Actor{tech_id_, Role::technician, std::nullopt}, "tina", "127.0.0.1", std::nullopt}; }

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<events::EventBus> bus_ = events::make_local_bus();
  ManualClock clock_{std::chrono::sys_time<Millis>(kNow)};
  std::vector<Stage> stages_;
  UserId manager_id_{0};
  UserId tech_id_{0};
};

/// Runs `fn`, expects visor::Error with `code`.
template <class F>
void expect_error(ErrorCode code, F&& fn) {
  try {
    fn();
    ADD_FAILURE() << "expected " << to_string(code);
  } catch (const Error& e) {
    EXPECT_EQ(to_string(e.code()), to_string(code)) << e.detail();
  }
}

}  // namespace visor::services::test
