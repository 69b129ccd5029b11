#pragma once
// How to reach one Odoo instance. Filled from Visor's configuration; checked
// by problems()/validate() before any connection is attempted.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/secret.hpp"

namespace visor::odoo {

/// Which API to speak. auto_detect asks the server its version first and
/// picks JSON-2 from Odoo 19 on, XML-RPC before.
enum class Protocol { auto_detect, json2, xmlrpc };

std::string_view to_string(Protocol protocol);  // "auto", "json2", "xmlrpc"
std::optional<Protocol> parse_protocol(std::string_view text);

struct ConnectionOptions {
  /// Base URL of the Odoo server, e.g. "https://acme.odoo.com" (http or
  /// https; a path prefix is kept, a trailing '/' ignored).
  std::string url;
  /// Database name. Required for XML-RPC; for JSON-2 sent as
  /// X-Odoo-Database when set (needed when the server hosts several).
  std::string database;
  /// The Odoo user's login. Required for XML-RPC, unused by JSON-2.
  std::string login;
  /// The API key (JSON-2 bearer token; XML-RPC accepts it as the password).
  Secret secret;
  Protocol protocol = Protocol::auto_detect;
  std::chrono::milliseconds connect_timeout{5000};
  /// Whole call, connect included.
  std::chrono::milliseconds timeout{30000};
  bool verify_tls = true;
  /// PEM bundle of CAs to trust instead of the system's (empty: system).
  std::string ca_file;
  /// Proxy URL, e.g. "http://proxy:3128" (empty: none, and no *_proxy
  /// environment variables are consulted either).
  std::string proxy;
  /// Largest response body accepted, after decompression.
  std::size_t max_response_bytes = 256u * 1024 * 1024;

  /// Everything wrong with these options, one sentence each; empty if usable.
  std::vector<std::string> problems() const;
  /// Throws visor::Error(invalid_input) listing problems(), if any.
  void validate() const;
  /// `url` without its trailing '/'.
  std::string base_url() const;
};

}  // namespace visor::odoo
