#include "api/query.hpp"

#include <algorithm>
#include <charconv>

#include "util/error.hpp"

namespace visor::api {

std::string spoken_list(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

Query::Query(const std::vector<std::pair<std::string, std::string>>& pairs, const QueryNames& allowed) {
  for (const auto& [key, value] : pairs) {
    if (key.empty() && value.empty()) continue;  // "a=1&", "&&": an empty piece, not a parameter
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      if (allowed.empty()) invalid("This endpoint takes no query parameters.");
      invalid("Unknown query parameter '" + key + "'. Use " + spoken_list(allowed) + ".");
    }
    if (find(key)) invalid("Query parameter '" + key + "' is given more than once.");
    values_.emplace_back(key, value);
  }
}

const std::string* Query::find(std::string_view name) const {
  for (const auto& [k, v] : values_) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool Query::has(std::string_view name) const { return find(name) != nullptr; }

std::optional<std::string> Query::text(std::string_view name, std::size_t max_bytes) const {
  const std::string* v = find(name);
  if (!v) return std::nullopt;
  if (v->size() > max_bytes)
    invalid(std::string(name) + " must be at most " + std::to_string(max_bytes) + " characters.");
  return *v;
}

std::optional<std::int64_t> Query::integer(std::string_view name, std::int64_t min, std::int64_t max) const {
  const std::string* v = find(name);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  const auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || p != v->data() + v->size() || n < min || n > max) {
    if (max == INT64_MAX) invalid(std::string(name) + " must be a whole number of at least " + std::to_string(min) + ".");
    invalid(std::string(name) + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
  }
  return n;
}

std::optional<std::int64_t> Query::id(std::string_view name) const {
  const std::string* v = find(name);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  const auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || p != v->data() + v->size() || n <= 0)
    invalid(std::string(name) + " must be a positive id, not '" + v->substr(0, 40) + "'.");
  return n;
}

std::optional<bool> Query::flag(std::string_view name) const {
  const std::string* v = find(name);
  if (!v) return std::nullopt;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  invalid(std::string(name) + " must be true or false.");
}

std::optional<TimePoint> Query::time(std::string_view name) const {
  const std::string* v = find(name);
  if (!v) return std::nullopt;
  const auto t = parse_iso8601(*v);
  if (!t) invalid(std::string(name) + " must be an ISO 8601 date-time, e.g. 2026-11-25T00:00:00Z.");
  return t;
}

std::optional<std::string> Query::choice(std::string_view name, const std::vector<std::string_view>& choices) const {
  const std::string* v = find(name);
  if (!v) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *v) == choices.end())
    invalid(std::string(name) + " must be " + spoken_list(choices) + ".");
  return *v;
}

}  // namespace visor::api
