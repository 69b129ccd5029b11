#include "connectors/odoo/transport.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <boost/url/parse.hpp>

#include "connectors/odoo/json2_transport.hpp"
#include "connectors/odoo/text.hpp"
#include "connectors/odoo/xmlrpc_transport.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::odoo {
namespace {

bool is_lower_word(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// "19", "saas~18", "19.0", "saas~18.3", "17.0+e" → the leading major number.
std::optional<int> major_from_text(std::string_view text) {
  if (text.starts_with("saas~")) text.remove_prefix(5);
  int major = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), major);
  if (ec != std::errc() || end == text.data() || major <= 0) return std::nullopt;
  return major;
}

// From common.version() or /web/version: both carry a version string and a
// version_info array whose first item is the major (an int, or "saas~18").
std::optional<ServerVersion> version_from(const Value& v, std::string_view text_key, std::string_view info_key) {
  const auto* obj = v.if_object();
  if (obj == nullptr) return std::nullopt;
  ServerVersion out;
  if (const auto* t = obj->if_contains(text_key); t && t->is_string()) out.server_version = std::string(t->get_string());
  std::optional<int> major;
  if (const auto* info = obj->if_contains(info_key); info && info->is_array() && !info->get_array().empty()) {
    const auto& first = info->get_array().front();
    if (first.is_int64() && first.get_int64() > 0 && first.get_int64() < 1000) major = static_cast<int>(first.get_int64());
    if (first.is_string()) major = major_from_text(first.get_string());
  }
  if (!major) major = major_from_text(out.server_version);
  if (!major) return std::nullopt;
  out.major = *major;
  if (out.server_version.empty()) out.server_version = std::to_string(out.major);
  return out;
}

ServerVersion probe_web_version(const ConnectionOptions& options, HttpClient& http) {
  HttpRequest request{.method = "GET", .url = options.base_url() + "/web/version", .replay_safe = true};
  const auto response = http.send(request);
  if (response.status != 200) {
    throw OdooError(OdooError::Details{.kind = OdooError::Kind::protocol,
                                       .message = "the server answers neither XML-RPC version() nor /web/version",
                                       .http_status = response.status});
  }
  const auto value = json2_result(response);
  if (auto v = version_from(value, "version", "version_info")) return *v;
  throw OdooError(OdooError::Kind::protocol, "/web/version did not say which version this is");
}

bool is_loopback(const std::string& url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return false;
  const auto host = parsed->host();
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

void warn_about_security(const ConnectionOptions& options) {
  if (options.url.starts_with("http://") && !is_loopback(options.url)) {
    log::warn("odoo", "the Odoo URL is plain http: the API key travels unencrypted", {{"url", options.url}});
  }
  if (!options.verify_tls) log::warn("odoo", "TLS certificate verification is OFF for Odoo");
}

}  // namespace

void check_model_and_method(std::string_view model, std::string_view method) {
  const bool model_ok = !model.empty() && model.size() <= 128 && model.front() != '.' && model.back() != '.' &&
                        std::all_of(model.begin(), model.end(), [](char c) { return is_lower_word(c) || c == '.'; });
  if (!model_ok) throw std::invalid_argument("invalid Odoo model name '" + clip(printable(model), 64) + "'");
  const bool method_ok = !method.empty() && method.size() <= 128 && method.front() != '_' &&
                         std::all_of(method.begin(), method.end(), [](char c) {
                           return is_lower_word(c) || (c >= 'A' && c <= 'Z');
                         });
  if (!method_ok) throw std::invalid_argument("invalid Odoo method name '" + clip(printable(method), 64) + "'");
}

bool is_replay_safe(std::string_view method) {
  static constexpr std::string_view kSafe[] = {"search_read", "read",       "search", "search_count",
                                               "name_search", "fields_get", "read_group", "write"};
  return std::find(std::begin(kSafe), std::end(kSafe), method) != std::end(kSafe);
}

std::string OdooTransport::server_date() const {
  std::lock_guard lock(date_mutex_);
  return date_;
}

void OdooTransport::note_date(const std::string& date) {
  if (date.empty()) return;
  std::lock_guard lock(date_mutex_);
  date_ = date;
}

ServerVersion probe_version(const ConnectionOptions& options, HttpClient& http) {
  try {
    const auto response = xmlrpc_post(http, options.base_url(), "/xmlrpc/2/common", "version", Array(), true);
    if (response.ok()) {
      if (auto v = version_from(response.value, "server_version", "server_version_info")) return *v;
    }
  } catch (const OdooError& e) {
    if (e.kind() == OdooError::Kind::transport) throw;
    log::debug("odoo", "XML-RPC version() failed, trying /web/version", {{"error", e.what()}});
  }
  return probe_web_version(options, http);
}

ServerVersion probe_version(const ConnectionOptions& options) {
  const auto http = make_curl_http_client(http_client_options(options));
  return probe_version(options, *http);
}

Protocol protocol_for(const ServerVersion& version) {
  return version.major >= 19 ? Protocol::json2 : Protocol::xmlrpc;
}

std::unique_ptr<OdooTransport> make_transport(const ConnectionOptions& options, std::shared_ptr<HttpClient> http) {
  options.validate();
  warn_about_security(options);
  if (!http) http = make_curl_http_client(http_client_options(options));

  auto protocol = options.protocol;
  if (protocol == Protocol::auto_detect) {
    const auto version = probe_version(options, *http);
    protocol = protocol_for(version);
    log::info("odoo", "server version detected",
              {{"version", version.server_version}, {"protocol", to_string(protocol)}});
  }
  if (protocol == Protocol::json2) return std::make_unique<Json2Transport>(options, std::move(http));
  if (options.database.empty() || options.login.empty()) {
    throw Error(ErrorCode::invalid_input,
                "This Odoo server speaks XML-RPC only (before Odoo 19), which needs the database name and the login.");
  }
  return std::make_unique<XmlRpcTransport>(options, std::move(http));
}

}  // namespace visor::odoo
