#pragma once
// A fresh SQLite store in a temp directory and a ManualClock, with helpers
// for the few records the sync units need.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "storage/store.hpp"
#include "util/clock.hpp"
#include "util/time.hpp"

namespace visor::sync::testing {

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : clock_(std::chrono::sys_time<Millis>(std::chrono::sys_days(std::chrono::year(2026) / 11 / 25))) {}

  void SetUp() override {
    char tmpl[] = "/tmp/visor-sync-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store_ = storage::open_store("sqlite://" + (dir_ / "visor.db").string());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Stage add_stage(int sequence, bool done = false) {
    Stage s;
    s.name = "Stage " + std::to_string(sequence);
    s.sequence = sequence;
    s.done = done;
    store_->write([&](storage::Tx& tx) { tx.catalog().save_stage(s); });
    return s;
  }

  Task add_task(StageId stage, const std::string& title = "Check the pump") {
    Task t;
    t.title = title;
    t.stage_id = stage;
    t.created_at = t.updated_at = clock_.now();
    store_->write([&](storage::Tx& tx) { tx.tasks().insert(t); });
    return t;
  }

  std::vector<storage::OutboxMessage> outbox() {
    return store_->read_value([](storage::Tx& tx) { return tx.outbox().list(std::nullopt, 1000); });
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace visor::sync::testing
