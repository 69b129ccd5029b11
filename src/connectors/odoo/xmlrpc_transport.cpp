#include "connectors/odoo/xmlrpc_transport.hpp"

#include <vector>

#include "connectors/odoo/call_log.hpp"
#include "connectors/odoo/text.hpp"

namespace visor::odoo {
namespace {

// Odoo (Python's xmlrpc.client) reads <nil/> as None, and JSON-2 accepts
// null: allow it so that both transports take the same arguments.
constexpr EncodeOptions kEncode{.allow_nil = true};

// The parameters passed positionally after the ids, in order (see the header).
std::vector<std::string_view> leading_params(std::string_view method) {
  if (method == "create") return {"vals_list"};
  if (method == "write") return {"vals"};
  if (method == "search" || method == "search_count" || method == "search_read") return {"domain"};
  return {};
}

[[noreturn]] void throw_http_status(const HttpResponse& r) {
  OdooError::Details d{.http_status = r.status};
  if (r.status == 401) {
    d.kind = OdooError::Kind::auth;
    d.message = "HTTP 401 from the XML-RPC endpoint";
  } else if (r.status == 403) {
    d.kind = OdooError::Kind::access;
    d.message = "HTTP 403 from the XML-RPC endpoint";
  } else if (r.status == 429 || r.status >= 500) {
    d.kind = OdooError::Kind::server;
    d.message = "HTTP " + std::to_string(r.status) + " from the XML-RPC endpoint";
  } else if (r.status == 404) {
    d.kind = OdooError::Kind::protocol;
    d.message = "no XML-RPC endpoint at this URL (HTTP 404): check the URL; newer Odoo versions may have removed XML-RPC";
  } else {
    d.kind = OdooError::Kind::protocol;
    d.message = "unexpected HTTP " + std::to_string(r.status) + " from the XML-RPC endpoint";
    if (!r.location.empty()) d.message += " (redirect to '" + clip(printable(r.location), 200) + "': check the URL)";
  }
  throw OdooError(std::move(d));
}

}  // namespace

XmlRpcResponse xmlrpc_post(HttpClient& http, const std::string& base_url, std::string_view path,
                           std::string_view method, const Array& params, bool replay_safe, std::string* date) {
  HttpRequest request;
  request.url = base_url + std::string(path);
  request.content_type = "text/xml; charset=utf-8";
  request.body = encode_call(method, params, kEncode);
  request.replay_safe = replay_safe;
  HttpResponse response;
  {
    const struct Wipe {  // the body holds the key: zero it once sent
      std::string& body;
      ~Wipe() { const Secret wiped(std::move(body)); }
    } wipe{request.body};
    response = http.send(request);
  }
  if (date) *date = response.date;
  if (response.status != 200) throw_http_status(response);
  return decode_response(response.body);
}

XmlRpcTransport::XmlRpcTransport(ConnectionOptions options, std::shared_ptr<HttpClient> http)
    : options_(std::move(options)), base_url_(options_.base_url()), http_(std::move(http)) {}

std::int64_t XmlRpcTransport::uid() {
  std::lock_guard lock(mutex_);
  if (!uid_) uid_ = authenticate();
  return *uid_;
}

void XmlRpcTransport::forget_uid(std::int64_t stale) {
  std::lock_guard lock(mutex_);
  if (uid_ == stale) uid_.reset();  // another thread may already have a fresh one
}

std::int64_t XmlRpcTransport::authenticate() {
  const Array params{options_.database, options_.login, options_.secret.reveal(), Object()};
  const CallLog log("xmlrpc", "common", "authenticate");
  XmlRpcResponse response;
  try {
    response = xmlrpc_post(*http_, base_url_, "/xmlrpc/2/common", "authenticate", params, true);
  } catch (const OdooError& e) {
    log.done(to_string(e.kind()));
    throw;
  }
  if (response.fault) {
    log.done("fault " + std::to_string(response.fault->code));
    throw error_from_fault(response.fault->code, response.fault->message);
  }
  log.done("200");
  if (response.value.is_int64() && response.value.get_int64() > 0) return response.value.get_int64();
  if (response.value.is_bool() && !response.value.get_bool()) {
    throw OdooError(OdooError::Details{.kind = OdooError::Kind::auth,
                                       .message = "authenticate refused the login and API key"});
  }
  throw OdooError(OdooError::Kind::protocol, "authenticate answered neither a uid nor false");
}

Value XmlRpcTransport::call(std::string_view model, std::string_view method, Object args) {
  check_model_and_method(model, method);
  Value positional = Array();
  if (auto it = args.find("ids"); it != args.end()) {
    positional.as_array().push_back(std::move(it->value()));
    args.erase(it);
  }
  for (std::string_view name : leading_params(method)) {
    auto it = args.find(name);
    if (it == args.end()) break;  // later ones cannot be positional without it
    positional.as_array().push_back(std::move(it->value()));
    args.erase(it);
  }
  const Value kwargs(std::move(args));
  check_sendable(positional);
  check_sendable(kwargs);

  for (int attempt = 0;; ++attempt) {
    const auto current_uid = uid();
    const Array params{options_.database, current_uid, options_.secret.reveal(), model, method, positional, kwargs};
    const CallLog log("xmlrpc", model, method);
    XmlRpcResponse response;
    std::string date;
    try {
      response =
          xmlrpc_post(*http_, base_url_, "/xmlrpc/2/object", "execute_kw", params, is_replay_safe(method), &date);
    } catch (const OdooError& e) {
      log.done(to_string(e.kind()));
      throw;
    }
    note_date(date);
    if (response.ok()) {
      log.done("200");
      return std::move(response.value);
    }
    const auto& fault = *response.fault;
    log.done("fault " + std::to_string(fault.code));
    if (is_cannot_marshal_none(fault.code, fault.message)) return nullptr;
    if (fault.code == 3 && attempt == 0) {
      forget_uid(current_uid);  // the key may have been replaced: authenticate again, once
      continue;
    }
    throw error_from_fault(fault.code, fault.message);
  }
}

}  // namespace visor::odoo
