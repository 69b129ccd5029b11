#include "app/config.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>

#include "http/proxy.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/zone.hpp"

extern char** environ;

namespace visor::app {
namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

[[noreturn]] void bad(const RawValue& v, const std::string& what) {
  invalid("Invalid setting from " + v.origin + ": " + what);
}

long long to_int(const RawValue& v, long long min, long long max) {
  long long n = 0;
  const auto* end = v.value.data() + v.value.size();
  const auto [p, ec] = std::from_chars(v.value.data(), end, n);
  if (ec != std::errc{} || p != end || n < min || n > max)
    bad(v, "'" + v.value + "' must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ".");
  return n;
}

std::size_t to_size(const RawValue& v) {
  std::string s = v.value;
  std::size_t mult = 1;
  if (!s.empty() && (s.back() == 'K' || s.back() == 'M')) {
    mult = s.back() == 'K' ? 1024 : 1024 * 1024;
    s.pop_back();
  }
  return std::size_t(to_int(RawValue{s, v.origin}, 1, 1LL << 40)) * mult;
}

void parse_listen(const RawValue& v, Config& c) {
  const auto colon = v.value.rfind(':');
  if (colon == std::string::npos || colon == 0) bad(v, "listen must be HOST:PORT, e.g. 127.0.0.1:8080.");
  std::string host = v.value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  for (char ch : host)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != ':' && ch != '-')
      bad(v, "'" + host + "' is not a host name or address.");
  c.host = host;
  c.port = std::uint16_t(to_int(RawValue{v.value.substr(colon + 1), v.origin}, 0, 65535));
}

std::vector<std::string> parse_proxies(const RawValue& v) {
  std::vector<std::string> out;
  std::string_view rest = v.value;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (item.empty()) continue;
    if (!http::TrustedProxies::valid_entry(item))
      bad(v, "'" + item + "' in trusted_proxies is not an IP address or a CIDR range like 10.0.0.0/8.");
    out.push_back(item);
  }
  return out;
}

void check_db_url(const RawValue& v) {
  const std::string& u = v.value;
  if (u.rfind("sqlite://", 0) == 0 || u == "sqlite::memory:" || u.rfind("postgresql://", 0) == 0 ||
      u.rfind("postgres://", 0) == 0)
    return;
  bad(v, "db must be sqlite:///path/visor.db or postgresql://user@host/db.");
}

}  // namespace

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all{
      {"listen", "VISOR_LISTEN", "--listen", "HOST:PORT to serve on (default 127.0.0.1:8080; port 0 picks one)"},
      {"db", "VISOR_DB", "--db", "database URL: sqlite:///path/visor.db or postgresql://… (default: in data_dir)"},
      {"data_dir", "VISOR_DATA_DIR", "--data-dir", "directory for the database, media and keys (default .visor)"},
      {"threads", "VISOR_THREADS", "--threads", "I/O threads (default: one per core)"},
      {"workers", "VISOR_WORKERS", "--workers", "threads for store work (default: 4 per core, at least 8)"},
      {"work_queue", "VISOR_WORK_QUEUE", "--work-queue",
       "requests waiting for a worker before Visor answers 503 busy (default 512)"},
      {"tls_cert", "VISOR_TLS_CERT", "--tls-cert", "PEM certificate chain; turns HTTPS on"},
      {"tls_key", "VISOR_TLS_KEY", "--tls-key", "PEM private key for --tls-cert"},
      {"public_url", "VISOR_PUBLIC_URL", "--public-url", "URL people reach Visor at (used in QR codes)"},
      {"web_root", "VISOR_WEB_ROOT", "--web-root", "directory holding the console/ and hud/ web apps"},
      {"log_level", "VISOR_LOG_LEVEL", "--log-level", "debug, info, warn, error or off (default info)"},
      {"timezone", "VISOR_TIMEZONE", "--timezone", "the plant's IANA timezone, e.g. Europe/Paris (default UTC)"},
      {"poll_interval", "VISOR_POLL_INTERVAL", "--poll-interval", "seconds between CMMS polls (default 10)"},
      {"max_body", "VISOR_MAX_BODY", "--max-body", "largest request body, e.g. 1M (default 1M)"},
      {"max_upload", "VISOR_MAX_UPLOAD", "--max-upload", "largest photo upload, e.g. 12M (default 12M)"},
      {"max_streams", "VISOR_MAX_STREAMS", "--max-streams",
       "live-event streams in all (default: half the open-file limit left after 64)"},
      {"max_streams_per_user", "VISOR_MAX_STREAMS_PER_USER", "--max-streams-per-user",
       "live-event streams per user (default 16)"},
      {"trusted_proxies", "VISOR_TRUSTED_PROXIES", "--trusted-proxies",
       "comma-separated proxy addresses or ranges (10.0.0.0/8) whose X-Forwarded-For/-Proto are believed"},
      {"shutdown_delay", "VISOR_SHUTDOWN_DELAY", "--shutdown-delay",
       "seconds to keep serving, not ready, after SIGTERM (behind a load balancer: its check interval × fall; "
       "default 0)"},
      {"key_file", "VISOR_KEY_FILE", "--key-file",
       "file holding the key that seals stored secrets (default: the systemd credential visor-secret-key, "
       "VISOR_SECRET_KEY, or data_dir/secret.key)"},
  };
  return all;
}

RawConfig read_config_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) invalid("Cannot read the configuration file " + path.string() + ".");
  RawConfig out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string origin = "file " + path.string() + " line " + std::to_string(number);
    const std::string text = trim(line.substr(0, line.find('#')));
    if (text.empty()) continue;
    const auto eq = text.find('=');
    if (eq == std::string::npos) invalid("Invalid setting from " + origin + ": expected key = value.");
    const std::string key = trim(text.substr(0, eq));
    bool known = false;
    for (const Setting& s : settings()) known = known || s.key == key;
    if (!known) invalid("Invalid setting from " + origin + ": unknown key '" + key + "'.");
    out[key] = RawValue{trim(text.substr(eq + 1)), origin};
  }
  return out;
}

RawConfig read_environment() {
  RawConfig out;
  for (const Setting& s : settings()) {
    if (const char* v = std::getenv(s.env.c_str())) out[s.key] = RawValue{v, "environment " + s.env};
  }
  return out;
}

std::string default_db_url(const std::filesystem::path& data_dir) {
  return "sqlite://" + std::filesystem::absolute(data_dir / "visor.db").lexically_normal().string();
}

Config resolve_config(const std::vector<RawConfig>& layers) {
  RawConfig merged;
  for (const RawConfig& layer : layers)
    for (const auto& [k, v] : layer) merged[k] = v;
  Config c;
  for (const auto& [key, v] : merged) {
    if (key == "listen") parse_listen(v, c);
    else if (key == "db") check_db_url(v), c.db_url = v.value;
    else if (key == "data_dir") c.data_dir = v.value;
    else if (key == "threads") c.threads = int(to_int(v, 0, 256));
    else if (key == "workers") c.workers = int(to_int(v, 1, 256));
    else if (key == "work_queue") c.work_queue = std::size_t(to_int(v, 1, 100000));
    else if (key == "tls_cert") c.tls_cert = v.value;
    else if (key == "tls_key") c.tls_key = v.value;
    else if (key == "public_url") {
      if (v.value.rfind("http://", 0) != 0 && v.value.rfind("https://", 0) != 0)
        bad(v, "public_url must start with http:// or https://.");
      c.public_url = v.value;
      while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
    } else if (key == "web_root") c.web_root = v.value;
    else if (key == "log_level") {
      log::Level l;
      if (!log::parse_level(v.value, l)) bad(v, "log_level must be debug, info, warn, error or off.");
      c.log_level = v.value;
    } else if (key == "timezone") {
      if (v.value.empty() || v.value.size() > 64 || !PlantZone::exists(v.value))
        bad(v, "timezone must be an IANA name this system knows, like Europe/Paris.");
      c.timezone = v.value;
    } else if (key == "poll_interval") c.poll_interval = std::chrono::seconds(to_int(v, 1, 86400));
    else if (key == "max_body") c.max_body_bytes = to_size(v);
    else if (key == "max_upload") c.max_upload_bytes = to_size(v);
    else if (key == "max_streams") c.max_streams = std::size_t(to_int(v, 1, 10'000'000));
    else if (key == "max_streams_per_user") c.max_streams_per_user = std::size_t(to_int(v, 1, 100'000));
    else if (key == "trusted_proxies") c.trusted_proxies = parse_proxies(v);
    else if (key == "shutdown_delay") c.shutdown_delay = std::chrono::seconds(to_int(v, 0, 300));
    else if (key == "key_file") {
      if (v.value.empty()) bad(v, "key_file must be a path.");
      c.key_file = v.value;
    } else invalid("Unknown setting '" + key + "' from " + v.origin + ".");
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) invalid("tls_cert and tls_key must be set together.");
  if (c.db_url.empty()) c.db_url = default_db_url(c.data_dir);
  if (c.public_url.empty()) {
    const std::string host = c.host == "0.0.0.0" || c.host == "::" ? "localhost" : c.host;
    c.public_url = std::string(c.tls() ? "https://" : "http://") + host + ":" + std::to_string(c.port);
  }
  return c;
}

}  // namespace visor::app
