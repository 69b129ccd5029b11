#include "connectors/odoo/session.hpp"

#include <ctime>

#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::odoo {
namespace json = boost::json;
using sync::CmmsError;

namespace {

CmmsError::Kind kind_of(OdooError::Kind k) {
  using K = OdooError::Kind;
  switch (k) {
    case K::auth: return CmmsError::Kind::auth;
    case K::access: return CmmsError::Kind::access;
    case K::validation: return CmmsError::Kind::validation;
    case K::missing: return CmmsError::Kind::missing;
    case K::server: return CmmsError::Kind::server;
    case K::transport: return CmmsError::Kind::transport;
    case K::protocol: return CmmsError::Kind::protocol;
  }
  return CmmsError::Kind::protocol;
}

}  // namespace

CmmsError to_cmms_error(const OdooError& e) {
  // Auth and access failures are retried (after an admin fixes the key or
  // the rights) but never park a message: they are not the message's fault.
  auto kind = kind_of(e.kind());
  // A gateway in front of Odoo answering 502/503/504: Odoo itself is down.
  const int status = e.http_status();
  if (kind == CmmsError::Kind::server && (status == 502 || status == 503 || status == 504))
    kind = CmmsError::Kind::transport;
  const bool retryable = e.retryable() || kind == CmmsError::Kind::auth || kind == CmmsError::Kind::access;
  return CmmsError(kind, retryable, e.what(), e.admin_message());
}

std::optional<TimePoint> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::from_time_t(::timegm(&tm)));
}

Session::Session(ConnectionOptions options, std::shared_ptr<HttpClient> http)
    : options_(std::move(options)), http_(std::move(http)) {}

void Session::connect() {
  if (transport_) return;
  const auto start = std::chrono::steady_clock::now();
  ServerVersion version;
  try {
    options_.validate();
    if (!http_) http_ = make_curl_http_client(http_client_options(options_));
    // Always asked (no login needed): the dialect and the server string
    // depend on it, whichever protocol was chosen.
    ++calls_;
    try {
      version = probe_version(options_, *http_);
    } catch (const OdooError& e) {
      if (e.kind() == OdooError::Kind::transport || options_.protocol == Protocol::auto_detect) throw;
      log::warn("odoo", "the server did not say its version; judging from its schema", {{"error", e.what()}});
    }
    auto resolved = options_;
    if (resolved.protocol == Protocol::auto_detect) resolved.protocol = protocol_for(version);
    transport_ = make_transport(resolved, http_);
  } catch (const OdooError& e) {
    remote_time_ += std::chrono::steady_clock::now() - start;
    throw to_cmms_error(e);
  } catch (const Error& e) {
    throw CmmsError(CmmsError::Kind::config, false, e.detail());
  }
  remote_time_ += std::chrono::steady_clock::now() - start;
  version_ = version.server_version;
  try {
    base_url_ = options_.base_url();
    std::map<std::string, Schema> schemas;
    for (const auto& model : Dialect::models()) {
      try {
        schemas[model] = schema_of(model);
      } catch (const CmmsError& e) {
        // An unknown model answers "missing" (JSON-2 404) or a user error
        // (XML-RPC fault 2): Dialect::detect names it.
        if (e.kind() != CmmsError::Kind::missing && e.kind() != CmmsError::Kind::validation) throw;
      }
    }
    dialect_ = Dialect::detect(version.major, schemas);
  } catch (...) {
    transport_.reset();
    throw;
  }
  log::info("odoo", "connected to Odoo", {{"server", describe()}});
}

Schema Session::schema_of(std::string_view model) {
  const json::value v = call(model, "fields_get", {{"attributes", json::array{"type", "readonly"}}});
  Schema out;
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      bool readonly = false;
      if (const auto* f = kv.value().if_object())
        if (const auto* r = f->if_contains("readonly"); r && r->is_bool()) readonly = r->get_bool();
      out.emplace(kv.key(), readonly);
    }
  }
  if (out.empty())
    throw CmmsError(CmmsError::Kind::protocol, false, "fields_get of " + std::string(model) + " was empty");
  return out;
}

Value Session::call(std::string_view model, std::string_view method, Object args) {
  if (!transport_) throw CmmsError(CmmsError::Kind::config, true, "not connected to Odoo");
  const auto start = std::chrono::steady_clock::now();
  ++calls_;
  try {
    auto v = transport_->call(model, method, std::move(args));
    remote_time_ += std::chrono::steady_clock::now() - start;
    return v;
  } catch (const OdooError& e) {
    remote_time_ += std::chrono::steady_clock::now() - start;
    throw to_cmms_error(e);
  }
}

std::optional<TimePoint> Session::server_time() const {
  if (!transport_) return std::nullopt;
  const std::string date = transport_->server_date();
  if (date.empty()) return std::nullopt;
  return parse_http_date(date);
}

std::string Session::describe() const {
  if (!transport_) return "Odoo (not connected)";
  std::string out = "Odoo";
  if (!version_.empty()) out += " " + version_;
  out += " (" + std::string(to_string(transport_->protocol())) + ")";
  return out;
}

}  // namespace visor::odoo
