#pragma once
// Telling a browser's cross-site request from a same-origin one, and the
// media type of a body. Browsers send `Sec-Fetch-Site` (all current ones) and
// `Origin` (on every POST, PUT, PATCH and DELETE); a page on another site
// cannot suppress or forge either. Clients that are not browsers (glasses
// apps, curl, scripts) send neither and carry no ambient credential.
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace visor::http {

/// Why a request is cross-site, or nullopt when it is same-origin or not
/// from a browser at all. Same-origin means: `Sec-Fetch-Site` is absent,
/// `same-origin` or `none`, and `Origin` is absent or equals either the
/// public URL's origin or the origin the request itself addressed (its
/// scheme and Host header). `Origin: null` (sandboxed frames, some
/// redirects) counts as cross-site.
std::optional<std::string> cross_site_reason(const Request& req, std::string_view public_url);

/// "scheme://host[:port]" of an absolute URL, lowercased, default ports
/// (80 for http, 443 for https) left out; empty when `url` has no origin.
std::string origin_of(std::string_view url);

/// The media type of a Content-Type value, lowercased and without
/// parameters: "Application/JSON; charset=UTF-8" → "application/json".
std::string media_type(std::string_view content_type);

/// The `charset` parameter of a Content-Type value, lowercased; empty when
/// absent.
std::string charset(std::string_view content_type);

}  // namespace visor::http
