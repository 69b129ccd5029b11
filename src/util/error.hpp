#pragma once
// The errors a client or an operator can act on. Domain and storage code
// throw `visor::Error`; the HTTP layer maps each code to one status and a
// problem+json body (see http/problem.hpp). `detail` is written for the
// client; `internal` (optional) only ever goes to the log.
#include <stdexcept>
#include <string>
#include <string_view>

namespace visor {

enum class ErrorCode {
  invalid_input,        // 400/422: the request is malformed or breaks a rule
  unauthenticated,      // 401: no or bad credentials
  forbidden,            // 403: authenticated but not allowed
  not_found,            // 404
  conflict,             // 409: the state does not allow this (e.g. pause a completed task)
  precondition_failed,  // 412: stale If-Match / version
  payload_too_large,    // 413
  unsupported_media,    // 415
  rate_limited,         // 429
  unavailable,          // 503: a dependency (store, CMMS) is not reachable
  internal,             // 500: a bug
};

std::string_view to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string detail, std::string internal = {})
      : std::runtime_error(detail), code_(code), detail_(std::move(detail)), internal_(std::move(internal)) {}

  ErrorCode code() const { return code_; }
  const std::string& detail() const { return detail_; }
  const std::string& internal() const { return internal_; }

 private:
  ErrorCode code_;
  std::string detail_;
  std::string internal_;
};

[[noreturn]] inline void fail(ErrorCode code, std::string detail) { throw Error(code, std::move(detail)); }
[[noreturn]] inline void invalid(std::string detail) { throw Error(ErrorCode::invalid_input, std::move(detail)); }
[[noreturn]] inline void not_found(std::string detail) { throw Error(ErrorCode::not_found, std::move(detail)); }

}  // namespace visor
