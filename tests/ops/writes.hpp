#pragma once
// A Visor serving in-process (as `visor serve` would) and a stream of writes
// through its API, each remembered once the server acknowledged it (201):
// what a backup taken meanwhile must hold.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "support.hpp"

namespace visor::opstest {

class WritingVisor {
 public:
  /// Starts Visor on `db_url` with `data_dir`, a planner's device token,
  /// and a thread creating tasks one after another.
  WritingVisor(const std::string& db_url, const fs::path& data_dir);
  ~WritingVisor();

  /// The ids acknowledged so far.
  std::vector<std::int64_t> acknowledged();
  /// Waits until at least `n` writes were acknowledged (bounded).
  bool wait_for(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(60));
  /// Stops writing; returns every acknowledged id.
  std::vector<std::int64_t> stop_writing();
  std::size_t failures() const { return failures_.load(); }

 private:
  void write_loop();

  SystemClock clock_;
  std::unique_ptr<app::Application> app_;
  std::thread runner_;
  std::thread writer_;
  std::string token_;
  std::atomic<bool> writing_{true};
  std::atomic<std::size_t> failures_{0};
  std::mutex mutex_;
  std::vector<std::int64_t> acked_;
};

/// Task ids present in the store at `db_url` (opened read-only in spirit:
/// nothing is written).
std::vector<std::int64_t> task_ids(const std::string& db_url);

}  // namespace visor::opstest
