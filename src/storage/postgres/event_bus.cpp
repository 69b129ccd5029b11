#include "storage/postgres/event_bus.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::storage::postgres {
namespace {

constexpr int kBatch = 1000;

// One statement, so one implicit transaction: the counter row stays locked
// until the event is committed, and the notification goes out at commit.
constexpr std::string_view kPublish =
    "WITH n AS (UPDATE event_counter SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id), "
    "e AS (INSERT INTO events (id, type, data, users, team, planners_only, admins_only, everyone) "
    "SELECT last_id, $1::text, $2::text, $3::bigint[], $4::bigint, $5::boolean, $6::boolean, $7::boolean FROM n "
    "RETURNING id) "
    "SELECT id, pg_notify('visor_events', '') FROM e";
constexpr std::string_view kAfter =
    "SELECT id, type, data, users, team, planners_only, admins_only, everyone FROM events "
    "WHERE id > $1 ORDER BY id LIMIT $2";
constexpr std::string_view kNewest =
    "SELECT id, type, data, users, team, planners_only, admins_only, everyone FROM "
    "(SELECT * FROM events ORDER BY id DESC LIMIT $1) newest ORDER BY id";
constexpr std::string_view kPrune =
    "DELETE FROM events WHERE id <= (SELECT last_id FROM event_counter WHERE id = 1) - $1";

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size())
    throw Error(ErrorCode::internal, "A stored event is damaged.", "events: not a number: " + std::string(s));
  return v;
}

// "{1,2,3}" (PostgreSQL's text form of a BIGINT[]) and back.
std::string users_text(const std::vector<UserId>& users) {
  std::string s = "{";
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(users[i].value);
  }
  return s + "}";
}

std::vector<UserId> users_of(std::string_view s) {
  std::vector<UserId> users;
  if (s.size() < 2) return users;
  s = s.substr(1, s.size() - 2);
  while (!s.empty()) {
    const std::size_t comma = s.find(',');
    users.push_back(UserId{to_int(s.substr(0, comma))});
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return users;
}

std::vector<events::Event> events_of(const Result& r) {
  std::vector<events::Event> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    events::Event e;
    e.id = static_cast<std::uint64_t>(to_int(r.value(i, 0)));
    e.type = r.value(i, 1);
    e.data = r.value(i, 2);
    e.audience.users = users_of(r.value(i, 3));
    if (!r.is_null(i, 4)) e.audience.team = TeamId{to_int(r.value(i, 4))};
    e.audience.planners_only = r.value(i, 5) == "t";
    e.audience.admins_only = r.value(i, 6) == "t";
    e.audience.everyone = r.value(i, 7) == "t";
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

PgEventBus::PgEventBus(std::string url, const EventBusOptions& options)
    : url_(std::move(url)), options_(options), pool_(url_, 4, std::chrono::seconds(5)), fanout_(options.history) {
  {
    Pool::Lease c = pool_.acquire();
    const sql::Param limit[] = {sql::Param::integer(static_cast<std::int64_t>(options_.history))};
    fanout_.append(events_of(c->exec_params(kNewest, limit, 1)));
  }
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0)
    throw Error(ErrorCode::internal, "Cannot start the event listener.", std::string("eventfd: ") + std::strerror(errno));
  listener_ = std::thread([this] { listen(); });
}

PgEventBus::~PgEventBus() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(stop_fd_, &one, sizeof one);
  if (listener_.joinable()) listener_.join();
  ::close(stop_fd_);
}

std::uint64_t PgEventBus::publish(std::string type, std::string data, events::Audience audience) {
  std::uint64_t id = 0;
  {
    Pool::Lease c = pool_.acquire();
    const sql::Param params[] = {
        sql::Param::text(std::move(type)),
        sql::Param::text(std::move(data)),
        sql::Param::text(users_text(audience.users)),
        audience.team ? sql::Param::integer(audience.team->value) : sql::Param(),
        sql::Param::boolean(audience.planners_only),
        sql::Param::boolean(audience.admins_only),
        sql::Param::boolean(audience.everyone),
    };
    const Result r = c->exec_params(kPublish, params, std::size(params));
    id = static_cast<std::uint64_t>(to_int(r.value(0, 0)));
  }
  // Read back up to it, so that it is in this instance's history (and its
  // streams woken) when publish returns, after the events numbered before.
  refresh();
  return id;
}

std::unique_ptr<events::Subscription> PgEventBus::subscribe(const Actor& actor, std::uint64_t last_event_id,
                                                            std::function<void()> wake) {
  // A client coming from another instance may have seen events this one
  // has not read yet: read them, so that it resumes where it was.
  if (last_event_id > fanout_.last_id()) {
    try {
      refresh();
    } catch (const std::exception& e) {
      log::warn("events", "cannot read the shared events", {{"error", e.what()}});
    }
  }
  return fanout_.subscribe(actor, last_event_id, std::move(wake));
}

void PgEventBus::refresh() {
  const std::lock_guard lock(refresh_mutex_);
  Pool::Lease c = pool_.acquire();
  for (;;) {
    const std::uint64_t last = fanout_.last_id();
    const sql::Param params[] = {sql::Param::integer(static_cast<std::int64_t>(last)), sql::Param::integer(kBatch)};
    const Result r = c->exec_params(kAfter, params, 2);
    std::vector<events::Event> batch = events_of(r);
    // Ids are consecutive; a hole means the events were pruned before this
    // instance read them, so a subscriber behind it must reload.
    if (!batch.empty() && last > 0 && batch.front().id > last + 1) fanout_.skip_to(batch.front().id - 1);
    fanout_.append(std::move(batch));
    if (r.rows() < kBatch) return;
  }
}

void PgEventBus::prune() {
  Pool::Lease c = pool_.acquire();
  const sql::Param keep[] = {sql::Param::integer(static_cast<std::int64_t>(options_.history))};
  c->exec_params(kPrune, keep, 1);
}

bool PgEventBus::wait_for_stop(std::chrono::milliseconds d) {
  pollfd fd{stop_fd_, POLLIN, 0};
  return ::poll(&fd, 1, static_cast<int>(d.count())) > 0 || stopping_;
}

// The listening connection: woken by NOTIFY visor_events, or every `poll`;
// reconnects (with a growing pause) when the connection is lost, and reads
// what it missed meanwhile.
void PgEventBus::listen() {
  std::chrono::milliseconds pause{100};
  auto next_prune = std::chrono::steady_clock::now();
  while (!stopping_) {
    try {
      Connection c(url_);
      c.exec("LISTEN visor_events");
      pause = std::chrono::milliseconds(100);
      refresh();
      while (!stopping_) {
        pollfd fds[2] = {{c.socket(), POLLIN, 0}, {stop_fd_, POLLIN, 0}};
        const int n = ::poll(fds, 2, static_cast<int>(options_.poll.count()));
        if (n < 0 && errno != EINTR)
          throw Error(ErrorCode::internal, "Cannot wait for events.", std::string("poll: ") + std::strerror(errno));
        if (fds[1].revents != 0) return;
        if (fds[0].revents != 0) c.take_notifications();
        refresh();
        if (std::chrono::steady_clock::now() >= next_prune) {
          prune();
          next_prune = std::chrono::steady_clock::now() + options_.prune_every;
        }
      }
    } catch (const std::exception& e) {
      log::warn("events", "cannot listen for other instances' events; retrying", {{"error", e.what()}});
      if (wait_for_stop(pause)) return;
      pause = std::min(pause * 2, std::chrono::milliseconds(5000));
    }
  }
}

}  // namespace visor::storage::postgres

namespace visor::storage {

std::unique_ptr<events::EventBus> open_event_bus(const Store& store, const std::string& url,
                                                 const EventBusOptions& options) {
  if (store.backend() == "postgresql") return std::make_unique<postgres::PgEventBus>(url, options);
  return events::make_local_bus(options.history);
}

}  // namespace visor::storage
