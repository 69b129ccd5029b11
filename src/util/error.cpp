#include "util/error.hpp"

namespace visor {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input: return "invalid-input";
    case ErrorCode::unauthenticated: return "unauthenticated";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not-found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::precondition_failed: return "precondition-failed";
    case ErrorCode::payload_too_large: return "payload-too-large";
    case ErrorCode::unsupported_media: return "unsupported-media-type";
    case ErrorCode::rate_limited: return "rate-limited";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace visor
