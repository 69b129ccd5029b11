// The security posture's judgement (services/posture.hpp) and the transport
// classification of outbound URLs (util/transport.hpp), without I/O.
#include "services/posture.hpp"

#include <gtest/gtest.h>

namespace visor::services {
namespace {

Level level_of(const std::vector<Finding>& findings, std::string_view check) {
  for (const Finding& f : findings)
    if (f.check == check) return f.level;
  ADD_FAILURE() << "no finding " << check;
  return Level::fail;
}

TEST(Transport, PostgresUrls) {
  EXPECT_EQ(postgres_transport("postgresql:///visor"), Transport::local);
  EXPECT_EQ(postgres_transport("postgresql://visor@localhost/visor"), Transport::local);
  EXPECT_EQ(postgres_transport("postgresql://visor@127.0.0.1:5433/visor"), Transport::local);
  EXPECT_EQ(postgres_transport("postgresql://visor@[::1]/visor"), Transport::local);
  EXPECT_EQ(postgres_transport("postgresql://visor@%2Fvar%2Frun%2Fpostgresql/visor"), Transport::local);
  EXPECT_EQ(postgres_transport("postgresql://visor@/visor?host=/var/run/postgresql"), Transport::local);
  EXPECT_EQ(postgres_transport("postgresql://visor:pw@db.plant/visor?sslmode=verify-full&sslrootcert=/etc/ca.crt"),
            Transport::verified);
  EXPECT_EQ(postgres_transport("postgresql://visor@db.plant/visor?sslmode=require"), Transport::unverified);
  EXPECT_EQ(postgres_transport("postgresql://visor@db.plant/visor"), Transport::unverified);  // libpq's "prefer"
  EXPECT_EQ(postgres_transport("postgresql://visor@db.plant/visor?sslmode=disable"), Transport::plain);
  // The host parameter wins over the authority, as in libpq.
  EXPECT_EQ(postgres_transport("postgresql://visor@localhost/visor?host=db.plant&sslmode=disable"), Transport::plain);
}

TEST(Transport, CmmsUrlsAndTheirWarning) {
  EXPECT_EQ(http_transport("https://odoo.plant", true), Transport::verified);
  EXPECT_EQ(http_transport("https://odoo.plant", false), Transport::unverified);
  EXPECT_EQ(http_transport("http://odoo.plant:8069", true), Transport::plain);
  EXPECT_EQ(http_transport("http://127.0.0.1:8069", false), Transport::local);
  EXPECT_EQ(http_transport("http://user@localhost:8069/odoo", true), Transport::local);
  EXPECT_FALSE(cmms_transport_warning("https://odoo.plant", true));
  EXPECT_FALSE(cmms_transport_warning("", false));
  EXPECT_NE(cmms_transport_warning("https://odoo.plant", false)->find("verification"), std::string::npos);
  EXPECT_NE(cmms_transport_warning("http://odoo.plant", true)->find("plain HTTP"), std::string::npos);
}

PostureFacts hardened() {
  PostureFacts f;
  f.tls = true;
  f.loopback_only = false;
  f.key_source = "the key file /etc/visor/secret.key";
  f.key_file_mode = 0600;
  f.media_protection = "xchacha20poly1305-secretstream";
  f.data_volume_encryption = "dm-crypt";
  f.db_backend = "postgresql";
  f.db_transport = Transport::verified;
  f.cmms_url = "https://odoo.plant";
  return f;
}

TEST(Posture, AHardenedDeploymentIsAllOk) {
  const auto findings = assess(hardened());
  EXPECT_EQ(findings.size(), 9u);
  for (const Finding& f : findings) {
    EXPECT_EQ(f.level, Level::ok) << f.check << ": " << f.summary;
    EXPECT_TRUE(f.action.empty()) << f.check;
  }
  EXPECT_EQ(worst(findings), Level::ok);
}

TEST(Posture, EachWeaknessIsNamedWithWhatToDo) {
  PostureFacts f = hardened();
  f.tls = false;
  f.key_file_mode = 0640;
  f.key_in_data_dir = true;
  f.media_plain_files = 3;
  f.data_volume_encryption.clear();
  f.db_transport = Transport::unverified;
  f.cmms_verify_tls = false;
  f.demo_logins = {"admin", "alice"};
  const auto findings = assess(f);
  EXPECT_EQ(level_of(findings, "listener.tls"), Level::fail);
  EXPECT_EQ(level_of(findings, "key.mode"), Level::fail);
  EXPECT_EQ(level_of(findings, "key.location"), Level::warn);
  EXPECT_EQ(level_of(findings, "media.encryption"), Level::warn);
  EXPECT_EQ(level_of(findings, "volume.encryption"), Level::warn);
  EXPECT_EQ(level_of(findings, "database.tls"), Level::warn);
  EXPECT_EQ(level_of(findings, "cmms.tls"), Level::warn);
  EXPECT_EQ(level_of(findings, "accounts.demo"), Level::fail);
  for (const Finding& x : findings) {
    if (x.level != Level::ok) {
      EXPECT_FALSE(x.action.empty()) << x.check;
    }
  }
  EXPECT_EQ(worst(findings), Level::fail);

  f = hardened();
  f.tls = false;
  f.trusted_proxy = true;
  EXPECT_EQ(level_of(assess(f), "listener.tls"), Level::ok);
  f.trusted_proxy = false;
  f.loopback_only = true;
  EXPECT_EQ(level_of(assess(f), "listener.tls"), Level::warn);
  f = hardened();
  f.cmms_url = "http://odoo.plant";
  EXPECT_EQ(level_of(assess(f), "cmms.tls"), Level::fail);
  f.db_transport = Transport::plain;
  EXPECT_EQ(level_of(assess(f), "database.tls"), Level::fail);
  f.media_problem = "The media key 'media.key.1' does not open";
  EXPECT_EQ(level_of(assess(f), "media.encryption"), Level::fail);
}

}  // namespace
}  // namespace visor::services
