#pragma once
// One connection to an Odoo server as the connector uses it: the version
// (always probed, so the server string names it whatever the protocol), the
// transport (JSON-2 or XML-RPC, picked from the version when asked to), the
// dialect of that version checked against the server's schema, and OdooError
// translated to sync::CmmsError at this boundary. Not thread-safe (the
// engine's thread owns it).
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "connectors/odoo/dialect.hpp"
#include "connectors/odoo/transport.hpp"
#include "sync/errors.hpp"
#include "util/clock.hpp"

namespace visor::odoo {

class Session {
 public:
  /// `http` defaults to libcurl (tests may pass a scripted client).
  explicit Session(ConnectionOptions options, std::shared_ptr<HttpClient> http = nullptr);

  /// Probes the version, builds the transport and reads the maintenance
  /// models' schemas into the dialect. Cheap when connected. Throws CmmsError.
  void connect();
  bool connected() const { return transport_ != nullptr; }
  void disconnect() { transport_.reset(); }

  /// Calls Odoo; throws CmmsError. Counts calls and the time spent waiting.
  Value call(std::string_view model, std::string_view method, Object args);

  /// "Odoo 19.0 (json2)".
  std::string describe() const;
  const std::string& base_url() const { return base_url_; }
  const Dialect& dialect() const { return dialect_; }
  /// Odoo's clock at its last answer (the Date header), if it sent one.
  std::optional<TimePoint> server_time() const;

  std::int64_t calls() const { return calls_; }
  std::chrono::nanoseconds remote_time() const { return remote_time_; }

 private:
  Schema schema_of(std::string_view model);

  ConnectionOptions options_;
  std::shared_ptr<HttpClient> http_;
  std::unique_ptr<OdooTransport> transport_;
  std::string base_url_;
  std::string version_;
  Dialect dialect_;
  std::int64_t calls_ = 0;
  std::chrono::nanoseconds remote_time_{0};
};

/// The CmmsError for an OdooError.
sync::CmmsError to_cmms_error(const OdooError& e);

/// An HTTP date ("Tue, 01 Jan 2030 10:00:00 GMT"); nullopt when malformed.
std::optional<TimePoint> parse_http_date(std::string_view text);

}  // namespace visor::odoo
