#include "plant.hpp"

#include "app/demo_data.hpp"
#include "auth/acting.hpp"
#include "auth/pairing.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"

namespace visor::scaletest {

namespace {
// A fixed deployment key (32 bytes, base64), given to every instance.
constexpr const char* kKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
}  // namespace

Plant::Plant(const std::string& name) : db_(name) {
  if (db_.url().empty()) return;
  SystemClock clock;
  auto store = storage::open_store(db_.url());
  const auto logins =
      app::load_demo_data(*store, clock, app::DemoSize{.equipment = 4, .tasks = 12}, auth::PasswordCost::minimum());
  for (const auto& l : logins)
    if (l.login == "manager") manager_password_ = l.password;
  const auto manager = store->read_value([](storage::Tx& tx) { return tx.users().get_by_login("manager"); });
  const auto tech = store->read_value([](storage::Tx& tx) { return tx.users().get_by_login("alice"); });
  const auto admin = store->read_value([](storage::Tx& tx) { return tx.users().get_by_login("admin"); });
  auth::PairingService pairing(*store, clock);
  admin_token_ = std::string(pairing.create_token(auth::Acting::system(), admin->id, "console", "phone").token.reveal());
  manager_token_ = std::string(pairing.create_token(auth::Acting::system(), manager->id, "planner", "phone").token.reveal());
  auto issued = pairing.create_token(auth::Acting::system(), tech->id, "glasses", "phone");
  tech_token_ = std::string(issued.token.reveal());
  tech_device_ = issued.device.id.value;
  tech_task_ = store->read_value([&](storage::Tx& tx) {
    storage::TaskQuery q;
    q.limit = 50;
    for (const auto& row : tx.tasks().list(q).rows)
      if (row.task.team_id == tech->team_id || row.task.assignee_id == tech->id) return row.task.id.value;
    return std::int64_t{0};
  });
}

Instance::Instance(const Plant& plant, std::vector<std::string> extra_args) : dir_(std::make_shared<TempDir>()) {
  start(plant, "127.0.0.1:0", std::move(extra_args));
}

Instance::Instance(const Plant& plant, Instance& before, std::vector<std::string> extra_args) : dir_(before.dir_) {
  start(plant, "127.0.0.1:" + std::to_string(before.port()), std::move(extra_args));
}

void Instance::start(const Plant& plant, const std::string& listen, std::vector<std::string> extra_args) {
  std::vector<std::string> args{"--listen", listen, "--data-dir", data_dir().string(), "--db", plant.url()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  opstest::RunOptions o;
  o.env["VISOR_SECRET_KEY"] = kKey;
  serving_ = std::make_unique<Serving>(args, o);
  port_ = serving_->port();
}

}  // namespace visor::scaletest
