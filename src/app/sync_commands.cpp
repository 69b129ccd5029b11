#include "app/sync_commands.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <boost/json/serialize.hpp>

#include "app/data_dir.hpp"
#include "app/keys.hpp"
#include "app/operator.hpp"
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/admin.hpp"
#include "sync/engine.hpp"
#include "util/error.hpp"
#include "util/metrics.hpp"

namespace visor::app {
namespace {

std::unique_ptr<storage::Store> open_store(const Config& config) {
  prepare_data_dir(config.data_dir);
  return storage::open_store(config.db_url);
}

// The API key: one line from stdin, without echo on a terminal. Empty keeps
// the stored one.
std::optional<Secret> read_secret() {
  const bool tty = isatty(STDIN_FILENO);
  if (tty) {
    std::cerr << "Odoo API key (empty: keep the stored one): " << std::flush;
    std::system("stty -echo 2>/dev/null");
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    std::system("stty echo 2>/dev/null");
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return std::nullopt;
  return Secret(std::move(line));
}

bool yes_no(const std::string& text, const std::string& what) {
  if (text == "yes" || text == "true" || text == "1") return true;
  if (text == "no" || text == "false" || text == "0") return false;
  invalid(what + " must be yes or no.");
}

struct Sync {
  explicit Sync(const Config& config, const std::string& instance_suffix = "")
      : store(open_store(config)), bus(events::make_local_bus()) {
    sync::EngineOptions o;
    o.poll_interval = config.poll_interval;
    // A separate holder: while `visor serve` syncs, `sync --once` waits its turn.
    o.instance_id = sync::instance_id(config.data_dir) + instance_suffix;
    engine = std::make_unique<sync::Engine>(*store, *bus, clock, registry, open_secret_box(key_source(config)), o);
  }
  SystemClock clock;
  metrics::Registry registry;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<events::EventBus> bus;
  std::unique_ptr<sync::Engine> engine;
};

void print(const boost::json::value& v) { std::cout << boost::json::serialize(v) << "\n"; }

}  // namespace

int cmd_connector_set(const Args& args, const Config& config) {
  sync::ConnectorUpdate u;
  if (auto v = args.option("--url")) u.url = *v;
  if (auto v = args.option("--database")) u.database = *v;
  if (auto v = args.option("--login")) u.login = *v;
  if (auto v = args.option("--protocol")) {
    u.protocol = odoo::parse_protocol(*v);
    if (!u.protocol) invalid("--protocol must be auto, json2 or xmlrpc.");
  }
  if (auto v = args.option("--poll-interval"))
    u.poll_interval = std::chrono::seconds(to_number(*v, "--poll-interval", 1, 86400));
  if (auto v = args.option("--verify-tls")) u.verify_tls = yes_no(*v, "--verify-tls");
  if (auto v = args.option("--ca-file")) u.ca_file = *v;
  if (auto v = args.option("--proxy")) u.proxy = *v;
  if (auto v = args.option("--timeout")) u.timeout = std::chrono::seconds(to_number(*v, "--timeout", 1, 600));
  if (auto v = args.option("--enabled")) u.enabled = yes_no(*v, "--enabled");
  u.secret = read_secret();
  Sync s(config);
  const auto saved = sync::put_connector(*s.store, s.engine->secret_box(), u, sync::AdminActor{std::nullopt, operator_label(), ""},
                                         s.clock.now());
  print(sync::to_json(saved));
  std::cerr << "Saved. A running `visor serve` picks the new settings up at its next poll.\n";
  return 0;
}

int cmd_connector_show(const Args&, const Config& config) {
  auto store = open_store(config);
  print(sync::to_json(sync::get_connector(*store)));
  return 0;
}

int cmd_connector_test(const Args&, const Config& config) {
  Sync s(config);
  const auto result = s.engine->test_connection();
  print(result);
  return result.at("ok").as_bool() ? 0 : 1;
}

int cmd_sync(const Args& args, const Config& config) {
  if (!args.positional.empty() && args.positional[0] == "status") {
    Sync s(config);
    print(s.engine->status());
    return 0;
  }
  if (!args.has("--once")) invalid("usage: visor sync --once [--reconcile] | visor sync status");
  Sync s(config, ":cli");
  const sync::CycleReport r = s.engine->run_once(args.has("--reconcile"));
  if (!r.configured) {
    std::cerr << "visor: no CMMS connection is configured (visor connector set).\n";
    return 1;
  }
  boost::json::array pulls;
  for (const auto& p : r.pulls)
    pulls.push_back({{"model", p.model}, {"fetched", p.fetched}, {"created", p.created}, {"updated", p.updated},
                     {"rejected", p.rejected}});
  boost::json::array errors;
  for (const auto& e : r.errors) errors.push_back(boost::json::string(e));
  print(boost::json::object{{"ok", r.ok()},
                            {"delivered", r.delivered},
                            {"skipped", r.skipped},
                            {"retried", r.retried},
                            {"parked", r.parked},
                            {"pulls", std::move(pulls)},
                            {"errors", std::move(errors)}});
  return r.ok() ? 0 : 1;
}

}  // namespace visor::app
