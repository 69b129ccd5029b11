#include "app/commands.hpp"

#include <sodium.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <functional>

#include "api/qr.hpp"
#include "app/args.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "app/demo_data.hpp"
#include "app/doctor.hpp"
#include "app/keys.hpp"
#include "app/media_files.hpp"
#include "app/operator.hpp"
#include "app/ops_commands.hpp"
#include "app/serve.hpp"
#include "app/sync_commands.hpp"
#include "auth/pairing.hpp"
#include "auth/users.hpp"
#include "storage/store.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::app {
namespace {

struct Command {
  std::string usage;
  std::string help;
  std::set<std::string> options;  // besides the settings flags
  std::function<int(const Args&, const Config&)> run;
};

const std::set<std::string> kSwitches{"--help",      "--version",     "--demo",        "--once",
                                      "--reconcile", "--password-stdin", "--include-key", "--verify-only",
                                      "--unencrypted", "--json"};

std::set<std::string> settings_flags() {
  std::set<std::string> flags{"--config", "--help"};
  for (const Setting& s : settings()) flags.insert(s.flag);
  return flags;
}

Config load_config(const Args& args) {
  std::vector<RawConfig> layers;
  std::optional<std::string> file = args.option("--config");
  if (!file) {
    if (const char* env = std::getenv("VISOR_CONFIG")) file = env;
  }
  if (file) layers.push_back(read_config_file(*file));
  layers.push_back(read_environment());
  RawConfig flags;
  for (const Setting& s : settings()) {
    if (auto v = args.option(s.flag)) flags[s.key] = RawValue{*v, "flag " + s.flag};
  }
  layers.push_back(flags);
  Config config = resolve_config(layers);
  config.demo = args.has("--demo");
  return config;
}

std::unique_ptr<storage::Store> open(const Config& config, bool migrate = true) {
  prepare_data_dir(config.data_dir);
  storage::StoreOptions options;
  options.migrate = migrate;
  return storage::open_store(config.db_url, options);
}

User find_user(storage::Store& store, const std::string& login) {
  const auto user = store.read_value([&](storage::Tx& tx) { return tx.users().get_by_login(login); });
  if (!user) not_found("No user has the login '" + login + "'.");
  return *user;
}

// A password from stdin: one line, without echo on a terminal.
Secret read_password(const std::string& prompt) {
  const bool tty = isatty(STDIN_FILENO);
  if (tty) std::cerr << prompt << std::flush;
  if (tty) std::system("stty -echo 2>/dev/null");
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    std::system("stty echo 2>/dev/null");
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Secret(std::move(line));
}

int cmd_serve(const Args&, const Config& config) { return serve(config); }

int cmd_migrate(const Args&, const Config& config) {
  auto store = open(config, false);
  const int applied = store->migrate();
  std::cout << "Applied " << applied << " migration(s); schema version " << store->schema_version() << " ("
            << store->backend() << ").\n";
  // Photos stored before encryption at rest are encrypted now.
  const auth::SecretBox box = open_secret_box(key_source(config));
  for (const std::string& line : migrate_media(*store, box, config.data_dir / "media")) std::cout << line << "\n";
  return 0;
}

int cmd_user_add(const Args& args, const Config& config) {
  auto store = open(config);
  auth::NewUser u;
  u.login = args.required("--login");
  u.name = args.required("--name");
  u.email = args.option("--email").value_or("");
  const auto role = parse_role(args.option("--role").value_or("technician"));
  if (!role) invalid("--role must be technician, manager or admin.");
  u.role = *role;
  if (auto team = args.option("--team")) {
    const auto t = store->read_value([&](storage::Tx& tx) {
      for (const Team& candidate : tx.catalog().teams())
        if (std::to_string(candidate.id.value) == *team || candidate.name == *team) return std::optional(candidate.id);
      return std::optional<TeamId>{};
    });
    if (!t) not_found("No team is called or numbered '" + *team + "'.");
    u.team = t;
  }
  u.locale = args.option("--locale").value_or("en");
  u.password = read_password("Password for " + u.login + ": ");
  SystemClock clock;
  const User user = store->write_value(
      [&](storage::Tx& tx) { return auth::create_user(tx, u, operator_acting(), clock.now()); });
  std::cout << "Created user " << user.login << " (" << to_string(user.role) << ", id " << user.id.value << ").\n";
  return 0;
}

int cmd_user_list(const Args&, const Config& config) {
  auto store = open(config);
  const auto users = store->read_value([](storage::Tx& tx) { return tx.users().list(true); });
  std::cout << "ID  LOGIN            ROLE        ACTIVE  NAME\n";
  for (const User& u : users) {
    char line[256];
    std::snprintf(line, sizeof line, "%-3lld %-16s %-11s %-7s %s\n", static_cast<long long>(u.id.value),
                  u.login.c_str(), std::string(to_string(u.role)).c_str(), u.active ? "yes" : "no", u.name.c_str());
    std::cout << line;
  }
  return 0;
}

int cmd_user_passwd(const Args& args, const Config& config) {
  if (args.positional.size() != 1) invalid("usage: visor user passwd LOGIN");
  auto store = open(config);
  const User user = find_user(*store, args.positional[0]);
  const Secret password = read_password("New password for " + user.login + ": ");
  SystemClock clock;
  store->write([&](storage::Tx& tx) { auth::set_password(tx, user.id, password, operator_acting(), clock.now()); });
  std::cout << "Password changed for " << user.login << ".\n";
  return 0;
}

int cmd_user_disable(const Args& args, const Config& config) {
  if (args.positional.size() != 1) invalid("usage: visor user disable LOGIN");
  auto store = open(config);
  const User user = find_user(*store, args.positional[0]);
  SystemClock clock;
  store->write([&](storage::Tx& tx) { auth::disable_user(tx, user.id, operator_acting(), clock.now()); });
  std::cout << "Disabled " << user.login << "; their sessions and devices no longer work.\n";
  return 0;
}

int cmd_token_create(const Args& args, const Config& config) {
  auto store = open(config);
  const User user = find_user(*store, args.required("--user"));
  SystemClock clock;
  auth::PairingService pairing(*store, clock, auth::PairingOptions{.public_base_url = config.public_url});
  const auth::IssuedDevice issued =
      pairing.create_token(operator_acting(), user.id, args.required("--name"), args.option("--profile").value_or("see-through"));
  std::cout << issued.token.reveal() << "\n";
  std::cerr << "Device token for " << user.login << " (device id " << issued.device.id.value
            << "). It is shown once; store it now.\n";
  return 0;
}

int cmd_token_revoke(const Args& args, const Config& config) {
  if (args.positional.size() != 1) invalid("usage: visor token revoke DEVICE_ID");
  auto store = open(config);
  SystemClock clock;
  auth::PairingService pairing(*store, clock);
  pairing.revoke(operator_acting(), DeviceId{to_number(args.positional[0], "DEVICE_ID", 1, INT64_MAX)});
  std::cout << "Revoked device " << args.positional[0] << ".\n";
  return 0;
}

int cmd_device_pair(const Args& args, const Config& config) {
  auto store = open(config);
  const User user = find_user(*store, args.required("--user"));
  SystemClock clock;
  auth::PairingService pairing(*store, clock, auth::PairingOptions{.public_base_url = config.public_url});
  const auth::PairingCode code = pairing.create(operator_acting(), user.id, args.required("--name"),
                                                args.option("--profile").value_or(""));  // none: the fleet's
  std::cout << "Pairing code for " << user.login << ": " << code.code << " (valid until "
            << format_iso8601(code.expires_at) << ")\nOn the glasses open " << code.qr_text
            << " or say the code on " << config.public_url << "/hud/\n";
  return 0;
}

int cmd_demo_data(const Args& args, const Config& config) {
  auto store = open(config);
  DemoSize size;
  if (auto n = args.option("--tasks")) size.tasks = int(to_number(*n, "--tasks", 0, 1'000'000));
  if (auto n = args.option("--equipment")) size.equipment = int(to_number(*n, "--equipment", 1, 100'000));
  if (auto n = args.option("--technicians")) size.technicians = int(to_number(*n, "--technicians", 3, 10'000));
  if (auto n = args.option("--managers")) size.managers = int(to_number(*n, "--managers", 1, 1'000));
  SystemClock clock;
  const auto logins = load_demo_data(*store, clock, size, auth::PasswordCost::production());
  write_demo_logins(config, logins);
  print_demo_logins(config, logins);
  return 0;
}

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> all{
      {"serve", {"visor serve [--demo] [settings]", "Run the server. --demo loads the demo plant into an empty store.",
                 {"--demo"}, cmd_serve}},
      {"migrate", {"visor migrate [settings]", "Apply pending database migrations, encrypt photos stored before encryption at rest, and exit.", {}, cmd_migrate}},
      {"user add",
       {"visor user add --login L --name N [--role technician|manager|admin] [--team T] [--email E] [--locale en|fr]",
        "Create an account; the password is read from standard input.",
        {"--login", "--name", "--role", "--team", "--email", "--locale", "--password-stdin"}, cmd_user_add}},
      {"user list", {"visor user list", "List accounts.", {}, cmd_user_list}},
      {"user passwd", {"visor user passwd LOGIN", "Set a password (read from standard input).", {"--password-stdin"},
                       cmd_user_passwd}},
      {"user disable", {"visor user disable LOGIN", "Disable an account, its sessions and devices.", {},
                        cmd_user_disable}},
      {"token create", {"visor token create --user LOGIN --name DEVICE [--profile see-through|opaque|dark-opaque|phone]",
                        "Issue a device token (printed once).", {"--user", "--name", "--profile"}, cmd_token_create}},
      {"token revoke", {"visor token revoke DEVICE_ID", "Revoke a device token.", {}, cmd_token_revoke}},
      {"device pair", {"visor device pair --user LOGIN --name DEVICE [--profile P]",
                       "Show a 6-character pairing code for a technician's glasses.",
                       {"--user", "--name", "--profile"}, cmd_device_pair}},
      // CMMS connection and sync (sync_commands.cpp).
      {"connector set",
       {"visor connector set --url U [--database D] [--login L] [--protocol auto|json2|xmlrpc] [--poll-interval S] "
        "[--verify-tls yes|no] [--ca-file F] [--proxy P] [--timeout S] [--enabled yes|no] "
        "[--deletion-guard-percent P] [--deletion-guard-max N]",
        "Configure the Odoo connection; the API key is read from standard input (empty keeps the stored one).",
        {"--url", "--database", "--login", "--protocol", "--verify-tls", "--ca-file", "--proxy", "--timeout",
         "--enabled", "--deletion-guard-percent", "--deletion-guard-max"},
        cmd_connector_set}},
      {"connector show", {"visor connector show", "Show the Odoo connection (never the API key).", {},
                          cmd_connector_show}},
      {"connector test", {"visor connector test",
                          "Check the stored Odoo connection: version, API key, and that it may read the requests "
                          "and equipment.",
                          {}, cmd_connector_test}},
      {"sync", {"visor sync --once [--reconcile] | visor sync status | visor sync deletions | "
                "visor sync confirm-deletions [--model M]",
                "Run one sync cycle with the CMMS (exit 1 on failure), print the running server's sync status, "
                "list the deletions held for an admin, or confirm them.",
                {"--once", "--reconcile", "--model"}, cmd_sync}},
      // Operations (ops_commands.cpp).
      {"backup", {"visor backup --out FILE [--unencrypted [--include-key]]",
                  "Copy the database (consistently, while Visor serves), the media and a manifest with checksums "
                  "into FILE, encrypted under the secret key (restoring needs it). --unencrypted writes a plain "
                  "folder instead; only that one may hold the key (--include-key).",
                  {"--out", "--include-key", "--unencrypted"}, cmd_backup}},
      {"restore", {"visor restore --from FILE|DIR [--verify-only] [--key-file K] [--data-dir D] [--db URL]",
                   "Check a backup against its manifest, then restore it into an empty data directory (and a new "
                   "SQLite file or an empty PostgreSQL database). An encrypted backup needs the key it was made "
                   "with. --verify-only only checks.",
                   {"--from", "--verify-only"}, cmd_restore}},
      {"key rotate", {"visor key rotate [--new-key-file FILE]",
                      "Make a new key and re-seal the stored secrets with it; the key file is replaced (or the new "
                      "key written to FILE when the key comes from the environment or a credential).",
                      {"--new-key-file"}, cmd_key_rotate}},
      {"doctor", {"visor doctor [--json]",
                  "Report the security posture: TLS, the key's place and mode, media and backup encryption, the "
                  "encrypted volume, PostgreSQL and CMMS TLS, demo accounts — each with what to do. Exit 1 when a "
                  "check fails.",
                  {"--json"}, cmd_doctor}},
      {"demo-data", {"visor demo-data [--tasks N] [--equipment N] [--technicians N] [--managers N]",
                     "Load the demo plant (default 200 tasks, 30 machines) into an empty store.",
                     {"--tasks", "--equipment", "--technicians", "--managers"}, cmd_demo_data}},
  };
  return all;
}

void print_help(std::ostream& out) {
  out << "Visor " << VISOR_VERSION << " — maintenance work from the CMMS to AR glasses and back.\n\nCommands:\n";
  for (const auto& [name, c] : commands()) out << "  " << c.usage << "\n      " << c.help << "\n";
  out << "\nSettings (flag, environment variable, config-file key):\n  --config FILE (VISOR_CONFIG)\n";
  for (const Setting& s : settings()) out << "  " << s.flag << " (" << s.env << ", " << s.key << ")  " << s.help << "\n";
}

}  // namespace

int run_cli(const std::vector<std::string>& argv) {
  private_umask();  // whatever any command creates is its owner's only
  try {
    if (sodium_init() < 0) fail(ErrorCode::internal, "libsodium could not initialise.");
    Args args = parse_args(argv, kSwitches);
    if (args.has("--version")) {
      std::cout << "visor " << VISOR_VERSION << "\n";
      return 0;
    }
    if (args.positional.empty() && args.has("--help")) {  // `visor --help`: every command and setting
      print_help(std::cout);
      return 0;
    }
    std::string name = args.positional.empty() ? "serve" : args.positional[0];
    std::size_t used = args.positional.empty() ? 0 : 1;
    if (args.positional.size() >= 2 && commands().count(name + " " + args.positional[1])) {
      name += " " + args.positional[1];
      used = 2;
    }
    const auto it = commands().find(name);
    if (it == commands().end()) {
      if (args.has("--help") || name == "help") {
        print_help(std::cout);
        return 0;
      }
      std::cerr << "visor: unknown command '" << name << "'. Run 'visor --help'.\n";
      return 2;
    }
    if (args.has("--help")) {
      std::cout << "Usage: " << it->second.usage << "\n\n" << it->second.help << "\n";
      return 0;
    }
    args.positional.erase(args.positional.begin(), args.positional.begin() + long(used));
    std::set<std::string> allowed = settings_flags();
    allowed.insert(it->second.options.begin(), it->second.options.end());
    check_allowed(args, allowed, name);
    const Config config = load_config(args);
    log::Level level;
    log::parse_level(config.log_level, level);
    log::set_level(level);
    return it->second.run(args, config);
  } catch (const Error& e) {
    std::cerr << "visor: " << e.detail() << "\n";
    // The operator needs the cause of an outage (e.g. libpq's TLS error);
    // it is what the server's log would say.
    if (e.code() == ErrorCode::unavailable && !e.internal().empty()) std::cerr << "  cause: " << e.internal() << "\n";
    return e.code() == ErrorCode::invalid_input ? 2 : 1;
  } catch (const std::exception& e) {
    std::cerr << "visor: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace visor::app
