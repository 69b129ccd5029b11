// Issue 15 over HTTP: a photo uploaded through the API is encrypted on disk,
// served back whole, by range and with its ETag; a stored file altered on
// disk is refused (and counted); the admin security report names what is
// weak in the test deployment.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "server.hpp"

namespace visor::apitest {
namespace {

namespace fs = std::filesystem;

fs::path& data_dir() {
  static fs::path dir;
  return dir;
}

TestServer& server() {
  TestServer::configure([](app::Config& c) { data_dir() = c.data_dir; });
  return TestServer::get();
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Uploads the test PNG to a new task; returns the media id.
std::string upload(TestServer& s) {
  const TaskId id = s.create_task(s.identity(Who::technician).user, s.mechanical());
  const Reply r = s.call(Who::technician, "POST", "/api/v1/tasks/" + std::to_string(id.value) + "/photos", tiny_png(),
                         Req{{}, true, "image/png"});
  EXPECT_EQ(r.status, 201) << r.describe();
  return std::to_string(r.json().at("id").as_int64());
}

// The one stored file under media/ (the test PNG is always the same photo).
fs::path stored_file() {
  for (const auto& e : fs::recursive_directory_iterator(data_dir() / "media"))
    if (e.is_regular_file()) return e.path();
  return {};
}

TEST(MediaAtRest, APhotoIsEncryptedOnDiskAndServedWholeAndByRange) {
  TestServer& s = server();
  const std::string id = upload(s);
  const Reply whole = s.call(Who::technician, "GET", "/api/v1/media/" + id);
  ASSERT_EQ(whole.status, 200) << whole.describe();
  EXPECT_EQ(whole.header("Accept-Ranges"), "bytes");
  ASSERT_GT(whole.body.size(), 40u);
  EXPECT_TRUE(whole.body.starts_with("\x89PNG"));

  const fs::path file = stored_file();
  ASSERT_FALSE(file.empty());
  const std::string on_disk = read_all(file);
  EXPECT_TRUE(on_disk.starts_with("VISORMF1"));
  EXPECT_EQ(on_disk.find("PNG"), std::string::npos) << "the photo's bytes are readable on disk";
  EXPECT_EQ(on_disk.find(whole.body.substr(16, 16)), std::string::npos);

  const std::string etag = *whole.header("ETag");
  Reply part = s.call(Who::technician, "GET", "/api/v1/media/" + id, "", Req{{{"Range", "bytes=1-3"}}});
  EXPECT_EQ(part.status, 206) << part.describe();
  EXPECT_EQ(part.body, "PNG");
  EXPECT_EQ(part.header("Content-Range"), "bytes 1-3/" + std::to_string(whole.body.size()));
  // A stale If-Range: the whole photo.
  part = s.call(Who::technician, "GET", "/api/v1/media/" + id, "",
                Req{{{"Range", "bytes=1-3"}, {"If-Range", "\"another\""}}});
  EXPECT_EQ(part.status, 200);
  EXPECT_EQ(part.body, whole.body);
  part = s.call(Who::technician, "GET", "/api/v1/media/" + id, "", Req{{{"Range", "bytes=1-3"}, {"If-Range", etag}}});
  EXPECT_EQ(part.status, 206);
  const Reply beyond = s.call(Who::technician, "GET", "/api/v1/media/" + id, "", Req{{{"Range", "bytes=99999-"}}});
  EXPECT_EQ(beyond.status, 416) << beyond.describe();
  EXPECT_EQ(beyond.header("Content-Range"), "bytes */" + std::to_string(whole.body.size()));
  EXPECT_EQ(s.call(Who::technician, "GET", "/api/v1/media/" + id, "", Req{{{"If-None-Match", etag}}}).status, 304);
}

TEST(MediaAtRest, AFileAlteredOnDiskIsRefusedAndCounted) {
  TestServer& s = server();
  const std::string id = upload(s);
  const fs::path file = stored_file();
  std::string bytes = read_all(file);
  const std::string original = bytes;
  bytes[bytes.size() - 5] ^= 0x01;  // inside the last chunk's ciphertext
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  const Reply r = s.call(Who::technician, "GET", "/api/v1/media/" + id);
  EXPECT_EQ(r.status, 503) << r.describe();
  EXPECT_TRUE(r.is_problem());
  EXPECT_NE(r.detail().find("failed its integrity check"), std::string::npos) << r.detail();
  EXPECT_EQ(r.body.find("PNG"), std::string::npos);
  const Reply metrics = s.call(Who::anonymous, "GET", "/metrics");
  EXPECT_NE(metrics.body.find("visor_media_integrity_failures_total 1"), std::string::npos);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << original;
  EXPECT_EQ(s.call(Who::technician, "GET", "/api/v1/media/" + id).status, 200);
}

TEST(SecurityReport, NamesWhatIsWeakInThisDeployment) {
  TestServer& s = server();
  const Reply r = s.call(Who::admin, "GET", "/api/v1/admin/security");
  ASSERT_EQ(r.status, 200) << r.describe();
  const boost::json::value body = r.json();
  const auto& o = body.as_object();
  EXPECT_EQ(o.at("status"), "fail");  // the demo plant's accounts
  std::map<std::string, std::string> levels;
  for (const auto& f : o.at("findings").as_array())
    levels[std::string(f.at("check").as_string())] = std::string(f.at("level").as_string());
  EXPECT_EQ(levels["accounts.demo"], "fail");
  EXPECT_EQ(levels["listener.tls"], "warn");  // plain HTTP, loopback only
  EXPECT_EQ(levels["key.location"], "warn");  // <data_dir>/secret.key
  EXPECT_EQ(levels["media.encryption"], "ok");
  EXPECT_EQ(levels["database.tls"], "ok");
  EXPECT_EQ(s.call(Who::manager, "GET", "/api/v1/admin/security").status, 403);
}

TEST(SecurityReport, AnUnverifiedOrPlainCmmsConnectionIsWarnedEverywhere) {
  TestServer& s = server();
  auto put = [&](std::string_view url, bool verify) {
    const std::string body = std::string(R"({"url":")") + std::string(url) +
                             R"(","database":"plant","login":"visor","secret":"s3cret","enabled":false,"verify_tls":)" +
                             (verify ? "true" : "false") + "}";
    const Reply r = s.call(Who::admin, "PUT", "/api/v1/connector", body);
    EXPECT_EQ(r.status, 200) << r.describe();
    return r;
  };
  auto warning_of = [](const Reply& r) {
    const boost::json::value body = r.json();
    const auto& w = body.at("transport_warning");
    return w.is_null() ? std::string() : std::string(w.as_string());
  };
  auto cmms_level = [&] {
    const boost::json::value report = s.call(Who::admin, "GET", "/api/v1/admin/security").json();
    for (const auto& f : report.at("findings").as_array())
      if (f.at("check") == "cmms.tls") return std::string(f.at("level").as_string());
    return std::string("missing");
  };
  EXPECT_NE(warning_of(put("https://odoo.plant.example", false)).find("certificate verification to the CMMS is off"),
            std::string::npos);
  EXPECT_NE(warning_of(s.call(Who::admin, "GET", "/api/v1/sync/status")).find("certificate verification"),
            std::string::npos);
  EXPECT_EQ(cmms_level(), "warn");
  EXPECT_NE(warning_of(put("http://odoo.plant.example", true)).find("plain HTTP"), std::string::npos);
  EXPECT_EQ(cmms_level(), "fail");
  EXPECT_EQ(warning_of(put("https://odoo.plant.example", true)), "");
  EXPECT_EQ(warning_of(s.call(Who::admin, "GET", "/api/v1/sync/status")), "");
  EXPECT_EQ(cmms_level(), "ok");
  EXPECT_EQ(warning_of(put("http://127.0.0.1:8069", false)), "") << "loopback needs no TLS";
}

}  // namespace
}  // namespace visor::apitest
