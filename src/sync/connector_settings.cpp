#include "sync/connector_settings.hpp"

#include <charconv>

#include "sync/changes.hpp"
#include "util/error.hpp"

namespace visor::sync {
namespace {

constexpr std::string_view kUrl = "cmms.url";
constexpr std::string_view kDatabase = "cmms.database";
constexpr std::string_view kLogin = "cmms.login";
constexpr std::string_view kProtocol = "cmms.protocol";
constexpr std::string_view kPollInterval = "cmms.poll_interval";
constexpr std::string_view kVerifyTls = "cmms.verify_tls";
constexpr std::string_view kCaFile = "cmms.ca_file";
constexpr std::string_view kProxy = "cmms.proxy";
constexpr std::string_view kTimeout = "cmms.timeout";
constexpr std::string_view kActive = "cmms.active";
constexpr std::string_view kSecret = "cmms.secret";  // sealed
constexpr std::string_view kRevision = "cmms.revision";  // changes with every save

std::optional<long long> to_number(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  long long v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return v;
}

void put_or_remove(storage::Tx& tx, std::string_view key, const std::string& value) {
  if (value.empty()) {
    tx.settings().remove(key);
  } else {
    tx.settings().put(key, value);
  }
}

}  // namespace

ConnectorSettings load_connector(storage::Tx& tx) {
  auto& s = tx.settings();
  ConnectorSettings c;
  c.url = s.get(kUrl).value_or("");
  c.database = s.get(kDatabase).value_or("");
  c.login = s.get(kLogin).value_or("");
  if (auto p = s.get(kProtocol)) c.protocol = odoo::parse_protocol(*p).value_or(odoo::Protocol::auto_detect);
  if (auto n = to_number(s.get(kPollInterval))) c.poll_interval = std::chrono::seconds(*n);
  c.verify_tls = s.get(kVerifyTls).value_or("1") != "0";
  c.ca_file = s.get(kCaFile).value_or("");
  c.proxy = s.get(kProxy).value_or("");
  if (auto n = to_number(s.get(kTimeout))) c.timeout = std::chrono::seconds(*n);
  c.enabled = s.get(kActive).value_or("1") != "0";
  c.has_secret = s.get(kSecret).has_value();
  return c;
}

bool connector_configured(storage::Tx& tx) { return tx.settings().get(kUrl).has_value(); }

std::string connector_revision(storage::Tx& tx) { return tx.settings().get(kRevision).value_or(""); }

std::vector<std::string> problems(const ConnectorSettings& c, bool has_secret) {
  odoo::ConnectionOptions o = to_options(c, Secret(has_secret ? "x" : ""));
  std::vector<std::string> out = o.problems();
  if (!has_secret) out.emplace_back("The API key (secret) is missing.");
  if (c.poll_interval && (c.poll_interval->count() < 1 || c.poll_interval->count() > 86400))
    out.emplace_back("The poll interval must be between 1 and 86400 seconds.");
  if (c.timeout.count() < 1 || c.timeout.count() > 600) out.emplace_back("The timeout must be between 1 and 600 seconds.");
  if (c.protocol == odoo::Protocol::xmlrpc && (c.database.empty() || c.login.empty()))
    out.emplace_back("XML-RPC needs the database name and the login.");
  return out;
}

ConnectorSettings save_connector(storage::Tx& tx, const ConnectorUpdate& u, const auth::SecretBox& box) {
  ConnectorSettings c = load_connector(tx);
  if (u.url) c.url = *u.url;
  if (u.database) c.database = *u.database;
  if (u.login) c.login = *u.login;
  if (u.protocol) c.protocol = *u.protocol;
  if (u.poll_interval) c.poll_interval = *u.poll_interval;
  if (u.verify_tls) c.verify_tls = *u.verify_tls;
  if (u.ca_file) c.ca_file = *u.ca_file;
  if (u.proxy) c.proxy = *u.proxy;
  if (u.timeout) c.timeout = *u.timeout;
  if (u.enabled) c.enabled = *u.enabled;
  if (u.secret && u.secret->empty()) invalid("The API key must not be empty.");
  const bool has_secret = c.has_secret || u.secret.has_value();
  if (const auto list = problems(c, has_secret); !list.empty()) {
    std::string text;
    for (const auto& p : list) text += (text.empty() ? "" : " ") + p;
    invalid(text);
  }
  auto& s = tx.settings();
  s.put(kUrl, c.url);
  put_or_remove(tx, kDatabase, c.database);
  put_or_remove(tx, kLogin, c.login);
  s.put(kProtocol, std::string(odoo::to_string(c.protocol)));
  put_or_remove(tx, kPollInterval, c.poll_interval ? std::to_string(c.poll_interval->count()) : "");
  s.put(kVerifyTls, c.verify_tls ? "1" : "0");
  put_or_remove(tx, kCaFile, c.ca_file);
  put_or_remove(tx, kProxy, c.proxy);
  s.put(kTimeout, std::to_string(c.timeout.count()));
  s.put(kActive, c.enabled ? "1" : "0");
  if (u.secret) s.put(kSecret, box.encrypt(*u.secret));
  s.put(kRevision, std::to_string(to_number(s.get(kRevision)).value_or(0) + 1));
  c.has_secret = true;
  if (c.enabled) {
    s.put(kCmmsEnabledKey, "1");
  } else {
    s.remove(kCmmsEnabledKey);
  }
  return c;
}

odoo::ConnectionOptions to_options(const ConnectorSettings& c, const Secret& secret) {
  odoo::ConnectionOptions o;
  o.url = c.url;
  o.database = c.database;
  o.login = c.login;
  o.secret = secret;
  o.protocol = c.protocol;
  o.verify_tls = c.verify_tls;
  o.ca_file = c.ca_file;
  o.proxy = c.proxy;
  o.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(c.timeout);
  o.connect_timeout = std::min(o.connect_timeout, o.timeout);
  return o;
}

std::optional<odoo::ConnectionOptions> load_connection(storage::Tx& tx, const auth::SecretBox& box) {
  const ConnectorSettings c = load_connector(tx);
  if (c.url.empty()) return std::nullopt;
  const auto sealed = tx.settings().get(kSecret);
  if (!sealed) return std::nullopt;
  return to_options(c, box.decrypt(*sealed));
}

}  // namespace visor::sync
