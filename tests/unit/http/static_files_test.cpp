// Static files: types, caching headers, conditional requests, gzip
// siblings, SPA fallback and — over the wire — traversal attempts.
#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "client.hpp"
#include "fixture.hpp"

namespace visor::http {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

void write(const fs::path& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base = fs::temp_directory_path() / ("visor-static-" + std::to_string(std::random_device{}()));
    root = base / "www";
    write(root / "index.html", "<h1>index</h1>");
    write(root / "app.js", "console.log(1)");
    write(root / "app.js.gz", "GZIPPED-BYTES");
    write(root / "assets/logo.svg", "<svg/>");
    write(root / "main.3f2a9c1b.css", "body{}");
    write(root / "data/info.json", "{}");
    write(root / "sub/index.html", "<h1>sub</h1>");
    write(root / ".env", "SECRET=1");
    write(base / "secret.txt", "TOP SECRET");
    write(base / "www-evil/x.txt", "TOP SECRET sibling");
    fs::create_symlink(base / "secret.txt", root / "link.txt");
    fs::create_directory_symlink(base, root / "up");
  }
  void TearDown() override { fs::remove_all(base); }

  Handler handler(bool spa = false, std::string prefix = "/") {
    StaticOptions o;
    o.root = root;
    o.url_prefix = std::move(prefix);
    o.spa_fallback = spa;
    return static_files(o);
  }
  static Response get(const Handler& h, std::string path, Headers headers = {}, Method m = Method::get) {
    Request req;
    req.method = m;
    req.path = std::move(path);
    req.headers = std::move(headers);
    return h(req);
  }

  fs::path base, root;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypes) {
  const auto h = handler();
  const std::pair<const char*, const char*> cases[] = {
      {"/index.html", "text/html; charset=utf-8"}, {"/app.js", "text/javascript; charset=utf-8"},
      {"/assets/logo.svg", "image/svg+xml"},       {"/data/info.json", "application/json"},
      {"/main.3f2a9c1b.css", "text/css; charset=utf-8"}};
  for (const auto& [path, type] : cases) {
    const Response r = get(h, path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.header("Content-Type"), type) << path;
  }
  EXPECT_EQ(get(h, "/").body, "<h1>index</h1>");
  EXPECT_EQ(get(h, "/sub/").body, "<h1>sub</h1>");
  EXPECT_EQ(get(h, "/sub").body, "<h1>sub</h1>");
  EXPECT_EQ(content_type_for("a.webmanifest"), "application/manifest+json");
  EXPECT_EQ(content_type_for("a.wasm"), "application/wasm");
  EXPECT_EQ(content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("a.unknown"), "application/octet-stream");
}

TEST_F(StaticFilesTest, CacheControlDependsOnHashing) {
  const auto h = handler();
  EXPECT_EQ(get(h, "/assets/logo.svg").header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(get(h, "/main.3f2a9c1b.css").header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(get(h, "/index.html").header("Cache-Control"), "no-cache");
  EXPECT_EQ(get(h, "/app.js").header("Cache-Control"), "no-cache");
  EXPECT_TRUE(has_content_hash("index-3f2a9c1b.js"));
  EXPECT_FALSE(has_content_hash("app-settings.js"));
  EXPECT_FALSE(has_content_hash("deadbeef.js"));
  EXPECT_FALSE(has_content_hash("x.deadbeef.js"));  // no digit
}

TEST_F(StaticFilesTest, ConditionalRequestsGet304) {
  const auto h = handler();
  const Response first = get(h, "/index.html");
  const auto etag = first.header("ETag");
  const auto modified = first.header("Last-Modified");
  ASSERT_TRUE(etag && modified);
  EXPECT_EQ(get(h, "/index.html", {{"If-None-Match", std::string(*etag)}}).status, 304);
  EXPECT_EQ(get(h, "/index.html", {{"If-None-Match", "\"other\", W/" + std::string(*etag)}}).status, 304);
  EXPECT_EQ(get(h, "/index.html", {{"If-None-Match", "\"other\""}}).status, 200);
  EXPECT_EQ(get(h, "/index.html", {{"If-Modified-Since", std::string(*modified)}}).status, 304);
  EXPECT_EQ(get(h, "/index.html", {{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}).status, 200);
  const Response not_modified = get(h, "/index.html", {{"If-None-Match", std::string(*etag)}});
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(not_modified.header("ETag"), etag);
}

TEST_F(StaticFilesTest, ServesGzipSiblingToClientsThatAcceptIt) {
  const auto h = handler();
  const Response gz = get(h, "/app.js", {{"Accept-Encoding", "br, gzip;q=0.8"}});
  EXPECT_EQ(gz.body, "GZIPPED-BYTES");
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.header("Vary"), "Accept-Encoding");
  EXPECT_EQ(gz.header("Content-Type"), "text/javascript; charset=utf-8");
  const Response plain = get(h, "/app.js", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_EQ(plain.body, "console.log(1)");
  EXPECT_FALSE(plain.header("Content-Encoding").has_value());
  EXPECT_EQ(plain.header("Vary"), "Accept-Encoding");
  EXPECT_NE(gz.header("ETag"), plain.header("ETag"));
  EXPECT_FALSE(get(h, "/index.html").header("Vary").has_value());
}

TEST_F(StaticFilesTest, ReloadsChangedFiles) {
  const auto h = handler();
  EXPECT_EQ(get(h, "/data/info.json").body, "{}");
  write(root / "data/info.json", "{\"v\":2}");
  fs::last_write_time(root / "data/info.json", fs::file_time_type::clock::now() + 5s);
  EXPECT_EQ(get(h, "/data/info.json").body, "{\"v\":2}");
}

TEST_F(StaticFilesTest, SpaFallbackOnlyForRouteLikePaths) {
  const auto spa = handler(true, "/console/");
  EXPECT_EQ(get(spa, "/console/tasks/12").body, "<h1>index</h1>");
  EXPECT_EQ(get(spa, "/console").body, "<h1>index</h1>");
  EXPECT_EQ(get(spa, "/console/missing.js").status, 404);
  EXPECT_EQ(get(spa, "/elsewhere").status, 404);
  EXPECT_EQ(get(handler(false), "/tasks/12").status, 404);
  EXPECT_EQ(get(spa, "/console/app.js", {}, Method::post).status, 405);
}

TEST_F(StaticFilesTest, HidesDotFilesAndSymlinksLeavingTheRoot) {
  const auto h = handler(true);
  for (const char* path : {"/.env", "/link.txt", "/up/secret.txt", "/up/www-evil/x.txt", "/sub/../../secret.txt",
                           "/a\\..\\secret.txt"}) {
    const Response r = get(h, path);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << path << " → " << r.status;
    EXPECT_EQ(r.body.find("TOP SECRET"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("SECRET=1"), std::string::npos) << path;
  }
  EXPECT_THROW(static_files(StaticOptions{base / "nope"}), std::invalid_argument);
}

TEST_F(StaticFilesTest, TraversalOverTheWireNeverEscapes) {
  Router router;
  StaticOptions o;
  o.root = root;
  add_static_routes(router, "/static", o);
  test::TestServer server(test::test_options(), [&](Request& req) { return router.dispatch(req); });
  const auto ok = test::fetch(server.port(), "GET", "/static/app.js");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->body, "console.log(1)");  // the mount works, so the failures below mean something

  const char* attacks[] = {"/static/../secret.txt",        "/static/%2e%2e/secret.txt",
                           "/static/%2E%2E/secret.txt",    "/static/.%2e/secret.txt",
                           "/static/%2e%2e%2fsecret.txt",  "/static/..%2fsecret.txt",
                           "/static/..%5csecret.txt",      "/static/..\\secret.txt",
                           "/static/%5c..%5csecret.txt",   "/static/%2e%2e%5csecret.txt",
                           "/static/....//secret.txt",     "/static/..;/secret.txt",
                           "/static/%252e%252e/secret.txt", "/static/%c0%ae%c0%ae/secret.txt",
                           "/static/%00/../secret.txt",    "/static/app.js%00.txt",
                           "/static//etc/passwd",          "/static/up/secret.txt",
                           "/static/link.txt",             "/static/.env",
                           "/static/sub/../../secret.txt", "/static/sub/%2e%2e/%2e%2e/secret.txt",
                           "/static/../www-evil/x.txt",    "/static/%2e%2e/www-evil/x.txt",
                           "/static/up/www-evil/x.txt",    "/%2e%2e/secret.txt"};
  for (const char* target : attacks) {
    const auto r = test::fetch(server.port(), "GET", target);
    ASSERT_TRUE(r) << target;
    EXPECT_TRUE(r->status == 400 || r->status == 404) << target << " → " << r->status;
    EXPECT_EQ(r->body.find("SECRET"), std::string::npos) << target;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, HeadAndSecurityHeadersOverTheWire) {
  Router router;
  StaticOptions o;
  o.root = root;
  add_static_routes(router, "", o);
  test::TestServer server(test::test_options(), [&](Request& req) { return router.dispatch(req); });
  test::Conn c(server.port());
  ASSERT_TRUE(c.send(test::request_text("HEAD", "/app.js") + test::request_text("GET", "/")));
  const auto head = c.read_reply(test::soon(), true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("Content-Length"), "14");
  EXPECT_EQ(head->header("X-Frame-Options"), "DENY");
  const auto index = c.read_reply();
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body, "<h1>index</h1>");
}

}  // namespace
}  // namespace visor::http
