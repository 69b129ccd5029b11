// Connector settings: validated (by the connector's driver for the
// connection, each problem said once), the secret sealed and never read
// back; changes are recorded for the CMMS while it is configured, enabled or not.
#include "auth/secret_box.hpp"
#include "fake_cmms.hpp"
#include "store_fixture.hpp"
#include "sync/changes.hpp"
#include "sync/connector_settings.hpp"
#include "util/error.hpp"

namespace visor::sync {
namespace {

auth::SecretBox box() {
  std::array<unsigned char, auth::SecretBox::kKeyBytes> key{};
  key.fill(7);
  return auth::SecretBox::from_key(key);
}

class Settings : public testing::StoreTest {
 protected:
  testing::FakeDriver driver_;
};

TEST_F(Settings, SaveLoadAndSeal) {
  const auto b = box();
  ConnectorUpdate u;
  u.url = "https://odoo.example";
  u.database = "prod";
  u.login = "visor";
  u.protocol = "fast";
  u.poll_interval = std::chrono::seconds(30);
  u.secret = Secret("api-key-123");
  const ConnectorSettings saved = store_->write_value([&](storage::Tx& tx) { return save_connector(tx, u, b, driver_); });
  EXPECT_TRUE(saved.has_secret);
  store_->read([&](storage::Tx& tx) {
    const ConnectorSettings c = load_connector(tx);
    EXPECT_EQ(c.url, "https://odoo.example");
    EXPECT_EQ(c.protocol, "fast");
    EXPECT_EQ(c.guard.share_percent, 20);
    EXPECT_EQ(c.guard.max_records, 50);
    EXPECT_EQ(c.poll_interval, std::chrono::seconds(30));
    EXPECT_TRUE(c.has_secret);
    EXPECT_TRUE(cmms_connected(tx));
    // The secret is stored sealed, never in clear.
    const auto sealed = tx.settings().get("cmms.secret");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->find("api-key-123"), std::string::npos);
    const auto options = load_connection(tx, b);
    ASSERT_TRUE(options);
    EXPECT_EQ(options->secret.reveal(), "api-key-123");
    EXPECT_EQ(options->database, "prod");
  });
  const auto revision = store_->read_value([](storage::Tx& tx) { return connector_revision(tx); });
  // Disabling keeps the settings, and changes are still recorded for later.
  ConnectorUpdate off;
  off.enabled = false;
  store_->write([&](storage::Tx& tx) { save_connector(tx, off, b, driver_); });
  store_->read([&](storage::Tx& tx) {
    EXPECT_TRUE(cmms_connected(tx));
    EXPECT_FALSE(load_connector(tx).enabled);
    EXPECT_EQ(load_connector(tx).url, "https://odoo.example");
    EXPECT_NE(connector_revision(tx), revision);
  });
}

TEST_F(Settings, ProblemsAreListedEachOnce) {
  const auto b = box();
  ConnectorUpdate u;
  u.url = "ftp://odoo";
  u.protocol = "slow";
  u.timeout = std::chrono::seconds(0);
  u.guard_share_percent = 0;
  try {
    store_->write([&](storage::Tx& tx) { save_connector(tx, u, b, driver_); });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    const std::string d = e.detail();
    for (const char* part : {"http", "API key", "protocol", "timeout", "deletion guard"})
      EXPECT_NE(d.find(part), std::string::npos) << part << " in " << d;
    EXPECT_EQ(d.find("API key"), d.rfind("API key")) << d;
  }
  store_->read([&](storage::Tx& tx) { EXPECT_FALSE(connector_configured(tx)); });
}

}  // namespace
}  // namespace visor::sync
