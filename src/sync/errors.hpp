#pragma once
// The one failure type the sync engine understands, whatever CMMS answered.
// Connectors translate their own errors (odoo::OdooError) at their boundary;
// the engine decides from `kind` and `retryable()` whether to retry a
// message, park it for an operator, or raise an admin alert.
#include <stdexcept>
#include <string>
#include <string_view>

namespace visor::sync {

class CmmsError : public std::runtime_error {
 public:
  enum class Kind {
    auth,        // credentials refused (expired API key): alert, retry later, never park
    access,      // the CMMS user lacks a right: alert, retry later
    validation,  // the CMMS refused the data: park the message
    missing,     // the record (or model) does not exist there: park, or success for a delete
    server,      // the CMMS failed: retry with backoff
    transport,   // unreachable, timeout, dropped connection: an outage, retry with backoff
    protocol,    // an answer Visor cannot read: park
    mapping,     // a record Visor cannot map (unknown stage, selection value…): skip it, count it
    config,      // the connection settings are incomplete or unusable
  };

  CmmsError(Kind kind, bool retryable, std::string message, std::string admin_message = {});

  Kind kind() const { return kind_; }
  bool retryable() const { return retryable_; }
  /// A sentence for the admin console ("Odoo API key invalid or expired").
  const std::string& admin_message() const { return admin_message_; }
  /// Auth and access failures need an admin, not a retry loop.
  bool needs_admin() const { return kind_ == Kind::auth || kind_ == Kind::access || kind_ == Kind::config; }
  /// The CMMS as a whole is unreachable or failing: stop this round.
  bool is_outage() const { return kind_ == Kind::transport || needs_admin(); }

 private:
  Kind kind_;
  bool retryable_;
  std::string admin_message_;
};

std::string_view to_string(CmmsError::Kind kind);

}  // namespace visor::sync
