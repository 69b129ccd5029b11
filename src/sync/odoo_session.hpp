#pragma once
// One connection to an Odoo server as the sync uses it: the transport
// (JSON-2 or XML-RPC, picked by probing), what the server's schema offers,
// and OdooError translated to CmmsError at this boundary. Not thread-safe
// (the engine's thread owns it).
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "connectors/odoo/transport.hpp"
#include "sync/errors.hpp"

namespace visor::sync {

class OdooSession {
 public:
  /// `http` defaults to libcurl (tests may pass a scripted client).
  explicit OdooSession(odoo::ConnectionOptions options, std::shared_ptr<odoo::HttpClient> http = nullptr);

  /// Builds the transport (probing the version when protocol = auto) and
  /// checks that the maintenance models have the fields Visor reads.
  void connect();
  bool connected() const { return transport_ != nullptr; }
  void disconnect() { transport_.reset(); }

  /// Calls Odoo; throws CmmsError. Counts calls and the time spent waiting.
  odoo::Value call(std::string_view model, std::string_view method, odoo::Object args);

  /// "Odoo 19.0 (json2)".
  std::string describe() const;
  const std::string& base_url() const { return base_url_; }
  int major_version() const { return major_; }
  /// Odoo ≤ 18 keeps a free-text `location` on equipment.
  bool equipment_has_location() const { return equipment_has_location_; }

  std::int64_t calls() const { return calls_; }
  std::chrono::nanoseconds remote_time() const { return remote_time_; }

 private:
  std::set<std::string> fields_of(std::string_view model);

  odoo::ConnectionOptions options_;
  std::shared_ptr<odoo::HttpClient> http_;
  std::unique_ptr<odoo::OdooTransport> transport_;
  std::string base_url_;
  std::string version_;
  int major_ = 0;
  bool equipment_has_location_ = false;
  std::int64_t calls_ = 0;
  std::chrono::nanoseconds remote_time_{0};
};

/// The CmmsError for an OdooError.
CmmsError to_cmms_error(const odoo::OdooError& e);

}  // namespace visor::sync
