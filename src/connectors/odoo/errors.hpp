#pragma once
// The one error type of the Odoo transport. Both protocols (JSON-2 and
// XML-RPC) map their failures onto the same kinds, so that code above the
// transport (mapping, sync) never needs to know which protocol answered.
//
//   kind        JSON-2                      XML-RPC                         retryable
//   auth        401                         fault 3, authenticate → False   no
//   access      403                         fault 4                         no
//   validation  422                         fault 2 (user / validation)     no
//   missing     404                         fault 2 "does not exist or has  no
//                                           been deleted"
//   server      500, 502–504, 429           fault 1, HTTP 5xx               yes, except
//                                                                           "validation-like"
//   transport   connect / DNS / TLS / timeout / dropped connection          yes, except
//                                                                           configuration
//   protocol    undecodable body, unexpected shape, 400, 415, redirects     no
//
// "Validation-like" server errors are the 500s Odoo raises for a caller
// mistake it did not classify as a UserError: an unknown field in a domain, a
// bad selection value, an unknown keyword argument, a datetime in the wrong
// format. JSON-2 names them `builtins.ValueError`, `KeyError`, `TypeError`,
// `AttributeError`…; XML-RPC puts the same name on the last line of the
// fault 1 traceback. Retrying them only repeats the failure, so
// `retryable()` is false: an operator (or a fix in Visor) is needed.
//
// Transport errors caused by configuration (TLS certificate rejected, bad CA
// file, unsupported URL) are not retryable either.
//
// Note for callers that retry writes: a transport error on a `create` may
// arrive after Odoo committed it (dropped connection, timeout). Retrying is
// safe for `write`/`unlink`/`search_*`, not blindly for `create`.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace visor::odoo {

class OdooError : public std::runtime_error {
 public:
  enum class Kind {
    auth,        // bad or expired credentials: JSON-2 401, XML-RPC fault 3 or authenticate → False
    access,      // authenticated but not allowed: 403, fault 4
    validation,  // Odoo refused the data or the call: 422, fault 2 user errors
    missing,     // missing record, model, method or database: 404, fault 2 "does not exist…"
    server,      // Odoo failed: 500, fault 1, gateway errors
    transport,   // connect / timeout / DNS / TLS / dropped connection
    protocol,    // undecodable response, unexpected shape, a request Odoo could not read
  };

  /// Everything known about one failure. Only `kind` and `message` are required.
  struct Details {
    Kind kind = Kind::protocol;
    std::string message;           // Odoo's message (or ours): short, no traceback
    int http_status = 0;           // 0 when there was no HTTP answer
    std::optional<std::int64_t> fault_code;  // XML-RPC faultCode, when the answer was a fault
    std::string name;              // Odoo's exception name, e.g. "odoo.exceptions.MissingError"
    std::string debug;             // server traceback: debug logs only, never shown to users
    std::optional<bool> retryable; // overrides the default of the kind (see table above)
  };

  explicit OdooError(Details details);
  OdooError(Kind kind, std::string message);

  Kind kind() const { return details_.kind; }
  /// Whether the same call may succeed later without anyone changing anything.
  bool retryable() const { return retryable_; }
  int http_status() const { return details_.http_status; }
  std::optional<std::int64_t> fault_code() const { return details_.fault_code; }
  /// Odoo's exception name (JSON-2 `name`, or the class on a fault traceback's last line).
  const std::string& name() const { return details_.name; }
  /// Odoo's own message, without traceback.
  const std::string& odoo_message() const { return details_.message; }
  /// The server traceback, if any. For debug logs only: it may reveal paths and data.
  const std::string& debug() const { return details_.debug; }
  /// A sentence for the admin console, e.g. "Odoo API key invalid or expired".
  std::string admin_message() const;

 private:
  Details details_;
  bool retryable_;
};

std::string_view to_string(OdooError::Kind kind);

/// The error for a non-2xx JSON-2 answer. `body` is JSON
/// `{"name","message","arguments","context","debug"}` or, for some 404/415,
/// an HTML page.
OdooError error_from_json2(int http_status, std::string_view content_type, std::string_view body);

/// The error for an XML-RPC `<fault>`. Fault 1 carries a traceback: its last
/// line gives `name` and `message`, the whole text goes to `debug()`.
OdooError error_from_fault(std::int64_t fault_code, std::string_view fault_string);

/// True for the fault Odoo sends when a method returned None: its effect was
/// committed, so the call succeeded with a null result.
bool is_cannot_marshal_none(std::int64_t fault_code, std::string_view fault_string);

/// True when an exception named `name` (JSON-2 `name` or a traceback class)
/// denotes a caller mistake rather than a passing failure.
bool is_validation_like(std::string_view name);

}  // namespace visor::odoo
