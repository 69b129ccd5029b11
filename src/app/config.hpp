#pragma once
// Visor's configuration: defaults, then a file (`--config` / VISOR_CONFIG),
// then VISOR_* environment variables, then command-line flags — each layer
// overriding the one before. Everything is validated once at start; a bad
// value stops Visor with a message naming the setting and where it came from.
//
// File format: one `key = value` per line, `#` starts a comment. Keys are the
// flag names without dashes, using '_' (e.g. `data_dir = /var/lib/visor`).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace visor::app {

struct Config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::filesystem::path data_dir = ".visor";
  std::string db_url;  // default: sqlite://<data_dir>/visor.db
  int threads = 0;     // I/O threads; 0: one per core
  int workers = 0;     // store-work threads; 0: 4 per core, at least 8
  std::size_t work_queue = 512;  // per pool of API work; beyond it: 503
  std::string tls_cert;
  std::string tls_key;
  std::string public_url;  // base of links in QR codes; default from listen
  std::filesystem::path web_root;  // console/ and hud/ live here
  std::string log_level = "info";
  std::string timezone = "UTC";  // the plant's timezone, for the console
  std::chrono::seconds poll_interval{10};
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_upload_bytes = 12 << 20;
  bool demo = false;  // `serve --demo`: load demo data into an empty store
  /// Live-event streams: in total (0: derived from the open-file limit,
  /// see auth::stream_capacity) and per user.
  std::size_t max_streams = 0;
  std::size_t max_streams_per_user = 16;
  /// Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For and
  /// X-Forwarded-Proto are believed; nobody else's are.
  std::vector<std::string> trusted_proxies;
  /// The key sealing stored secrets. Empty: the systemd credential
  /// `visor-secret-key`, else VISOR_SECRET_KEY, else <data_dir>/secret.key
  /// (see app/keys.hpp).
  std::filesystem::path key_file;
  /// On SIGTERM: /readyz answers 503 at once, requests are still served for
  /// this long (the load balancer's health checks notice), then in-flight
  /// requests finish and streams are told to reconnect (rolling restarts).
  std::chrono::milliseconds shutdown_delay{0};

  bool tls() const { return !tls_cert.empty(); }
};

/// The settings each layer may set, by key (see the file format above).
struct Setting {
  std::string key;
  std::string env;   // VISOR_LISTEN, …
  std::string flag;  // --listen, …
  std::string help;
};
const std::vector<Setting>& settings();

/// Raw values by key with their origin ("file /etc/visor.conf line 3",
/// "environment VISOR_DB", "flag --db").
struct RawValue {
  std::string value;
  std::string origin;
};
using RawConfig = std::map<std::string, RawValue>;

/// Reads a config file; throws Error(invalid_input) on syntax errors or
/// unknown keys (with the line number).
RawConfig read_config_file(const std::filesystem::path& path);
/// VISOR_* variables from `environ`.
RawConfig read_environment();
/// Builds and validates the configuration from the layers (later wins).
Config resolve_config(const std::vector<RawConfig>& layers);

/// The URL of the SQLite database inside a data directory.
std::string default_db_url(const std::filesystem::path& data_dir);

}  // namespace visor::app
