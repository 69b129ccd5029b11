// A minimal sync process for the kill -9 tests: the same engine as
// `visor serve`, cycling over a store until killed (or once).
//
//   sync_driver DB_URL DATA_DIR loop|once [PAGE_SIZE]
#include <sodium.h>
#include <sys/prctl.h>

#include <csignal>

#include <cstdio>
#include <string>

#include "auth/secret_box.hpp"
#include "connectors/odoo/connector.hpp"
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/connector_settings.hpp"
#include "sync/engine.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  using namespace visor;
  if (argc < 4 || sodium_init() < 0) {
    std::fprintf(stderr, "usage: sync_driver DB_URL DATA_DIR loop|once [PAGE_SIZE]\n");
    return 2;
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives the test that started it
  log::set_level(log::Level::error);
  const std::string mode = argv[3];
  auto store = storage::open_store(argv[1]);
  auto bus = events::make_local_bus();
  SystemClock clock;
  metrics::Registry registry;
  sync::EngineOptions o;
  o.instance_id = "test";
  odoo::PullOptions pull;
  if (argc > 4) pull.page_size = std::stoi(argv[4]);
  const auto box = auth::SecretBox::open_or_create(sync::secret_key_file(argv[2]));
  const auto driver = odoo::make_driver(*store, *bus, clock, registry, pull);
  sync::Engine engine(*store, *bus, clock, registry, box, *driver, o);
  for (int n = 0;; ++n) {
    const sync::CycleReport r = engine.run_once(n == 0);
    std::printf("cycle %d delivered=%lld errors=%zu\n", n, static_cast<long long>(r.delivered), r.errors.size());
    std::fflush(stdout);
    if (mode == "once") return r.ok() ? 0 : 1;
  }
}
