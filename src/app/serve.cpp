#include "app/serve.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "app/application.hpp"
#include "app/data_dir.hpp"
#include "app/limits.hpp"
#include "storage/store.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::app {
namespace {

void load_demo_if_empty(storage::Store& store, const Config& config, const IClock& clock) {
  const bool empty = store.read_value([](storage::Tx& tx) { return tx.users().list(true).empty(); });
  if (!empty) return;
  const auto logins = load_demo_data(store, clock, DemoSize{}, auth::PasswordCost::production());
  write_demo_logins(config, logins);
  log::info("app", "loaded the demo plant", {{"logins", (config.data_dir / "demo-logins.txt").string()}});
}

}  // namespace

void write_demo_logins(const Config& config, const std::vector<DemoLogin>& logins) {
  prepare_data_dir(config.data_dir);
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
  const std::uint64_t files = raise_open_file_limit();
  log::info("app", "open-file limit", {{"nofile", std::to_string(files)}});
  SystemClock clock;
  Application visor(config, clock);
  if (config.demo) load_demo_if_empty(visor.store(), config, clock);
  visor.start();
  const std::string scheme = config.tls() ? "https" : "http";
  std::cout << "Visor " << VISOR_VERSION << " serving on " << scheme << "://" << config.host << ":" << visor.port()
            << "/ (" << visor.store().backend() << ")" << std::endl;
  visor.run_until_signal();
  log::info("app", "stopped");
  return 0;
}

}  // namespace visor::app
