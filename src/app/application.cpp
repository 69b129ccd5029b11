#include "app/application.hpp"
#include "app/work_pools.hpp"

#include <sys/stat.h>

#include <iostream>

#include "app/data_dir.hpp"
#include "app/doctor.hpp"
#include "app/keys.hpp"
#include "app/limits.hpp"
#include "app/media_files.hpp"
#include "auth/authenticator.hpp"
#include "auth/live_streams.hpp"
#include "auth/pairing.hpp"
#include "auth/secret_box.hpp"
#include "connectors/odoo/connector.hpp"
#include "events/bus.hpp"
#include "http/handlers/routes.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "media/maintenance.hpp"
#include "storage/event_bus.hpp"
#include "storage/store.hpp"
#include "sync/admin.hpp"
#include "sync/engine.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/metrics.hpp"

namespace visor::app {
namespace fs = std::filesystem;

namespace {

fs::path find_web_root(const Config& config) {
  if (!config.web_root.empty()) return config.web_root;
  // Installed layout first, then the source tree (for ./scripts/run).
  const fs::path exe = fs::read_symlink("/proc/self/exe").parent_path();
  for (const auto& candidate :
       {exe / "../share/visor/web", exe / "../../../web", exe / "../../web", fs::current_path() / "web"}) {
    if (fs::exists(candidate / "hud")) return fs::weakly_canonical(candidate);
  }
  invalid("Cannot find the web apps; set web_root (--web-root) to the folder holding console/ and hud/.");
}

void add_web_routes(http::Router& router, const fs::path& web_root) {
  http::StaticOptions hud;
  hud.root = web_root / "hud";
  hud.spa_fallback = true;
  http::StaticOptions console;
  console.root = web_root / "console";
  console.spa_fallback = true;
  // A machine's QR label points at /m/<code>: the HUD's machine page, or the
  // public report form for people without a device token.
  http::add_static_routes(router, "/hud", hud);
  http::add_static_routes(router, "/m", hud);
  http::add_static_routes(router, "", console);
}

auth::AuthOptions auth_options(const Config& config) {
  auth::AuthOptions o;
  // Behind a TLS-terminating proxy Visor speaks plain HTTP, but browsers
  // reach it over https: the public URL says so.
  o.secure_cookie = config.tls() || config.public_url.starts_with("https://");
  return o;
}

auth::StreamLimits stream_limits(const Config& config) {
  auth::StreamLimits l;
  l.per_user = config.max_streams_per_user;
  l.total = config.max_streams > 0 ? config.max_streams : auth::stream_capacity(open_file_limit());
  return l;
}

http::ServerOptions server_options(const Config& config) {
  http::ServerOptions o;
  o.host = config.host;
  o.port = config.port;
  o.threads = config.threads;
  o.max_body_bytes = config.max_body_bytes;
  o.max_upload_bytes = config.max_upload_bytes;
  if (config.tls()) o.tls = http::TlsOptions{config.tls_cert, config.tls_key};
  o.trusted_proxies = http::TrustedProxies(config.trusted_proxies);
  return o;
}

std::unique_ptr<storage::Store> open_store(const Config& config) {
  prepare_data_dir(config.data_dir);
  return storage::open_store(config.db_url);
}

// Says at start what the media folder holds that needs the operator.
void report_media(const MediaFiles& media) {
  if (!media.problem.empty()) {
    log::error("app", "media keys cannot be opened", {{"detail", media.problem}});
    std::cerr << "visor: " << media.problem << std::endl;
  }
  if (media.plain_accepted && media.census && media.census->plain > 0) {
    const std::string message = std::to_string(media.census->plain) +
                                " stored file(s) are not encrypted (stored before encryption at rest): run "
                                "`visor migrate` to encrypt them.";
    log::warn("app", "media stored unencrypted", {{"files", std::to_string(media.census->plain)}, {"detail", message}});
    std::cerr << "visor: " << message << std::endl;
  }
}

}  // namespace

struct Application::Parts {
  Parts(Config c, const IClock& clk)
      : config(std::move(c)),
        clock(clk),
        store(open_store(config)),
        bus(storage::open_event_bus(*store, config.db_url)),
        authenticator(*store, clock, auth_options(config)),
        pairing(*store, clock, auth::PairingOptions{.public_base_url = config.public_url}),
        streams(*store, authenticator, clock, stream_limits(config)),
        deps{*store, *bus, clock},
        key(key_source(config)),
        box(open_secret_box(key)),
        media(open_media_files(*store, box, config.data_dir / "media",
                               &registry.counter("visor_media_integrity_failures_total",
                                                 "Stored files refused on reading: altered, damaged, or plain "
                                                 "where only encrypted ones are accepted.")
                                    .get())),
        api{deps, authenticator, pairing, registry, config.public_url, *media.store, config.timezone, nullptr},
        driver(odoo::make_driver(*store, *bus, clock, registry)) {
    api.streams = &streams;
    // The key sealing stored secrets comes from outside the data when
    // configured; a key that does not open them is said at once.
    if (const std::string problem = check_stored_secrets(*store, box, key); !problem.empty()) {
      log::error("app", "stored secrets cannot be decrypted", {{"detail", problem}});
      std::cerr << "visor: " << problem << std::endl;
    }
    if (const int removed = media::remove_orphan_temporaries(config.data_dir / "media"); removed > 0)
      log::info("app", "removed unfinished uploads left by a crash", {{"count", std::to_string(removed)}});
    report_media(media);
    log::info("app", "data directory volume", {{"detail", describe_volume(config.data_dir)}});
    api.posture = [this] { return gather_posture(this->config, *store, &box); };
    // The CMMS sync engine (idle until a connector is configured), with the
    // connector of the CMMS in use: Odoo.
    sync::EngineOptions sync_options;
    sync_options.poll_interval = config.poll_interval;
    sync_options.instance_id = sync::instance_id(config.data_dir);
    engine = std::make_unique<sync::Engine>(*store, *bus, clock, registry, box, *driver, sync_options);
    sync_services = std::make_unique<sync::SyncServices>(
        sync::SyncServices{*store, box, *driver, clock, engine.get(), config.poll_interval});
    api.sync = sync_services.get();
    handlers::install(router, api);
    add_web_routes(router, find_web_root(config));
    http::ServerOptions options = server_options(config);
    options.is_upload = router.flag_predicate(handlers::kUploadRoute);
    api.stopping = &stopping;
    options.on_stopping = [this] {
      stopping = true;
      log::info("app", "stopping: not ready", {{"delay_s", std::to_string(config.shutdown_delay.count() / 1000)}});
    };
    options.stop_delay = config.shutdown_delay;
    options.pool_for = [this](http::Method method, std::string_view path) {
      return pools.for_flags(router.flags_of(method, path));
    };
    options.quick_first = router.flag_predicate(handlers::kQuickFirst);
    server = std::make_unique<http::Server>(options, [this](http::Request& req) { return router.dispatch(req); },
                                            registry);
  }

  Config config;
  const IClock& clock;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<events::EventBus> bus;
  metrics::Registry registry;
  auth::Authenticator authenticator;
  auth::PairingService pairing;
  auth::LiveStreams streams;
  services::Deps deps;
  KeySource key;        // where the key below comes from
  auth::SecretBox box;  // unseals the connector secret and the media keys
  MediaFiles media;     // photos, encrypted at rest
  handlers::ApiContext api;
  http::Router router;
  WorkPools pools{config, registry};  // outlives the server: it waits for their jobs in flight
  std::unique_ptr<http::Server> server;
  std::unique_ptr<sync::ConnectorDriver> driver;
  std::unique_ptr<sync::Engine> engine;  // stopped before the server
  std::unique_ptr<sync::SyncServices> sync_services;
  std::atomic<bool> stopping{false};  // set on SIGTERM: /readyz answers 503
};

Application::Application(Config config, const IClock& clock)
    : parts_(std::make_unique<Parts>(std::move(config), clock)) {}

Application::~Application() = default;

void Application::start() {
  parts_->server->start();
  parts_->engine->start();
}
std::uint16_t Application::port() const { return parts_->server->port(); }
void Application::run_until_signal() {
  parts_->server->run_until_signal();
  parts_->engine->stop();
}
void Application::stop() {
  parts_->engine->stop();
  parts_->server->stop();
}
const Config& Application::config() const { return parts_->config; }
storage::Store& Application::store() { return *parts_->store; }
events::EventBus& Application::bus() { return *parts_->bus; }

}  // namespace visor::app
