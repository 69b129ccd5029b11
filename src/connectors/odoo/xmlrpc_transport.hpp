#pragma once
// XML-RPC API (Odoo 8 to 19; deprecated from 19): `common.authenticate`
// once for the uid, then `object.execute_kw(db, uid, key, model, method,
// args, kwargs)` per call.
//
// Named arguments map onto Odoo's call_kw (odoo/api.py up to 18,
// odoo/service/model.py in 19) exactly: `ids`, when present, is the first
// positional argument (record methods take their ids from args[0]); then the
// leading parameter of the methods whose call_kw or signature needs it
// positionally — `create`'s `vals_list` (call_kw reads args[0] after creating
// to answer one id or a list: values only in kwargs fail with IndexError),
// `write`'s `vals`, and the `domain` of `search`, `search_count` and
// `search_read` (Odoo 16 names it `args`); everything else, context included,
// goes to kwargs (`message_post`'s parameters are keyword-only).
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
/// see HttpRequest. `date`, when given, receives the answer's Date header.
XmlRpcResponse xmlrpc_post(HttpClient& http, const std::string& base_url, std::string_view path,
                           std::string_view method, const Array& params, bool replay_safe,
                           std::string* date = nullptr);

}  // namespace visor::odoo
