#pragma once
// Validation of untrusted text that arrives over HTTP. Pure functions, no I/O:
// the session uses them on every request and handlers may reuse them.
#include <optional>
#include <string>
#include <string_view>

#include "util/utf8.hpp"

namespace visor::http {

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing
/// above U+10FFFF). Handlers call this on text fields they accept.
using visor::valid_utf8;

/// Percent-decodes the path part of a request target. Returns nullopt (the
/// session answers 400) when the path does not start with '/', has a bad
/// escape, contains NUL or other control characters, an encoded '/' (%2F:
/// ambiguous for routing), a `..` segment (also when encoded), or decodes to
/// invalid UTF-8.
std::optional<std::string> decode_path(std::string_view raw_path);

/// True when `query` (without '?') is a well-formed query string: only
/// URL characters and valid percent escapes, decoding to valid UTF-8 without
/// NUL characters.
bool valid_query(std::string_view query);

/// True for a client-supplied request id we are willing to echo and log:
/// 1–64 characters of [A-Za-z0-9._-].
bool sane_request_id(std::string_view id);

}  // namespace visor::http
