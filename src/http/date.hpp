#pragma once
// HTTP-date (RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT") for the
// Date, Last-Modified and If-Modified-Since headers. Locale-independent.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace visor::http {

std::string format_http_date(std::chrono::sys_seconds t);
/// Parses IMF-fixdate only (the form every current client sends); nullopt
/// for anything else, which callers treat as "header absent".
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s);

}  // namespace visor::http
