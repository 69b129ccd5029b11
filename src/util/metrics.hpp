#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels,
// rendered in the text exposition format 0.0.4 for `GET /metrics`.
//
// Lock-cheap: a metric's value is atomics; finding the child for a set of
// label values takes a shared lock on its family (an exclusive one only the
// first time those values are seen). Callers with fixed labels keep the
// reference `with()` returns — it stays valid as long as the Registry.
//
// There is no global registry: the composition root creates one and passes
// it by reference to whatever records metrics.
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace visor::metrics {

class Counter {
 public:
  void inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  void dec(double by = 1) { value_.fetch_sub(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

/// Fixed buckets given at family creation (upper bounds, ascending; +Inf is
/// implicit).
class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double v);
  /// Per-bucket (not cumulative) counts; the last one is the +Inf bucket.
  std::vector<std::uint64_t> bucket_counts() const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double>& bounds_;  // owned by the family
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

/// 0.5 ms … 10 s, for request durations in seconds.
std::vector<double> default_latency_buckets();

enum class Type { counter, gauge, histogram };

/// All children of one metric name, one per distinct tuple of label values.
template <class M>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labels, std::vector<double> bounds = {});

  /// The child for these label values (as many as label names; throws
  /// std::invalid_argument otherwise). Created on first use.
  M& with(std::initializer_list<std::string_view> values);
  /// The child of a family without labels.
  M& get() { return with({}); }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& labels() const { return labels_; }
  /// Calls f(label values, child) for every child, in label order.
  template <class F>
  void each(F&& f) const {
    std::shared_lock lock(mutex_);
    for (const auto& [key, child] : children_) f(child.values, *child.metric);
  }

 private:
  std::string name_, help_;
  std::vector<std::string> labels_;
  std::vector<double> bounds_;
  mutable std::shared_mutex mutex_;
  struct Child {
    std::vector<std::string> values;
    std::unique_ptr<M> metric;
  };
  std::map<std::string, Child, std::less<>> children_;  // key: values joined by '\xff'
};

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// Registers (or returns the existing) family. Registering one name twice
  /// with another type or other label names throws std::invalid_argument.
  /// Names and label names must match [a-zA-Z_:][a-zA-Z0-9_:]*.
  Family<Counter>& counter(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help, std::vector<std::string> labels = {},
                               std::vector<double> bounds = default_latency_buckets());

  /// Text exposition format 0.0.4 (Content-Type
  /// "text/plain; version=0.0.4; charset=utf-8"), families sorted by name.
  std::string render() const;

 private:
  struct Entry;
  Entry& find_or_add(const std::string& name, Type type, const std::vector<std::string>& labels);
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> families_;
};

}  // namespace visor::metrics
