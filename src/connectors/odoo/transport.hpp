#pragma once
// Calling Odoo methods, whichever API the server speaks.
//
//   auto t = visor::odoo::make_transport(options);        // probes the version if asked to
//   auto rows = t->call("maintenance.request", "search_read",
//                       {{"domain", boost::json::array{}}, {"fields", {"name", "stage_id"}}, {"limit", 20}});
//   t->call("maintenance.request", "write", {{"ids", {7}}, {"vals", {{"stage_id", 3}}}});
//
// Arguments are named, as in JSON-2: `ids` for methods on records, an
// optional `context`, then the method's own parameters (`domain`, `fields`,
// `vals`, `vals_list`, `body`…). Both implementations give the same results
// and raise the same OdooError kinds for the same failures.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/http_client.hpp"
#include "connectors/odoo/options.hpp"
#include "connectors/odoo/value.hpp"

namespace visor::odoo {

class OdooTransport {
 public:
  virtual ~OdooTransport() = default;

  /// Calls `method` of `model` with named `args` and returns its result
  /// (null for methods that return nothing). Throws OdooError; throws
  /// std::invalid_argument for a malformed model or method name or for an
  /// argument the protocol cannot carry (a caller bug, not an Odoo answer).
  /// Thread-safe.
  virtual Value call(std::string_view model, std::string_view method, Object args) = 0;

  /// The protocol this transport speaks (never auto_detect).
  virtual Protocol protocol() const = 0;

  /// The Date header of the last answer (the server's clock), "" when none.
  std::string server_date() const;

 protected:
  void note_date(const std::string& date);

 private:
  mutable std::mutex date_mutex_;
  std::string date_;
};

/// What the server says it is.
struct ServerVersion {
  std::string server_version;  // e.g. "19.0", "saas~18.3", "17.0+e"
  int major = 0;               // e.g. 19, 18, 17
};

/// Asks the server its version: XML-RPC `common.version()` (no login
/// needed), falling back to `GET /web/version` when XML-RPC is unavailable.
/// Throws OdooError (transport when unreachable, protocol when neither
/// answer makes sense).
ServerVersion probe_version(const ConnectionOptions& options, HttpClient& http);
ServerVersion probe_version(const ConnectionOptions& options);

/// Picks the protocol for a server version: JSON-2 from Odoo 19 on.
Protocol protocol_for(const ServerVersion& version);

/// Validates `options` (visor::Error invalid_input when unusable), resolves
/// Protocol::auto_detect with probe_version(), and builds the transport.
/// `http` defaults to a libcurl client configured from `options`.
std::unique_ptr<OdooTransport> make_transport(const ConnectionOptions& options,
                                              std::shared_ptr<HttpClient> http = nullptr);

/// Whether calling `method` twice has the effect of calling it once: reads
/// (search_read, read, search, search_count, name_search, fields_get,
/// read_group) and write. Such calls may reuse a kept-alive connection;
/// every other method (create, unlink, message_post, buttons…) gets a fresh
/// one so that a dropped connection can never make libcurl send it twice.
bool is_replay_safe(std::string_view method);

/// Throws std::invalid_argument unless `model` looks like an Odoo model name
/// ("maintenance.request") and `method` like a public method name
/// ("search_read"; no leading '_'): both end up in URLs and RPC payloads.
void check_model_and_method(std::string_view model, std::string_view method);

}  // namespace visor::odoo
