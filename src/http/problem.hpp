#pragma once
// The one mapping from errors to HTTP problem responses (RFC 9457,
// `application/problem+json`). Body:
//   {"type": "https://visor.dev/problems/<code>", "title": ..., "status": ...,
//    "detail": ..., "instance": <request path>, "request_id": ...}
// Clients branch on `type`; `detail` is for humans. An internal error never
// shows its message: the client gets a generic detail and the log gets the
// rest (with the request id to correlate).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "util/error.hpp"

namespace visor::http {

/// invalid_input→400, unauthenticated→401, forbidden→403, not_found→404,
/// conflict→409, precondition_failed→412, payload_too_large→413,
/// unsupported_media→415, rate_limited→429, unavailable→503, internal→500.
int status_for(ErrorCode code);

/// The standard reason phrase ("Not Found"), "Unknown" for others.
std::string_view reason_phrase(int status);

/// Problem response for a visor::Error raised while serving `req`.
/// 401 carries `WWW-Authenticate: Bearer`; 429 carries `Retry-After` when
/// `retry_after` is given. For internal errors the detail is replaced by a
/// generic sentence and `e.internal()`/`e.detail()` are logged at error level.
Response problem(const Error& e, const Request& req,
                 std::optional<std::chrono::seconds> retry_after = std::nullopt);

/// Transport-level problems (unknown route, 405, 413, 431, bad encoding …)
/// where no visor::Error exists. `type` is derived from the status
/// ("https://visor.dev/problems/not-found"); `instance` and `request_id` are
/// left out of the body when empty.
Response problem(int status, std::string_view title, std::string_view detail,
                 std::string_view instance = {}, std::string_view request_id = {});

}  // namespace visor::http
