// Connector settings: validated, the secret sealed and never read back,
// the CMMS switch set with them.
#include "auth/secret_box.hpp"
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

class Settings : public testing::StoreTest {};

TEST_F(Settings, SaveLoadAndSeal) {
  const auto b = box();
  ConnectorUpdate u;
  u.url = "https://odoo.example";
  u.database = "prod";
  u.login = "visor";
  u.protocol = odoo::Protocol::json2;
  u.poll_interval = std::chrono::seconds(30);
  u.secret = Secret("api-key-123");
  const ConnectorSettings saved = store_->write_value([&](storage::Tx& tx) { return save_connector(tx, u, b); });
  EXPECT_TRUE(saved.has_secret);
  store_->read([&](storage::Tx& tx) {
    const ConnectorSettings c = load_connector(tx);
    EXPECT_EQ(c.url, "https://odoo.example");
    EXPECT_EQ(c.protocol, odoo::Protocol::json2);
    EXPECT_EQ(c.poll_interval, std::chrono::seconds(30));
    EXPECT_TRUE(c.has_secret);
    EXPECT_TRUE(cmms_enabled(tx));
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
  // Disabling keeps the settings and stops recording changes.
  ConnectorUpdate off;
  off.enabled = false;
  store_->write([&](storage::Tx& tx) { save_connector(tx, off, b); });
  store_->read([&](storage::Tx& tx) {
    EXPECT_FALSE(cmms_enabled(tx));
    EXPECT_EQ(load_connector(tx).url, "https://odoo.example");
    EXPECT_NE(connector_revision(tx), revision);
  });
}

TEST_F(Settings, ProblemsAreListed) {
  const auto b = box();
  ConnectorUpdate u;
  u.url = "ftp://odoo";
  u.protocol = odoo::Protocol::xmlrpc;
  try {
    store_->write([&](storage::Tx& tx) { save_connector(tx, u, b); });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    EXPECT_NE(e.detail().find("http"), std::string::npos);
    EXPECT_NE(e.detail().find("API key"), std::string::npos);
    EXPECT_NE(e.detail().find("XML-RPC needs"), std::string::npos);
  }
  store_->read([&](storage::Tx& tx) { EXPECT_FALSE(connector_configured(tx)); });
}

}  // namespace
}  // namespace visor::sync
