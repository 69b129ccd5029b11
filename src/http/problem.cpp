#include "http/problem.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "util/log.hpp"

namespace visor::http {
namespace {

constexpr std::string_view kTypeBase = "https://visor.dev/problems/";

// The problem type slug for transport-level statuses; error codes use
// visor::to_string(ErrorCode) so both families share one namespace.
std::string_view slug_for(int status) {
  switch (status) {
    case 400: return "invalid-input";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not-found";
    case 405: return "method-not-allowed";
    case 408: return "request-timeout";
    case 409: return "conflict";
    case 412: return "precondition-failed";
    case 413: return "payload-too-large";
    case 415: return "unsupported-media-type";
    case 422: return "invalid-input";
    case 429: return "rate-limited";
    case 431: return "request-header-fields-too-large";
    case 501: return "not-implemented";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "invalid-input";
  }
}

Response make(int status, std::string_view type_slug, std::string_view title, std::string_view detail,
              std::string_view instance, std::string_view request_id) {
  boost::json::object body;
  body["type"] = std::string(kTypeBase) + std::string(type_slug);
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  if (!instance.empty()) body["instance"] = instance;
  if (!request_id.empty()) body["request_id"] = request_id;
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.headers.emplace_back("Content-Type", "application/problem+json");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input: return 400;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::precondition_failed: return 412;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media: return 415;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

Response problem(const Error& e, const Request& req, std::optional<std::chrono::seconds> retry_after) {
  const int status = status_for(e.code());
  std::string_view detail = e.detail();
  if (e.code() == ErrorCode::internal) {
    log::error("http", "internal error",
               {{"request_id", req.request_id}, {"detail", e.detail()}, {"internal", e.internal()}});
    detail = "An unexpected error occurred. Quote the request id when reporting it.";
  } else if (!e.internal().empty()) {
    log::info("http", "request failed",
              {{"request_id", req.request_id}, {"code", to_string(e.code())}, {"internal", e.internal()}});
  }
  Response r = make(status, to_string(e.code()), reason_phrase(status), detail, req.path, req.request_id);
  if (status == 401) r.set_header("WWW-Authenticate", "Bearer");
  if (status == 429 && retry_after) r.set_header("Retry-After", std::to_string(retry_after->count()));
  return r;
}

Response problem(int status, std::string_view title, std::string_view detail, std::string_view instance,
                 std::string_view request_id) {
  return make(status, slug_for(status), title, detail, instance, request_id);
}

}  // namespace visor::http
