#pragma once
// XML-RPC API (Odoo 8 to 19; deprecated from 19): `common.authenticate`
// once for the uid, then `object.execute_kw(db, uid, key, model, method,
// args, kwargs)` per call.
//
// Named arguments map onto Odoo's call_kw: `ids`, when present, becomes the
// only positional argument (`[ids]`), everything else (context included)
// goes to kwargs. This is what search_read, read, search_count,
// create(vals_list), write(vals), unlink and message_post expect.
//
// The uid is cached; a fault 3 (credentials refused) on a call drops it and
// re-authenticates once before giving up with Kind::auth. The fault 1
// "cannot marshal None" that Odoo sends when a method returned None after
// committing its work is a success with a null result.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "connectors/odoo/transport.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"

namespace visor::odoo {

class XmlRpcTransport final : public OdooTransport {
 public:
  XmlRpcTransport(ConnectionOptions options, std::shared_ptr<HttpClient> http);

  Value call(std::string_view model, std::string_view method, Object args) override;
  Protocol protocol() const override { return Protocol::xmlrpc; }

  /// The uid, authenticating first if none is cached.
  std::int64_t uid();

 private:
  std::int64_t authenticate();
  void forget_uid(std::int64_t stale);

  ConnectionOptions options_;
  std::string base_url_;
  std::shared_ptr<HttpClient> http_;
  std::mutex mutex_;
  std::optional<std::int64_t> uid_;
};

/// POSTs one XML-RPC call to {base_url}{path} and decodes the answer; maps
/// non-200 statuses to OdooError. The request body is wiped after sending
/// (it may hold the key). Faults are returned, not thrown. `replay_safe`:
/// see HttpRequest.
XmlRpcResponse xmlrpc_post(HttpClient& http, const std::string& base_url, std::string_view path,
                           std::string_view method, const Array& params, bool replay_safe);

}  // namespace visor::odoo
