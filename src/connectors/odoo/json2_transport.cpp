#include "connectors/odoo/json2_transport.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "connectors/odoo/call_log.hpp"
#include "connectors/odoo/text.hpp"

namespace visor::odoo {
namespace {

bool is_json(std::string_view content_type) { return content_type.find("json") != std::string_view::npos; }

}  // namespace

Value json2_result(const HttpResponse& r) {
  if (r.status >= 300 && r.status < 400) {
    throw OdooError(OdooError::Details{
        .kind = OdooError::Kind::protocol,
        .message = "Odoo redirected the call to '" + clip(printable(r.location), 200) +
                   "': check the URL (https instead of http? a path prefix?)",
        .http_status = r.status});
  }
  if (r.status != 200) throw error_from_json2(r.status, r.content_type, r.body);
  if (!is_json(r.content_type)) {
    throw OdooError(OdooError::Details{
        .kind = OdooError::Kind::protocol,
        .message = "JSON-2 answered 200 with content type '" + clip(printable(r.content_type), 80) + "', not JSON",
        .http_status = r.status});
  }
  boost::json::parse_options opts;
  opts.max_depth = kMaxValueDepth;
  boost::system::error_code ec;
  auto value = boost::json::parse(r.body, ec, {}, opts);
  if (ec) {
    throw OdooError(OdooError::Details{.kind = OdooError::Kind::protocol,
                                       .message = "JSON-2 answer is not valid JSON: " + ec.message(),
                                       .http_status = r.status});
  }
  return value;
}

Json2Transport::Json2Transport(ConnectionOptions options, std::shared_ptr<HttpClient> http)
    : options_(std::move(options)), base_url_(options_.base_url()), http_(std::move(http)) {}

Value Json2Transport::call(std::string_view model, std::string_view method, Object args) {
  check_model_and_method(model, method);
  for (const auto& member : args) {
    if (!is_valid_utf8(member.key())) throw std::invalid_argument("Odoo call: an argument name is not valid UTF-8");
    check_sendable(member.value());
  }
  HttpRequest request;
  request.url = base_url_ + "/json/2/" + std::string(model) + "/" + std::string(method);
  request.content_type = "application/json; charset=utf-8";
  request.body = boost::json::serialize(args);
  request.bearer = options_.secret;
  request.replay_safe = is_replay_safe(method);
  request.headers.emplace_back("Accept", "application/json");
  if (!options_.database.empty()) request.headers.emplace_back("X-Odoo-Database", options_.database);

  const CallLog log("json2", model, method);
  HttpResponse response;
  try {
    response = http_->send(request);
  } catch (const OdooError& e) {
    log.done(to_string(e.kind()));
    throw;
  }
  log.done(std::to_string(response.status));
  note_date(response.date);
  return json2_result(response);
}

}  // namespace visor::odoo
