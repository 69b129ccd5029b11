#pragma once
// The one source of "now". Production code uses SystemClock; tests inject a
// ManualClock so that time-dependent rules (timeouts, expiry, rate limits,
// overdue tasks) are deterministic.
#include <atomic>
#include <chrono>

namespace visor {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::sys_seconds;  // whole seconds, UTC
using Millis = std::chrono::milliseconds;

class IClock {
 public:
  virtual ~IClock() = default;
  /// Current UTC time with millisecond resolution.
  virtual std::chrono::sys_time<Millis> now_ms() const = 0;
  /// Current UTC time truncated to whole seconds (the store's resolution).
  TimePoint now() const { return std::chrono::floor<std::chrono::seconds>(now_ms()); }
};

class SystemClock final : public IClock {
 public:
  std::chrono::sys_time<Millis> now_ms() const override {
    return std::chrono::floor<Millis>(Clock::now());
  }
};

/// A clock that only moves when told to. Thread-safe.
class ManualClock final : public IClock {
 public:
  explicit ManualClock(std::chrono::sys_time<Millis> start) : ms_(start.time_since_epoch().count()) {}
  std::chrono::sys_time<Millis> now_ms() const override {
    return std::chrono::sys_time<Millis>(Millis(ms_.load()));
  }
  void advance(Millis d) { ms_ += d.count(); }
  void set(std::chrono::sys_time<Millis> t) { ms_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::int64_t> ms_;
};

}  // namespace visor
