#include "app/serve.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "auth/authenticator.hpp"
#include "auth/pairing.hpp"
#include "events/bus.hpp"
#include "http/handlers/routes.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "storage/store.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/metrics.hpp"

namespace visor::app {
namespace {

std::filesystem::path find_web_root(const Config& config) {
  if (!config.web_root.empty()) return config.web_root;
  // Installed layout first, then the source tree (for ./scripts/run).
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  for (const auto& candidate : {exe / "../share/visor/web", exe / "../../web", exe / "../../../web",
                                std::filesystem::current_path() / "web"}) {
    if (std::filesystem::exists(candidate / "hud")) return std::filesystem::weakly_canonical(candidate);
  }
  invalid("Cannot find the web apps; set web_root (--web-root) to the folder holding console/ and hud/.");
}

void load_demo_if_empty(storage::Store& store, const Config& config, const IClock& clock) {
  const bool empty = store.read_value([](storage::Tx& tx) { return tx.users().list(true).empty(); });
  if (!empty) return;
  const auto logins = load_demo_data(store, clock, DemoSize{}, auth::PasswordCost::production());
  write_demo_logins(config, logins);
  log::info("app", "loaded the demo plant", {{"logins", (config.data_dir / "demo-logins.txt").string()}});
}

void add_web_routes(http::Router& router, const std::filesystem::path& web_root) {
  http::StaticOptions hud;
  hud.root = web_root / "hud";
  hud.spa_fallback = true;
  http::StaticOptions console;
  console.root = web_root / "console";
  console.spa_fallback = true;
  // The QR label URL /m/<code> opens the HUD's machine page (or the public
  // report form for people without a device token).
  http::add_static_routes(router, "/hud", hud);
  http::add_static_routes(router, "/m", hud);
  http::add_static_routes(router, "", console);
}

}  // namespace

void write_demo_logins(const Config& config, const std::vector<DemoLogin>& logins) {
  std::filesystem::create_directories(config.data_dir);
  const std::filesystem::path path = config.data_dir / "demo-logins.txt";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) fail(ErrorCode::internal, "Cannot write " + path.string() + ".");
  std::string text;
  for (const DemoLogin& l : logins) text += l.login + " " + l.role + " " + l.password + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  ::close(fd);
  if (!ok) fail(ErrorCode::internal, "Cannot write " + path.string() + ".");
}

void print_demo_logins(const Config& config, const std::vector<DemoLogin>& logins) {
  std::cout << "Demo logins (also in " << (config.data_dir / "demo-logins.txt").string() << "):\n";
  for (const DemoLogin& l : logins) std::cout << "  " << l.role << ": " << l.login << " / " << l.password << "\n";
}

int serve(const Config& config) {
  SystemClock clock;
  std::filesystem::create_directories(config.data_dir);
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  auto store = storage::open_store(config.db_url);
  if (config.demo) load_demo_if_empty(*store, config, clock);

  auto bus = events::make_local_bus();
  metrics::Registry registry;
  auth::AuthOptions auth_options;
  auth_options.cookie_secure = config.tls();
  auth::Authenticator authenticator(*store, clock, auth_options);
  auth::PairingService pairing(*store, clock, auth::PairingOptions{.public_base_url = config.public_url});
  services::Deps deps{*store, *bus, clock};
  handlers::ApiContext ctx{deps,          authenticator,   pairing, registry, config.public_url,
                           config.data_dir / "media", config.timezone, {}};

  http::Router router;
  handlers::install(router, ctx);
  add_web_routes(router, find_web_root(config));

  http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.threads = config.threads;
  options.max_body_bytes = config.max_body_bytes;
  options.max_upload_bytes = config.max_upload_bytes;
  options.is_upload = router.flag_predicate(handlers::kUploadRoute);
  if (config.tls()) options.tls = http::TlsOptions{config.tls_cert, config.tls_key};
  http::Server server(options, [&router](http::Request& req) { return router.dispatch(req); }, registry);
  server.start();
  const std::string scheme = config.tls() ? "https" : "http";
  std::cout << "Visor " << VISOR_VERSION << " serving on " << scheme << "://" << config.host << ":" << server.port()
            << "/ (" << store->backend() << ")" << std::endl;
  server.run_until_signal();
  log::info("app", "stopped");
  return 0;
}

}  // namespace visor::app
