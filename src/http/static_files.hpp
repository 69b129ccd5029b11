#pragma once
// Serves a directory of built web assets (the console and the HUD).
//
// - Content-Type by extension; unknown extensions are application/octet-stream.
// - ETag + Last-Modified; If-None-Match / If-Modified-Since answer 304.
// - Cache-Control: files under `assets/` or whose name carries a content hash
//   (`main.3f2a9c1b.js`) are `public, max-age=31536000, immutable`; all
//   others (index.html …) `no-cache`, so a deploy is picked up at once.
// - A precompressed sibling `X.gz` (not older than X) is sent with
//   `Content-Encoding: gzip` to clients that accept gzip; `Vary:
//   Accept-Encoding` whenever such a sibling exists.
// - SPA fallback: a missing path whose last segment has no extension gets
//   the index file (client-side routes); a missing `x.js` stays 404.
// - No escape from the root: `..`, backslashes and NUL are rejected (400);
//   dot-files are hidden (404); the resolved path (symlinks followed) must
//   lie under the canonical root, else 404.
// - Contents are cached in memory and reloaded when size or mtime change
//   (one stat per request); files over `max_cached_bytes` are read per
//   request.
#include <cstddef>
#include <filesystem>
#include <string>

#include "http/router.hpp"

namespace visor::http {

struct StaticOptions {
  std::filesystem::path root;        // must exist and be a directory
  std::string url_prefix = "/";      // stripped from Request::path; must start and end with '/'
  std::string index = "index.html";  // served for "…/" and, with spa_fallback, for client routes
  bool spa_fallback = false;
  std::size_t max_cached_bytes = 4 * 1024 * 1024;
};

/// A GET/HEAD handler for the files under `options.root`. Throws
/// std::invalid_argument when the root is not a directory or the prefix is
/// malformed. Other methods get 405.
Handler static_files(StaticOptions options);

/// Mounts static_files(options) on `router` under `prefix` ("" for the site
/// root, else e.g. "/hud", no trailing slash): one GET route
/// `<prefix>/{path*}` named "static<prefix>" (HEAD falls back to it). Being a
/// catch-all it loses to every more specific route. Sets
/// `options.url_prefix` to `<prefix>/`.
void add_static_routes(Router& router, std::string_view prefix, StaticOptions options);

/// The Content-Type for a file name's extension ("app.js" → "text/javascript;
/// charset=utf-8").
std::string_view content_type_for(std::string_view filename);

/// True for names that carry a content hash: a last dot- or dash-separated
/// part of 8+ hex digits with at least one digit and one letter.
bool has_content_hash(std::string_view filename);

}  // namespace visor::http
