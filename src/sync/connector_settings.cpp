#include "sync/connector_settings.hpp"

#include <charconv>

#include <algorithm>

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
constexpr std::string_view kGuardShare = "cmms.guard_share_percent";
constexpr std::string_view kGuardMax = "cmms.guard_max_records";
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

std::filesystem::path secret_key_file(const std::filesystem::path& data_dir) { return data_dir / "secret.key"; }

ConnectorSettings load_connector(storage::Tx& tx) {
  auto& s = tx.settings();
  ConnectorSettings c;
  c.url = s.get(kUrl).value_or("");
  c.database = s.get(kDatabase).value_or("");
  c.login = s.get(kLogin).value_or("");
  if (auto p = s.get(kProtocol)) c.protocol = *p;
  if (auto n = to_number(s.get(kPollInterval))) c.poll_interval = std::chrono::seconds(*n);
  c.verify_tls = s.get(kVerifyTls).value_or("1") != "0";
  c.ca_file = s.get(kCaFile).value_or("");
  c.proxy = s.get(kProxy).value_or("");
  if (auto n = to_number(s.get(kTimeout))) c.timeout = std::chrono::seconds(*n);
  c.enabled = s.get(kActive).value_or("1") != "0";
  if (auto n = to_number(s.get(kGuardShare))) c.guard.share_percent = static_cast<int>(*n);
  if (auto n = to_number(s.get(kGuardMax))) c.guard.max_records = static_cast<int>(*n);
  c.has_secret = s.get(kSecret).has_value();
  return c;
}

bool connector_configured(storage::Tx& tx) { return tx.settings().get(kUrl).has_value(); }

std::string connector_revision(storage::Tx& tx) { return tx.settings().get(kRevision).value_or(""); }

std::vector<std::string> problems(const ConnectorSettings& c, bool has_secret, const ConnectorDriver& driver) {
  std::vector<std::string> out = driver.problems(to_connection(c, Secret()), has_secret);
  if (c.poll_interval && (c.poll_interval->count() < 1 || c.poll_interval->count() > 86400))
    out.emplace_back("The poll interval must be between 1 and 86400 seconds.");
  if (c.timeout.count() < 1 || c.timeout.count() > 600) out.emplace_back("The timeout must be between 1 and 600 seconds.");
  if (c.guard.share_percent < 1 || c.guard.share_percent > 100)
    out.emplace_back("The deletion guard's share must be between 1 and 100 %.");
  if (c.guard.max_records < 1 || c.guard.max_records > 1000000)
    out.emplace_back("The deletion guard's record count must be between 1 and 1000000.");
  // Each problem once, in the order found.
  std::vector<std::string> unique;
  for (auto& p : out)
    if (std::find(unique.begin(), unique.end(), p) == unique.end()) unique.push_back(std::move(p));
  return unique;
}

ConnectorSettings merged(ConnectorSettings c, const ConnectorUpdate& u) {
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
  if (u.guard_share_percent) c.guard.share_percent = *u.guard_share_percent;
  if (u.guard_max_records) c.guard.max_records = *u.guard_max_records;
  return c;
}

ConnectorSettings save_connector(storage::Tx& tx, const ConnectorUpdate& u, const auth::SecretBox& box,
                                 const ConnectorDriver& driver) {
  ConnectorSettings c = merged(load_connector(tx), u);
  if (u.secret && u.secret->empty()) invalid("The API key must not be empty.");
  const bool has_secret = c.has_secret || u.secret.has_value();
  if (const auto list = problems(c, has_secret, driver); !list.empty()) {
    std::string text;
    for (const auto& p : list) text += (text.empty() ? "" : " ") + p;
    invalid(text);
  }
  auto& s = tx.settings();
  s.put(kUrl, c.url);
  put_or_remove(tx, kDatabase, c.database);
  put_or_remove(tx, kLogin, c.login);
  s.put(kProtocol, c.protocol);
  put_or_remove(tx, kPollInterval, c.poll_interval ? std::to_string(c.poll_interval->count()) : "");
  s.put(kVerifyTls, c.verify_tls ? "1" : "0");
  put_or_remove(tx, kCaFile, c.ca_file);
  put_or_remove(tx, kProxy, c.proxy);
  s.put(kTimeout, std::to_string(c.timeout.count()));
  s.put(kActive, c.enabled ? "1" : "0");
  s.put(kGuardShare, std::to_string(c.guard.share_percent));
  s.put(kGuardMax, std::to_string(c.guard.max_records));
  if (u.secret) s.put(kSecret, box.encrypt(*u.secret));
  s.put(kRevision, std::to_string(to_number(s.get(kRevision)).value_or(0) + 1));
  c.has_secret = true;
  return c;
}

ConnectionSettings to_connection(const ConnectorSettings& c, const Secret& secret) {
  ConnectionSettings o;
  o.url = c.url;
  o.database = c.database;
  o.login = c.login;
  o.protocol = c.protocol;
  o.verify_tls = c.verify_tls;
  o.ca_file = c.ca_file;
  o.proxy = c.proxy;
  o.timeout = c.timeout;
  o.secret = secret;
  return o;
}

std::optional<Secret> load_secret(storage::Tx& tx, const auth::SecretBox& box) {
  const auto sealed = tx.settings().get(kSecret);
  if (!sealed) return std::nullopt;
  return box.decrypt(*sealed);
}

std::optional<ConnectionSettings> load_connection(storage::Tx& tx, const auth::SecretBox& box) {
  const ConnectorSettings c = load_connector(tx);
  if (c.url.empty()) return std::nullopt;
  auto secret = load_secret(tx, box);
  if (!secret) return std::nullopt;
  return to_connection(c, *secret);
}

}  // namespace visor::sync
