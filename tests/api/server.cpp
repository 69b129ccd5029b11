#include "server.hpp"

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "auth/password.hpp"
#include "auth/tokens.hpp"
#include "util/log.hpp"

namespace visor::apitest {
namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

// Monday 2 March 2026, 08:00 UTC: demo tasks spread around this day.
constexpr sys_days kStartDay = 2026y / 3 / 2;
constexpr auto kSessionIdle = hours(12);  // auth::AuthOptions::session_idle

TestServer* g_server = nullptr;

// A function-local static: suites call configure() from their own static
// initialisers, which may run before this file's.
std::function<void(app::Config&)>& configure_hook() {
  static std::function<void(app::Config&)> hook;
  return hook;
}

std::string make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "visor-api-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

bool unsafe(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

std::string_view to_string(Who who) {
  switch (who) {
    case Who::anonymous: return "anonymous";
    case Who::technician: return "technician(session)";
    case Who::technician_device: return "technician(device)";
    case Who::manager: return "manager";
    case Who::admin: return "admin";
    case Who::other_technician: return "other-technician";
    case Who::team_mate: return "team-mate";
  }
  return "?";
}

bool TestServer::configure(std::function<void(app::Config&)> adjust) {
  if (g_server) return false;
  configure_hook() = std::move(adjust);
  return true;
}

TestServer& TestServer::get() {
  if (!g_server) g_server = new TestServer();
  return *g_server;
}

void TestServer::shutdown() {
  delete g_server;
  g_server = nullptr;
}

TestServer::TestServer() : dir_(make_temp_dir()), clock_(sys_time<Millis>(kStartDay + hours(8))) {
  log::Level level = log::Level::error;
  if (const char* env = std::getenv("VISOR_TEST_LOG")) log::parse_level(env, level);
  log::set_level(level);

  app::Config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 2;
  config.data_dir = dir_;
  config.db_url = "sqlite://" + dir_ + "/visor.db";
  config.public_url = "http://visor.test";
  config.web_root = VISOR_SOURCE_DIR "/web";
  if (configure_hook()) configure_hook()(config);
  app_ = std::make_unique<app::Application>(config, clock_);

  const auto logins =
      app::load_demo_data(app_->store(), clock_, app::DemoSize{.equipment = 8, .tasks = 40},
                          auth::PasswordCost::minimum());
  identities_.resize(7);
  auto fill = [&](Who who, std::string_view login) {
    Identity& id = identities_[std::size_t(who)];
    const auto user = store().read_value([&](storage::Tx& tx) { return tx.users().get_by_login(login); });
    if (!user) throw std::runtime_error("demo user missing: " + std::string(login));
    id.user = user->id;
    id.role = user->role;
    id.team = user->team_id;
    id.login = user->login;
    for (const auto& l : logins)
      if (l.login == login) id.password = l.password;
  };
  fill(Who::technician, "alice");
  fill(Who::technician_device, "alice");
  fill(Who::manager, "manager");
  fill(Who::admin, "admin");
  fill(Who::other_technician, "bruno");
  fill(Who::team_mate, "chen");
  mint_credentials();

  app_->start();
  port_ = app_->port();
  runner_ = std::thread([this] { app_->run_until_signal(); });
}

TestServer::~TestServer() {
  app_->stop();
  if (runner_.joinable()) runner_.join();
  app_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

storage::Store& TestServer::store() { return app_->store(); }

const Identity& TestServer::identity(Who who) const { return identities_.at(std::size_t(who)); }

void TestServer::mint_credentials() {
  for (Who who : {Who::technician, Who::manager, Who::admin, Who::other_technician, Who::team_mate})
    identities_[std::size_t(who)].session = new_session(identities_[std::size_t(who)].user);
  Identity& device = identities_[std::size_t(Who::technician_device)];
  if (device.device_token.empty()) device.device_token = new_device(device.user, &device.device);
}

Session TestServer::new_session(UserId user) {
  const Secret token = auth::random_token();
  storage::SessionRecord s;
  s.token_hash = auth::hash_token(token);
  s.user_id = user;
  s.csrf_token = auth::new_csrf_token();
  s.created_at = s.last_seen_at = clock_.now();
  s.expires_at = clock_.now() + kSessionIdle;
  s.remote_addr = "127.0.0.1";
  store().write([&](storage::Tx& tx) { tx.auth().insert_session(s); });
  return Session{"visor_session=" + std::string(token.reveal()), s.csrf_token};
}

std::string TestServer::new_device(UserId user, DeviceId* id) {
  const Secret token = auth::new_device_token();
  storage::DeviceRecord d;
  d.user_id = user;
  d.name = "suite glasses";
  d.profile = "see-through";
  d.token_hash = auth::hash_token(token);
  d.created_at = clock_.now();
  const DeviceId device = store().write_value([&](storage::Tx& tx) { return tx.auth().insert_device(d); });
  if (id) *id = device;
  return std::string(token.reveal());
}

void TestServer::advance(milliseconds d) {
  clock_.advance(d);
  if (d >= minutes(1)) mint_credentials();
}

Headers TestServer::auth_headers(Who who, std::string_view method, bool csrf) const {
  Headers h;
  if (who == Who::anonymous) return h;
  const Identity& id = identity(who);
  if (who == Who::technician_device) {
    h.emplace_back("Authorization", "Bearer " + id.device_token);
    return h;
  }
  h.emplace_back("Cookie", id.session.cookie);
  if (csrf && unsafe(method)) h.emplace_back("X-CSRF-Token", id.session.csrf);
  return h;
}

Reply TestServer::call(Who who, std::string_view method, std::string_view target, std::string_view body,
                       const Req& opts) {
  Headers h = auth_headers(who, method, opts.csrf);
  if (!body.empty() && !opts.content_type.empty()) h.emplace_back("Content-Type", opts.content_type);
  for (const auto& kv : opts.headers) h.push_back(kv);
  return request(port_, method, target, h, body);
}

Reply TestServer::raw_call(std::string_view method, std::string_view target, const Headers& headers,
                           std::string_view body) {
  return request(port_, method, target, headers, body);
}

TaskId TestServer::create_task(std::optional<UserId> assignee, std::optional<TeamId> team, bool with_steps,
                               std::string_view title) {
  boost::json::object body{{"title", title}};
  if (assignee) body["assignee_id"] = assignee->value;
  if (team) body["team_id"] = team->value;
  if (with_steps) body["instructions"] = "<ol><li>Check the oil level (litres)</li><li>Restart the pump</li></ol>";
  const Reply r = call(Who::manager, "POST", "/api/v1/tasks", boost::json::serialize(body));
  if (r.status != 201) throw std::runtime_error("creating a task failed: " + r.describe());
  return TaskId{r.json().at("id").as_int64()};
}

std::optional<Task> TestServer::task(TaskId id) {
  return store().read_value([&](storage::Tx& tx) { return tx.tasks().get(id); });
}

Equipment TestServer::any_equipment() {
  return store().read_value([](storage::Tx& tx) {
    storage::EquipmentQuery q;
    q.limit = 1;
    return tx.equipment().list(q).at(0).equipment;
  });
}

std::string tiny_png() {
  static constexpr unsigned char kPng[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
      0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
      0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
      0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
      0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

boost::json::object object_of(const Reply& r) {
  const boost::json::value v = r.json();
  return v.is_object() ? v.as_object() : boost::json::object{};
}

}  // namespace visor::apitest
