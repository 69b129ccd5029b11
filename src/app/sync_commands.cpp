#include "app/sync_commands.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <boost/json/serialize.hpp>

#include "app/data_dir.hpp"
#include "app/keys.hpp"
#include "app/operator.hpp"
#include "auth/secret_box.hpp"
#include "connectors/odoo/connector.hpp"
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

// What the CMMS commands work with. No engine: a CLI process never takes or
// releases the running server's sync lease (only `sync --once` builds one,
// under an id of its own).
struct Cmms {
  explicit Cmms(const Config& config)
      : store(open_store(config)),
        bus(events::make_local_bus()),
        box(open_secret_box(key_source(config))),
        driver(odoo::make_driver(*store, *bus, clock, registry)),
        services{*store, box, *driver, clock, nullptr, config.poll_interval} {}
  SystemClock clock;
  metrics::Registry registry;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<events::EventBus> bus;
  auth::SecretBox box;
  std::unique_ptr<sync::ConnectorDriver> driver;
  sync::SyncServices services;
};

// The operator, by their OS account, for the audit log.
sync::AdminActor cli() { return sync::AdminActor{std::nullopt, operator_label(), ""}; }

void print(const boost::json::value& v) { std::cout << boost::json::serialize(v) << "\n"; }

boost::json::object counts(const sync::ModelPull& p) {
  return {{"model", p.model},     {"fetched", p.fetched},   {"created", p.created},
          {"updated", p.updated}, {"removed", p.removed},   {"rejected", p.rejected}};
}

}  // namespace

int cmd_connector_set(const Args& args, const Config& config) {
  sync::ConnectorUpdate u;
  if (auto v = args.option("--url")) u.url = *v;
  if (auto v = args.option("--database")) u.database = *v;
  if (auto v = args.option("--login")) u.login = *v;
  if (auto v = args.option("--protocol")) u.protocol = *v;
  if (auto v = args.option("--poll-interval"))
    u.poll_interval = std::chrono::seconds(to_number(*v, "--poll-interval", 1, 86400));
  if (auto v = args.option("--verify-tls")) u.verify_tls = yes_no(*v, "--verify-tls");
  if (auto v = args.option("--ca-file")) u.ca_file = *v;
  if (auto v = args.option("--proxy")) u.proxy = *v;
  if (auto v = args.option("--timeout")) u.timeout = std::chrono::seconds(to_number(*v, "--timeout", 1, 600));
  if (auto v = args.option("--enabled")) u.enabled = yes_no(*v, "--enabled");
  if (auto v = args.option("--deletion-guard-percent"))
    u.guard_share_percent = static_cast<int>(to_number(*v, "--deletion-guard-percent", 1, 100));
  if (auto v = args.option("--deletion-guard-max"))
    u.guard_max_records = static_cast<int>(to_number(*v, "--deletion-guard-max", 1, 1000000));
  u.secret = read_secret();
  Cmms c(config);
  print(sync::to_json(sync::put_connector(c.services, u, cli())));
  std::cerr << "Saved. A running `visor serve` picks the new settings up at its next poll.\n";
  return 0;
}

int cmd_connector_show(const Args&, const Config& config) {
  auto store = open_store(config);
  print(sync::to_json(store->read_value([](storage::Tx& tx) { return sync::load_connector(tx); })));
  return 0;
}

int cmd_connector_test(const Args&, const Config& config) {
  Cmms c(config);
  const auto result = sync::test_connector(c.services);
  print(result);
  return result.at("ok").as_bool() ? 0 : 1;
}

int cmd_sync(const Args& args, const Config& config) {
  const std::string what = args.positional.empty() ? "" : args.positional[0];
  if (what == "status") {
    Cmms c(config);
    print(sync::status(c.services));
    return 0;
  }
  if (what == "deletions") {
    Cmms c(config);
    boost::json::array items;
    for (const auto& h : sync::held_deletions(c.services)) items.push_back(sync::to_json(h));
    print(boost::json::object{{"items", std::move(items)}});
    return 0;
  }
  if (what == "confirm-deletions") {
    Cmms c(config);
    std::optional<std::string> model;
    if (auto v = args.option("--model")) model = *v;
    const std::size_t n = sync::confirm_deletions(c.services, model, cli());
    print(boost::json::object{{"confirmed", static_cast<std::int64_t>(n)}});
    std::cerr << "Confirmed. The next reconcile removes them (a running `visor serve` does it within its poll "
                 "interval; or run `visor sync --once --reconcile`).\n";
    return 0;
  }
  if (!what.empty() || !args.has("--once"))
    invalid("usage: visor sync --once [--reconcile] | visor sync status | visor sync deletions | "
            "visor sync confirm-deletions [--model M]");
  Cmms c(config);
  sync::EngineOptions o;
  o.poll_interval = config.poll_interval;
  // An id of its own: while `visor serve` syncs, `sync --once` waits its turn.
  o.instance_id = sync::instance_id(config.data_dir) + ":cli";
  sync::Engine engine(*c.store, *c.bus, c.clock, c.registry, c.box, *c.driver, o);
  const sync::CycleReport r = engine.run_once(args.has("--reconcile"));
  engine.stop();
  if (!r.configured) {
    std::cerr << "visor: no enabled CMMS connection is configured (visor connector set).\n";
    return 1;
  }
  boost::json::array pulls;
  for (const auto& p : r.pulls) pulls.push_back(counts(p));
  boost::json::array reconciles;
  for (const auto& p : r.reconciles) reconciles.push_back(counts(p));
  boost::json::array errors;
  for (const auto& e : r.errors) errors.push_back(boost::json::string(e));
  print(boost::json::object{{"ok", r.ok()},
                            {"delivered", r.delivered},
                            {"skipped", r.skipped},
                            {"retried", r.retried},
                            {"parked", r.parked},
                            {"pulls", std::move(pulls)},
                            {"reconciles", std::move(reconciles)},
                            {"held_deletions", r.held},
                            {"errors", std::move(errors)}});
  return r.ok() ? 0 : 1;
}

}  // namespace visor::app
