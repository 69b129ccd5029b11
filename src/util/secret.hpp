#pragma once
// A string that must never be printed: API keys, passwords, tokens. It has no
// stream operator and its formatting helper always yields a redaction, so a
// secret cannot end up in a log line by accident.
#include <string>
#include <string_view>

namespace visor {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&&) noexcept = default;
  Secret& operator=(Secret&&) noexcept = default;
  ~Secret();

  /// The secret itself: call only where it is used (hashing, a request header).
  std::string_view reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  /// What logs and error messages show instead of the value.
  static constexpr std::string_view redacted() { return "[redacted]"; }

 private:
  std::string value_;
};

}  // namespace visor
