#include "sync/odoo_session.hpp"

#include "sync/odoo_mapping.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

CmmsError::Kind kind_of(odoo::OdooError::Kind k) {
  using K = odoo::OdooError::Kind;
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

// The fields Visor reads per model, which every supported Odoo must have.
void require_fields(const std::set<std::string>& have, std::string_view model, const std::vector<std::string>& need) {
  std::string missing;
  for (const auto& f : need) {
    if (f == "location" || have.count(f)) continue;
    missing += (missing.empty() ? "" : ", ") + f;
  }
  if (missing.empty()) return;
  throw CmmsError(CmmsError::Kind::config, false,
                  "Odoo's " + std::string(model) + " lacks the fields " + missing +
                      ": is the Maintenance app installed (Odoo 17 or later)?");
}

}  // namespace

CmmsError to_cmms_error(const odoo::OdooError& e) {
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

OdooSession::OdooSession(odoo::ConnectionOptions options, std::shared_ptr<odoo::HttpClient> http)
    : options_(std::move(options)), http_(std::move(http)) {}

void OdooSession::connect() {
  if (transport_) return;
  const auto start = std::chrono::steady_clock::now();
  try {
    odoo::ServerVersion version;
    if (options_.protocol == odoo::Protocol::auto_detect) {
      // Probe once here (make_transport would probe too) to know the version.
      if (!http_) http_ = odoo::make_curl_http_client(odoo::http_client_options(options_));
      version = odoo::probe_version(options_, *http_);
      auto resolved = options_;
      resolved.protocol = odoo::protocol_for(version);
      transport_ = odoo::make_transport(resolved, http_);
      ++calls_;
    } else {
      transport_ = odoo::make_transport(options_, http_);
    }
    major_ = version.major;
    version_ = version.server_version;
  } catch (const odoo::OdooError& e) {
    remote_time_ += std::chrono::steady_clock::now() - start;
    throw to_cmms_error(e);
  } catch (const Error& e) {
    throw CmmsError(CmmsError::Kind::config, false, e.detail(), e.detail());
  }
  remote_time_ += std::chrono::steady_clock::now() - start;
  try {
    base_url_ = options_.base_url();
    require_fields(fields_of(odoo_map::kRequestModel), odoo_map::kRequestModel, odoo_map::request_fields());
    const auto equipment = fields_of(odoo_map::kEquipmentModel);
    equipment_has_location_ = equipment.count("location") > 0;
    require_fields(equipment, odoo_map::kEquipmentModel, odoo_map::equipment_fields(false));
    if (major_ == 0) major_ = equipment_has_location_ ? 18 : 19;  // protocol given: guess from the schema
  } catch (...) {
    transport_.reset();
    throw;
  }
  log::info("sync", "connected to Odoo", {{"server", describe()}});
}

std::set<std::string> OdooSession::fields_of(std::string_view model) {
  const json::value v = call(model, "fields_get", {{"attributes", json::array{"type"}}});
  std::set<std::string> out;
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) out.emplace(kv.key());
  }
  if (out.empty()) throw CmmsError(CmmsError::Kind::protocol, false, "fields_get of " + std::string(model) + " was empty");
  return out;
}

odoo::Value OdooSession::call(std::string_view model, std::string_view method, odoo::Object args) {
  if (!transport_) throw CmmsError(CmmsError::Kind::config, true, "not connected to Odoo");
  const auto start = std::chrono::steady_clock::now();
  ++calls_;
  try {
    auto v = transport_->call(model, method, std::move(args));
    remote_time_ += std::chrono::steady_clock::now() - start;
    return v;
  } catch (const odoo::OdooError& e) {
    remote_time_ += std::chrono::steady_clock::now() - start;
    throw to_cmms_error(e);
  }
}

std::string OdooSession::describe() const {
  if (!transport_) return "Odoo (not connected)";
  std::string out = "Odoo";
  if (!version_.empty()) out += " " + version_;
  out += " (" + std::string(odoo::to_string(transport_->protocol())) + ")";
  return out;
}

}  // namespace visor::sync
