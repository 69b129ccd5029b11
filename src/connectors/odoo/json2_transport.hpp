#pragma once
// Odoo 19+ JSON-2 API: POST {url}/json/2/{model}/{method} with the named
// arguments as a JSON object, "Authorization: bearer <api key>" and, when a
// database is configured, "X-Odoo-Database". Each call is one transaction.
#include <memory>

#include "connectors/odoo/transport.hpp"

namespace visor::odoo {

class Json2Transport final : public OdooTransport {
 public:
  Json2Transport(ConnectionOptions options, std::shared_ptr<HttpClient> http);

  Value call(std::string_view model, std::string_view method, Object args) override;
  Protocol protocol() const override { return Protocol::json2; }

 private:
  ConnectionOptions options_;
  std::string base_url_;
  std::shared_ptr<HttpClient> http_;
};

/// The result of a JSON-2 HTTP response, or the OdooError it denotes
/// (thrown). Exposed for tests.
Value json2_result(const HttpResponse& response);

}  // namespace visor::odoo
