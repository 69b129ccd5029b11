#include "http/static_files.hpp"

#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

#include "http/date.hpp"
#include "http/problem.hpp"

namespace visor::http {
namespace fs = std::filesystem;
namespace {

struct Representation {
  std::string body;
  std::string etag;
};

// One file as last read from disk, shared by concurrent requests.
struct Entry {
  fs::file_time_type mtime;
  std::uintmax_t size = 0;
  Representation plain;
  std::optional<Representation> gzip;
  std::string last_modified;
  std::chrono::sys_seconds modified;
  std::string_view content_type;
  std::string_view cache_control;
};

bool starts_with_segment(std::string_view rel, std::string_view dir) {
  return rel.size() > dir.size() && rel.substr(0, dir.size()) == dir && rel[dir.size()] == '/';
}

std::string etag_for(std::uintmax_t size, fs::file_time_type mtime, std::string_view suffix) {
  char buf[64];
  const auto ns = static_cast<unsigned long long>(mtime.time_since_epoch().count());
  const int n = std::snprintf(buf, sizeof buf, "\"%llx-%llx%s\"", static_cast<unsigned long long>(size), ns,
                              std::string(suffix).c_str());
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return data;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls f(item) for each comma-separated, trimmed item of a header value.
template <class F>
void each_item(std::string_view list, F&& f) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    f(trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

bool accepts_gzip(const Request& req) {
  const auto header = req.header("Accept-Encoding");
  if (!header) return false;
  bool ok = false;
  each_item(*header, [&](std::string_view item) {
    const std::size_t semi = item.find(';');
    const std::string_view coding = trim(item.substr(0, semi));
    if (!iequals(coding, "gzip") && coding != "*") return;
    const std::string_view params = semi == std::string_view::npos ? "" : item.substr(semi + 1);
    const bool refused = trim(params) == "q=0" || trim(params) == "q=0.0" || trim(params) == "q=0.00" ||
                         trim(params) == "q=0.000";
    ok = ok || !refused;
  });
  return ok;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  bool match = false;
  each_item(if_none_match, [&](std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
    match = match || tag == "*" || tag == etag;
  });
  return match;
}

// Rejects what must never reach the file system; nullopt when `rel` is fine,
// else the status to answer.
std::optional<int> check_relative(std::string_view rel) {
  if (rel.find('\\') != std::string_view::npos || rel.find('\0') != std::string_view::npos) return 400;
  std::size_t start = 0;
  while (start <= rel.size()) {
    std::size_t end = rel.find('/', start);
    if (end == std::string_view::npos) end = rel.size();
    const std::string_view seg = rel.substr(start, end - start);
    if (seg == "..") return 400;
    if (!seg.empty() && seg.front() == '.') return 404;  // .git, .env, .htpasswd …
    if (seg.empty() && end != rel.size()) return 404;    // "a//b"
    start = end + 1;
  }
  return std::nullopt;
}

bool inside(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

class StaticFiles {
 public:
  explicit StaticFiles(StaticOptions o) : opt_(std::move(o)) {
    std::error_code ec;
    root_ = fs::canonical(opt_.root, ec);
    if (ec || !fs::is_directory(root_)) {
      throw std::invalid_argument("static root is not a directory: " + opt_.root.string());
    }
    if (opt_.url_prefix.empty() || opt_.url_prefix.front() != '/' || opt_.url_prefix.back() != '/') {
      throw std::invalid_argument("static url_prefix must start and end with '/': " + opt_.url_prefix);
    }
  }

  Response serve(const Request& req) {
    if (req.method != Method::get && req.method != Method::head) {
      Response r = problem(405, "Method Not Allowed", "Static files are read-only.", req.path, req.request_id);
      r.set_header("Allow", "GET, HEAD");
      return r;
    }
    std::string_view path = req.path;
    // "/console" (no trailing slash) is the prefix's own index.
    if (path.size() + 1 == opt_.url_prefix.size() && opt_.url_prefix.starts_with(path)) path = opt_.url_prefix;
    if (!path.starts_with(opt_.url_prefix)) return not_found(req);
    std::string rel(path.substr(opt_.url_prefix.size()));
    if (rel.empty() || rel.back() == '/') rel += opt_.index;
    if (const auto status = check_relative(rel)) {
      if (*status == 404) return not_found(req);
      return problem(400, "Bad Request", "The path is not allowed.", req.path, req.request_id);
    }
    auto entry = load(rel);
    if (!entry && opt_.spa_fallback && rel.substr(rel.rfind('/') + 1).find('.') == std::string::npos) {
      entry = load(opt_.index);
    }
    if (!entry) return not_found(req);
    return respond(req, *entry);
  }

 private:
  Response not_found(const Request& req) const {
    return problem(404, "Not Found", "No file at this path.", req.path, req.request_id);
  }

  // The file under the root, or nullptr when it does not exist, is not a
  // regular file, or resolves (through symlinks) outside the root.
  std::shared_ptr<const Entry> load(const std::string& rel) {
    std::error_code ec;
    fs::path full = fs::weakly_canonical(root_ / fs::path(rel), ec);
    if (ec || !inside(root_, full)) return nullptr;
    if (fs::is_directory(full, ec)) {
      full = fs::weakly_canonical(full / opt_.index, ec);
      if (ec || !inside(root_, full)) return nullptr;
    }
    const auto status = fs::status(full, ec);
    if (ec || !fs::is_regular_file(status)) return nullptr;
    const auto size = fs::file_size(full, ec);
    const auto mtime = fs::last_write_time(full, ec);
    if (ec) return nullptr;
    const std::string key = full.string();
    {
      std::shared_lock lock(mutex_);
      const auto it = cache_.find(key);
      if (it != cache_.end() && it->second->mtime == mtime && it->second->size == size) return it->second;
    }
    auto entry = read_entry(full, rel, size, mtime);
    if (!entry) return nullptr;
    if (size <= opt_.max_cached_bytes) {
      std::unique_lock lock(mutex_);
      cache_[key] = entry;
    }
    return entry;
  }

  std::shared_ptr<const Entry> read_entry(const fs::path& full, std::string_view rel, std::uintmax_t size,
                                          fs::file_time_type mtime) const {
    auto body = read_file(full);
    if (!body) return nullptr;
    auto e = std::make_shared<Entry>();
    e->mtime = mtime;
    e->size = size;
    e->plain = {std::move(*body), etag_for(size, mtime, "")};
    const std::string name = full.filename().string();
    e->content_type = content_type_for(name);
    const bool immutable = starts_with_segment(rel, "assets") || has_content_hash(name);
    e->cache_control = immutable ? "public, max-age=31536000, immutable" : "no-cache";
    e->modified = std::chrono::floor<std::chrono::seconds>(std::chrono::file_clock::to_sys(mtime));
    e->last_modified = format_http_date(e->modified);
    std::error_code ec;
    fs::path gz = full;
    gz += ".gz";
    const auto gz_mtime = fs::last_write_time(gz, ec);
    if (!ec && fs::is_regular_file(gz, ec) && inside(root_, fs::weakly_canonical(gz, ec)) && gz_mtime >= mtime) {
      if (auto gz_body = read_file(gz)) e->gzip = Representation{std::move(*gz_body), etag_for(size, mtime, "-gz")};
    }
    return e;
  }

  Response respond(const Request& req, const Entry& e) const {
    const bool gzip = e.gzip && accepts_gzip(req);
    const Representation& rep = gzip ? *e.gzip : e.plain;
    Response r;
    r.headers.emplace_back("ETag", rep.etag);
    r.headers.emplace_back("Last-Modified", e.last_modified);
    r.headers.emplace_back("Cache-Control", std::string(e.cache_control));
    if (e.gzip) r.headers.emplace_back("Vary", "Accept-Encoding");
    if (not_modified(req, e, rep)) {
      r.status = 304;
      return r;
    }
    r.headers.emplace_back("Content-Type", std::string(e.content_type));
    if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = rep.body;  // for HEAD the session sends the length only
    return r;
  }

  static bool not_modified(const Request& req, const Entry& e, const Representation& rep) {
    if (const auto inm = req.header("If-None-Match")) return etag_matches(*inm, rep.etag);
    const auto ims = req.header("If-Modified-Since");
    if (!ims) return false;
    const auto since = parse_http_date(*ims);
    return since && e.modified <= *since;
  }

  StaticOptions opt_;
  fs::path root_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> cache_;
};

}  // namespace

std::string_view content_type_for(std::string_view filename) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".wasm", "application/wasm"},
  };
  const std::size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string_view ext = filename.substr(dot);
  for (const auto& [e, type] : kTypes) {
    if (iequals(e, ext)) return type;
  }
  return "application/octet-stream";
}

bool has_content_hash(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view stem = name.substr(0, dot);
  const std::size_t sep = stem.find_last_of(".-");
  if (sep == std::string_view::npos) return false;
  const std::string_view hash = stem.substr(sep + 1);
  if (hash.size() < 8) return false;
  bool digit = false, letter = false;
  for (char c : hash) {
    if (c >= '0' && c <= '9') digit = true;
    else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) letter = true;
    else return false;
  }
  return digit && letter;
}

Handler static_files(StaticOptions options) {
  auto files = std::make_shared<StaticFiles>(std::move(options));
  return [files](Request& req) { return files->serve(req); };
}

void add_static_routes(Router& router, std::string_view prefix, StaticOptions options) {
  options.url_prefix = std::string(prefix) + "/";
  Route route;
  route.method = Method::get;
  route.pattern = std::string(prefix) + "/{path*}";
  route.name = "static" + std::string(prefix.empty() ? "/" : prefix);
  route.handler = static_files(std::move(options));
  router.add(std::move(route));
}

}  // namespace visor::http
