#pragma once
// A scripted HttpClient: answers queued responses (or throws queued errors)
// and records every request it was sent.
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/http_client.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"

namespace visor::odoo::testing {

class FakeHttp final : public HttpClient {
 public:
  using Script = std::function<HttpResponse(const HttpRequest&)>;

  HttpResponse send(const HttpRequest& request) override {
    Script next;
    {
      std::lock_guard lock(mutex_);
      requests.push_back(request);
      if (script_.empty()) throw std::logic_error("FakeHttp: unexpected request to " + request.url);
      next = std::move(script_.front());
      script_.pop_front();
    }
    return next(request);
  }

  void then(Script s) { script_.push_back(std::move(s)); }
  void then(HttpResponse r) {
    script_.push_back([r](const HttpRequest&) { return r; });
  }
  void then_json(int status, std::string body) {
    then(HttpResponse{.status = status, .content_type = "application/json; charset=utf-8", .body = std::move(body)});
  }
  void then_xml(std::string body) { then(HttpResponse{.status = 200, .content_type = "text/xml", .body = std::move(body)}); }
  void then_result(const Value& v) { then_xml(encode_response(v, {.allow_nil = true})); }
  void then_fault(std::int64_t code, std::string message) { then_xml(encode_fault({code, std::move(message)})); }
  void then_throw(OdooError e) {
    script_.push_back([e](const HttpRequest&) -> HttpResponse { throw e; });
  }
  bool drained() const { return script_.empty(); }

  std::vector<HttpRequest> requests;

 private:
  std::mutex mutex_;
  std::deque<Script> script_;
};

}  // namespace visor::odoo::testing
