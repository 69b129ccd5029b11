#include "util/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace visor::metrics {
namespace {

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) return void(out.append("NaN"));
  if (std::isinf(v)) return void(out.append(v > 0 ? "+Inf" : "-Inf"));
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    const int n = std::snprintf(buf, sizeof buf, "%.0f", v);
    return void(out.append(buf, static_cast<std::size_t>(n)));
  }
  // The shortest form that reads back as the same double ("0.1", not
  // "0.10000000000000001").
  int n = 0;
  for (int precision = 6; precision <= 17; ++precision) {
    n = std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  out.append(buf, static_cast<std::size_t>(n));
}

// Label values escape backslash, double quote and newline; HELP text only
// backslash and newline.
void append_escaped(std::string& out, std::string_view v, bool quote) {
  for (char c : v) {
    if (c == '\\') out.append("\\\\");
    else if (c == '\n') out.append("\\n");
    else if (c == '"' && quote) out.append("\\\"");
    else out.push_back(c);
  }
}

void append_labels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out.push_back('{');
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(names[i]).append("=\"");
    append_escaped(out, values[i], true);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out.push_back(',');
    out.append(extra_name).append("=\"").append(extra_value).push_back('"');
  }
  out.push_back('}');
}

template <class F>
void append_header(std::string& out, const F& family, std::string_view type) {
  out.append("# HELP ").append(family.name()).push_back(' ');
  append_escaped(out, family.help(), false);
  out.append("\n# TYPE ").append(family.name()).push_back(' ');
  out.append(type).push_back('\n');
}

template <class M>
void render_simple(std::string& out, const Family<M>& family, std::string_view type) {
  append_header(out, family, type);
  family.each([&](const std::vector<std::string>& values, const M& m) {
    out.append(family.name());
    append_labels(out, family.labels(), values);
    out.push_back(' ');
    append_number(out, m.value());
    out.push_back('\n');
  });
}

void render_histogram(std::string& out, const Family<Histogram>& family) {
  append_header(out, family, "histogram");
  family.each([&](const std::vector<std::string>& values, const Histogram& h) {
    const auto counts = h.bucket_counts();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      cumulative += counts[i];
      std::string le;
      if (i < h.bounds().size()) append_number(le, h.bounds()[i]);
      else le = "+Inf";
      out.append(family.name()).append("_bucket");
      append_labels(out, family.labels(), values, "le", le);
      out.push_back(' ');
      append_number(out, static_cast<double>(cumulative));
      out.push_back('\n');
    }
    out.append(family.name()).append("_sum");
    append_labels(out, family.labels(), values);
    out.push_back(' ');
    append_number(out, h.sum());
    out.append("\n").append(family.name()).append("_count");
    append_labels(out, family.labels(), values);
    out.push_back(' ');
    append_number(out, static_cast<double>(cumulative));
    out.push_back('\n');
  });
}

}  // namespace

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double v) {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);  // first bound >= v: le is inclusive
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <class M>
Family<M>::Family(std::string name, std::string help, std::vector<std::string> labels, std::vector<double> bounds)
    : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)), bounds_(std::move(bounds)) {}

template <class M>
M& Family<M>::with(std::initializer_list<std::string_view> values) {
  if (values.size() != labels_.size()) {
    throw std::invalid_argument(name_ + ": expected " + std::to_string(labels_.size()) + " label values");
  }
  std::string key;
  for (std::string_view v : values) key.append(v).push_back('\xff');
  {
    std::shared_lock lock(mutex_);
    const auto it = children_.find(key);
    if (it != children_.end()) return *it->second.metric;
  }
  std::unique_lock lock(mutex_);
  auto& child = children_[key];
  if (!child.metric) {
    child.values.assign(values.begin(), values.end());
    if constexpr (std::is_same_v<M, Histogram>) child.metric = std::make_unique<Histogram>(bounds_);
    else child.metric = std::make_unique<M>();
  }
  return *child.metric;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
  Type type;
  std::vector<std::string> labels;
  std::unique_ptr<Family<Counter>> counter;
  std::unique_ptr<Family<Gauge>> gauge;
  std::unique_ptr<Family<Histogram>> histogram;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry& Registry::find_or_add(const std::string& name, Type type, const std::vector<std::string>& labels) {
  if (!valid_name(name)) throw std::invalid_argument("invalid metric name: " + name);
  for (const auto& l : labels) {
    if (!valid_name(l) || l == "le") throw std::invalid_argument("invalid label name: " + l);
  }
  auto& entry = families_[name];
  if (!entry) {
    entry = std::make_unique<Entry>();
    entry->type = type;
    entry->labels = labels;
    return *entry;
  }
  if (entry->type != type || entry->labels != labels) {
    throw std::invalid_argument("metric " + name + " registered twice with different type or labels");
  }
  return *entry;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  Entry& e = find_or_add(name, Type::counter, labels);
  if (!e.counter) e.counter = std::make_unique<Family<Counter>>(name, help, std::move(labels));
  return *e.counter;
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  Entry& e = find_or_add(name, Type::gauge, labels);
  if (!e.gauge) e.gauge = std::make_unique<Family<Gauge>>(name, help, std::move(labels));
  return *e.gauge;
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels, std::vector<double> bounds) {
  if (!std::is_sorted(bounds.begin(), bounds.end()) ||
      std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end()) {
    throw std::invalid_argument("histogram " + name + ": bounds must be strictly increasing");
  }
  std::lock_guard lock(mutex_);
  Entry& e = find_or_add(name, Type::histogram, labels);
  if (!e.histogram) {
    e.histogram = std::make_unique<Family<Histogram>>(name, help, std::move(labels), std::move(bounds));
  }
  return *e.histogram;
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, e] : families_) {
    if (e->counter) render_simple(out, *e->counter, "counter");
    if (e->gauge) render_simple(out, *e->gauge, "gauge");
    if (e->histogram) render_histogram(out, *e->histogram);
  }
  return out;
}

}  // namespace visor::metrics
