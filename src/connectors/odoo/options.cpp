#include "connectors/odoo/options.hpp"

#include <filesystem>

#include <boost/url/parse.hpp>

#include "util/error.hpp"

namespace visor::odoo {
namespace {

void check_url(const std::string& text, std::vector<std::string>& out) {
  if (text.empty()) {
    out.emplace_back("The Odoo URL is missing.");
    return;
  }
  const auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) {
    out.emplace_back("The Odoo URL is not a valid absolute URL (expected e.g. https://acme.odoo.com).");
    return;
  }
  const auto scheme = parsed->scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) {
    out.emplace_back("The Odoo URL must start with http:// or https://.");
  }
  if (parsed->encoded_host().empty()) out.emplace_back("The Odoo URL has no host name.");
  if (parsed->has_userinfo()) {
    out.emplace_back("The Odoo URL must not contain a user name or password; use the login and API key settings.");
  }
  if (parsed->has_query() || parsed->has_fragment()) {
    out.emplace_back("The Odoo URL must not contain a query (?…) or a fragment (#…).");
  }
}

void check_proxy(const std::string& text, std::vector<std::string>& out) {
  if (text.empty()) return;
  const auto parsed = boost::urls::parse_absolute_uri(text);
  const std::string_view scheme = parsed ? std::string_view(parsed->scheme()) : std::string_view{};
  const bool known = scheme == "http" || scheme == "https" || scheme == "socks4" || scheme == "socks4a" ||
                     scheme == "socks5" || scheme == "socks5h";
  if (!parsed || !known || parsed->encoded_host().empty()) {
    out.emplace_back("The proxy must be a URL such as http://proxy.example:3128 or socks5h://proxy.example:1080.");
  }
}

}  // namespace

std::string_view to_string(Protocol protocol) {
  switch (protocol) {
    case Protocol::auto_detect: return "auto";
    case Protocol::json2: return "json2";
    case Protocol::xmlrpc: return "xmlrpc";
  }
  return "auto";
}

std::optional<Protocol> parse_protocol(std::string_view text) {
  if (text == "auto") return Protocol::auto_detect;
  if (text == "json2") return Protocol::json2;
  if (text == "xmlrpc") return Protocol::xmlrpc;
  return std::nullopt;
}

std::vector<std::string> ConnectionOptions::problems() const {
  std::vector<std::string> out;
  check_url(url, out);
  if (secret.empty()) out.emplace_back("The Odoo API key is missing.");
  if (protocol == Protocol::xmlrpc && database.empty()) out.emplace_back("XML-RPC needs the Odoo database name.");
  if (protocol == Protocol::xmlrpc && login.empty()) out.emplace_back("XML-RPC needs the Odoo user's login.");
  if (connect_timeout.count() <= 0) out.emplace_back("The connect timeout must be positive.");
  if (timeout.count() <= 0) out.emplace_back("The call timeout must be positive.");
  if (max_response_bytes == 0) out.emplace_back("The response size limit must be positive.");
  if (!ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(ca_file, ec)) out.emplace_back("The CA file " + ca_file + " does not exist.");
  }
  check_proxy(proxy, out);
  return out;
}

void ConnectionOptions::validate() const {
  const auto list = problems();
  if (list.empty()) return;
  std::string detail = "Invalid Odoo connection settings:";
  for (const auto& p : list) detail.append(" ").append(p);
  throw Error(ErrorCode::invalid_input, detail);
}

std::string ConnectionOptions::base_url() const {
  std::string out = url;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace visor::odoo
