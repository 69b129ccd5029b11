#include "writes.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <stdexcept>

#include "../api/client.hpp"
#include "app/demo_data.hpp"
#include "auth/acting.hpp"
#include "auth/pairing.hpp"
#include "storage/store.hpp"
#include "util/log.hpp"

namespace visor::opstest {

WritingVisor::WritingVisor(const std::string& db_url, const fs::path& data_dir) {
  log::set_level(log::Level::error);
  app::Config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 2;
  config.data_dir = data_dir;
  config.db_url = db_url;
  config.public_url = "http://visor.test";
  config.web_root = VISOR_SOURCE_DIR "/web";
  app_ = std::make_unique<app::Application>(config, clock_);
  app::load_demo_data(app_->store(), clock_, app::DemoSize{.equipment = 4, .tasks = 10},
                      auth::PasswordCost::minimum());
  const auto manager = app_->store().read_value([](storage::Tx& tx) { return tx.users().get_by_login("manager"); });
  if (!manager) throw std::runtime_error("the demo plant has no manager");
  auth::PairingService pairing(app_->store(), clock_);
  token_ = std::string(pairing.create_token(auth::Acting::system(), manager->id, "writer", "phone").token.reveal());
  app_->start();
  runner_ = std::thread([this] { app_->run_until_signal(); });
  writer_ = std::thread([this] { write_loop(); });
}

WritingVisor::~WritingVisor() {
  stop_writing();
  app_->stop();
  if (runner_.joinable()) runner_.join();
}

void WritingVisor::write_loop() {
  const apitest::Headers headers{{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}};
  for (int n = 0; writing_.load(); ++n) {
    const apitest::Reply r = apitest::request(app_->port(), "POST", "/api/v1/tasks", headers,
                                              R"({"title":"Write )" + std::to_string(n) + R"("})");
    if (r.status != 201) {
      ++failures_;
      continue;
    }
    const std::int64_t id = boost::json::parse(r.body).at("id").as_int64();
    std::lock_guard lock(mutex_);
    acked_.push_back(id);
  }
}

std::vector<std::int64_t> WritingVisor::acknowledged() {
  std::lock_guard lock(mutex_);
  return acked_;
}

bool WritingVisor::wait_for(std::size_t n, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (acknowledged().size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::vector<std::int64_t> WritingVisor::stop_writing() {
  writing_ = false;
  if (writer_.joinable()) writer_.join();
  return acknowledged();
}

std::vector<std::int64_t> task_ids(const std::string& db_url) {
  auto store = storage::open_store(db_url);
  std::vector<std::int64_t> ids;
  store->read([&](storage::Tx& tx) {
    storage::TaskQuery q;
    q.include_done = true;
    q.include_archived = true;
    q.limit = 500;
    while (true) {
      const storage::TaskPage page = tx.tasks().list(q);
      for (const auto& row : page.rows) ids.push_back(row.task.id.value);
      if (page.next_cursor.empty()) break;
      q.cursor = page.next_cursor;
    }
  });
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace visor::opstest
