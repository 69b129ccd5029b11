// A plant at work, against a running Visor: technicians polling their lists,
// reading cards, starting, stepping through, noting and completing their
// tasks; managers polling the board and the dashboard; event streams open;
// optionally a flood of sign-ins from many addresses. Reports throughput,
// p50/p99 per kind of request, the server's CPU per request, and the delay
// from a note to its event on a manager's stream.
//
//   plant_load --port P --actors FILE [--pid PID] [--duration 10] [--connections 64]
//              [--mix list=90,note=10] [--streams 200] [--flood 0] [--list-limit 20] [--tasks-cache FILE]
//
// FILE holds one actor per line: "technician <token>" or "manager <token>".
// The mix's kinds: list (GET /tasks?assignee=me, a manager's board),
// card, note, step, start, complete, kpis (a manager's dashboard), healthz.
// Each connection serves a fixed set of actors in turn, so that one actor's
// requests never overlap and its tasks move through their states in order.
//
// One thread on epoll with non-blocking sockets (POSIX only), so that the
// client's share of the two cores stays small and the figures are the
// server's.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "plant_load: %s\n", what.c_str());
  std::exit(2);
}

struct Options {
  int port = 0;
  std::string actors_file;
  int pid = 0;
  double duration = 10;
  int connections = 64;
  std::string mix = "list=100";
  int streams = 0;
  int flood = 0;
  int list_limit = 20;
  std::string tasks_cache;  // technicians' fresh tasks, read from or written to this file
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--port") o.port = std::stoi(value());
    else if (a == "--actors") o.actors_file = value();
    else if (a == "--pid") o.pid = std::stoi(value());
    else if (a == "--duration") o.duration = std::stod(value());
    else if (a == "--connections") o.connections = std::stoi(value());
    else if (a == "--mix") o.mix = value();
    else if (a == "--streams") o.streams = std::stoi(value());
    else if (a == "--flood") o.flood = std::stoi(value());
    else if (a == "--list-limit") o.list_limit = std::stoi(value());
    else if (a == "--tasks-cache") o.tasks_cache = value();
    else die("unknown option " + a);
  }
  if (o.port <= 0 || o.actors_file.empty()) die("--port and --actors are required");
  return o;
}

// ---- blocking HTTP for the setup ---------------------------------------------

int connect_to(int port, const char* source = nullptr, bool nonblocking = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) die("socket failed");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (source) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) die(std::string("bind to ") + source);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS)
    die("connect failed");
  return fd;
}

std::string get_blocking(int port, const std::string& path, const std::string& token) {
  const int fd = connect_to(port);
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + token +
                          "\r\nConnection: close\r\n\r\n";
  if (::write(fd, req.data(), req.size()) != ssize_t(req.size())) die("write failed");
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, std::size_t(n));
  ::close(fd);
  const auto body = out.find("\r\n\r\n");
  if (out.compare(0, 12, "HTTP/1.1 200") != 0 || body == std::string::npos)
    die("setup request " + path + " failed: " + out.substr(0, 200));
  return out.substr(body + 4);
}

// ---- the actors ---------------------------------------------------------------

struct Task {
  long id = 0;
  int steps_total = 0;
  int steps_done = 0;
};

struct Actor {
  bool manager = false;
  std::string auth;  // "Authorization: Bearer …\r\n"
  std::string token;
  std::vector<Task> fresh;    // not started
  std::vector<Task> running;  // started by this run
  std::size_t next_fresh = 0;
};

// "items":[{"id":12,… "steps":{"total":5,"done":0} …},…] → tasks; good
// enough for Visor's own list rows (ids and step counts are plain numbers).
std::vector<Task> parse_rows(const std::string& body) {
  std::vector<Task> out;
  std::size_t at = 0;
  while ((at = body.find("{\"id\":", at)) != std::string::npos) {
    Task t;
    t.id = std::strtol(body.c_str() + at + 6, nullptr, 10);
    const auto steps = body.find("\"steps\":{\"total\":", at);
    if (steps == std::string::npos) break;
    char* end = nullptr;
    t.steps_total = int(std::strtol(body.c_str() + steps + 17, &end, 10));
    const auto done = body.find("\"done\":", steps);
    t.steps_done = int(std::strtol(body.c_str() + done + 7, nullptr, 10));
    out.push_back(t);
    at = steps;
  }
  return out;
}

// Each technician's tasks not started yet: asked for once per actor, or
// read from the cache file (so that a profiled run measures only its mix).
std::vector<Actor> load_actors(const Options& o) {
  std::ifstream in(o.actors_file);
  if (!in) die("cannot read " + o.actors_file);
  std::map<std::string, std::vector<Task>> cached;
  if (!o.tasks_cache.empty()) {
    std::ifstream cache(o.tasks_cache);
    std::string token;
    std::size_t n = 0;
    while (cache >> token >> n) {
      auto& tasks = cached[token];
      for (std::size_t i = 0; i < n; ++i) {
        Task t;
        cache >> t.id >> t.steps_total >> t.steps_done;
        tasks.push_back(t);
      }
    }
  }
  const bool write_cache = !o.tasks_cache.empty() && cached.empty();
  std::vector<Actor> actors;
  std::string role, token;
  while (in >> role >> token) {
    Actor a;
    a.manager = role == "manager";
    a.token = token;
    a.auth = "Authorization: Bearer " + token + "\r\n";
    if (!a.manager) {
      const auto hit = cached.find(token);
      a.fresh = hit != cached.end() ? hit->second
                                    : parse_rows(get_blocking(
                                          o.port, "/api/v1/tasks?assignee=me&execution=not_started&sort=schedule&limit=500", token));
    }
    actors.push_back(std::move(a));
  }
  if (actors.empty()) die("no actors in " + o.actors_file);
  if (write_cache) {
    std::ofstream out(o.tasks_cache);
    for (const Actor& a : actors) {
      if (a.manager) continue;
      out << a.token << " " << a.fresh.size();
      for (const Task& t : a.fresh) out << " " << t.id << " " << t.steps_total << " " << t.steps_done;
      out << "\n";
    }
  }
  return actors;
}

// ---- the mix ------------------------------------------------------------------

enum Kind { kList, kCard, kNote, kStep, kStart, kComplete, kKpis, kHealthz, kSignIn, kKinds };
const char* kKindNames[] = {"list", "card", "note", "step", "start", "complete", "kpis", "healthz", "sign-in"};

std::vector<std::pair<Kind, int>> parse_mix(const std::string& text) {
  std::vector<std::pair<Kind, int>> mix;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) die("mix items are kind=weight");
    const std::string name = item.substr(0, eq);
    const int weight = std::stoi(item.substr(eq + 1));
    int k = 0;
    while (k < kSignIn && name != kKindNames[k]) ++k;
    if (k == kSignIn) die("unknown kind in the mix: " + name);
    if (weight > 0) mix.emplace_back(Kind(k), weight);
  }
  if (mix.empty()) die("empty mix");
  return mix;
}

struct Stats {
  std::vector<double> latencies[kKinds];
  std::map<int, long> statuses[kKinds];
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t i = std::min(v.size() - 1, std::size_t(p * double(v.size())));
  std::nth_element(v.begin(), v.begin() + long(i), v.end());
  return v[i];
}

// ---- connections --------------------------------------------------------------

enum class Role { api, stream, flood };

struct Conn {
  int fd = -1;
  Role role = Role::api;
  std::vector<std::size_t> actors;  // api: served in turn
  std::size_t turn = 0;
  std::size_t actor = 0;            // stream: whose stream
  int flood_index = 0;
  std::string in, out;
  Kind kind = kList;
  Clock::time_point sent;
  bool busy = false;
  bool manager_stream = false;
  std::optional<Clock::time_point> retry_at;  // flood: after a 503
  std::size_t scanned = 0;
  // What the current request does to the actor's tasks once answered.
  std::function<void(int status)> on_done;
};

class Load {
 public:
  Load(Options o, std::vector<Actor> actors)
      : o_(std::move(o)), actors_(std::move(actors)), mix_(parse_mix(o_.mix)), rng_(7) {
    for (const auto& [k, w] : mix_) total_weight_ += w;
    epoll_ = ::epoll_create1(0);
  }

  void run() {
    open_streams();
    open_api();
    const auto start = Clock::now();
    const long cpu_before = server_ticks();
    measuring_ = true;
    if (o_.flood > 0) open_flood();
    const auto end = start + std::chrono::duration<double>(o_.duration);
    while (Clock::now() < end) {
      poll_once(10);
      if (o_.flood > 0 && flood_left_ == 0 && !flood_end_) flood_end_ = Clock::now();
    }
    measuring_ = false;
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const long cpu_after = server_ticks();
    report(seconds, cpu_after - cpu_before);
  }

 private:
  // ---- setup ----
  void add(Conn* c, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = c;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev) != 0) die("epoll_ctl failed");
  }

  void open_streams() {
    // Managers first: their streams see every task event.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < actors_.size(); ++i)
      if (actors_[i].manager) order.push_back(i);
    for (std::size_t i = 0; i < actors_.size(); ++i)
      if (!actors_[i].manager) order.push_back(i);
    for (int s = 0; s < o_.streams && s < int(order.size()); ++s) {
      auto c = std::make_unique<Conn>();
      c->role = Role::stream;
      c->actor = order[std::size_t(s)];
      c->manager_stream = actors_[c->actor].manager;
      c->fd = connect_to(o_.port);
      const std::string req =
          "GET /api/v1/events HTTP/1.1\r\nHost: bench\r\n" + actors_[c->actor].auth + "Accept: text/event-stream\r\n\r\n";
      if (::write(c->fd, req.data(), req.size()) != ssize_t(req.size())) die("stream write failed");
      ::fcntl(c->fd, F_SETFL, ::fcntl(c->fd, F_GETFL) | O_NONBLOCK);
      add(c.get(), EPOLLIN);
      conns_.push_back(std::move(c));
    }
  }

  void open_api() {
    const int n = std::max(1, o_.connections);
    std::vector<Conn*> api;
    for (int i = 0; i < n; ++i) {
      auto c = std::make_unique<Conn>();
      c->role = Role::api;
      c->fd = connect_to(o_.port);
      ::fcntl(c->fd, F_SETFL, ::fcntl(c->fd, F_GETFL) | O_NONBLOCK);
      add(c.get(), EPOLLIN);
      api.push_back(c.get());
      conns_.push_back(std::move(c));
    }
    for (std::size_t a = 0; a < actors_.size(); ++a) api[a % api.size()]->actors.push_back(a);
    for (Conn* c : api) {
      if (c->actors.empty()) c->actors.push_back(std::size_t(rng_() % actors_.size()));
      send_next(*c);
    }
  }

  void open_flood() {
    for (int i = 0; i < o_.flood; ++i) {
      auto c = std::make_unique<Conn>();
      c->role = Role::flood;
      c->flood_index = i;
      conns_.push_back(std::move(c));
      flood_.push_back(conns_.back().get());
      send_sign_in(*flood_.back());
    }
    flood_left_ = o_.flood;
    flood_start_ = Clock::now();
  }

  // ---- requests ----
  Kind pick_kind(const Actor& a) {
    int r = int(rng_() % std::uint64_t(total_weight_));
    for (const auto& [k, w] : mix_) {
      if (r < w) {
        if (a.manager && (k == kNote || k == kStep || k == kStart || k == kComplete || k == kCard)) return kList;
        return k;
      }
      r -= w;
    }
    return kList;
  }

  // The task a technician works on now: one they started, else the next fresh one.
  Task* current(Actor& a) {
    if (!a.running.empty()) return &a.running.back();
    if (a.next_fresh < a.fresh.size()) return &a.fresh[a.next_fresh];
    return nullptr;
  }

  std::string post(const std::string& path, const Actor& a, const std::string& body) {
    return "POST " + path + " HTTP/1.1\r\nHost: bench\r\n" + a.auth +
           "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  std::string get(const std::string& path, const Actor& a) {
    return "GET " + path + " HTTP/1.1\r\nHost: bench\r\n" + a.auth + "\r\n";
  }

  void send_next(Conn& c) {
    const std::size_t ai = c.actors[c.turn++ % c.actors.size()];
    Actor& a = actors_[ai];
    Kind k = pick_kind(a);
    Task* task = a.manager ? nullptr : current(a);
    if (!a.manager && !task && k != kList && k != kKpis && k != kHealthz) k = kList;
    // Writes that the actor's state does not allow become the one that leads there.
    if (k == kComplete && a.running.empty()) k = kStart;
    if (k == kStart && a.next_fresh >= a.fresh.size()) k = kNote;
    if (k == kStep && task && task->steps_done >= task->steps_total) k = kNote;
    c.on_done = nullptr;
    std::string req;
    const std::string base = task ? "/api/v1/tasks/" + std::to_string(task->id) : "";
    switch (k) {
      case kList:
        req = a.manager ? get("/api/v1/tasks?sort=priority&limit=" + std::to_string(o_.list_limit), a)
                        : get("/api/v1/tasks?assignee=me&limit=" + std::to_string(o_.list_limit), a);
        break;
      case kKpis:
        req = get("/api/v1/reports/kpis?parts=now", a);
        break;
      case kHealthz:
        req = "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n";
        break;
      case kCard:
        req = get(base, a);
        break;
      case kNote: {
        const long seq = ++note_seq_;
        if (o_.streams > 0) note_sent_[seq] = Clock::now();
        req = post(base + "/notes", a, "{\"text\":\"plant-" + std::to_string(seq) + " checked the guard\"}");
        break;
      }
      case kStep: {
        const int n = task->steps_done + 1;
        req = post(base + "/steps/" + std::to_string(n), a, "{\"done\":true}");
        c.on_done = [&a, id = task->id](int status) {
          if (status != 200) return;
          for (Task& t : a.running) t.steps_done += t.id == id;
          if (a.next_fresh < a.fresh.size() && a.fresh[a.next_fresh].id == id) ++a.fresh[a.next_fresh].steps_done;
        };
        break;
      }
      case kStart: {
        Task& next = a.fresh[a.next_fresh];
        req = post("/api/v1/tasks/" + std::to_string(next.id) + "/start", a, "{}");
        c.on_done = [&a](int) {
          // Started or refused (already started elsewhere): either way not fresh any more.
          a.running.push_back(a.fresh[a.next_fresh++]);
        };
        break;
      }
      case kComplete: {
        const long id = a.running.front().id;
        req = post("/api/v1/tasks/" + std::to_string(id) + "/complete", a, "{}");
        c.on_done = [&a](int) { a.running.erase(a.running.begin()); };
        break;
      }
      default:
        break;
    }
    c.kind = k;
    write_request(c, std::move(req));
  }

  void send_sign_in(Conn& c) {
    char source[32];
    std::snprintf(source, sizeof source, "127.0.%d.%d", 1 + c.flood_index / 250, 2 + c.flood_index % 250);
    c.fd = connect_to(o_.port, source, true);
    c.in.clear();
    c.kind = kSignIn;
    add(&c, EPOLLIN | EPOLLOUT);
    const std::string body =
        "{\"login\":\"flood-" + std::to_string(c.flood_index) + "\",\"password\":\"not the password\"}";
    c.out = "POST /api/v1/session HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    c.sent = Clock::now();
    c.busy = true;
  }

  void write_request(Conn& c, std::string req) {
    c.sent = Clock::now();
    c.busy = true;
    const ssize_t n = ::write(c.fd, req.data(), req.size());
    if (n == ssize_t(req.size())) return;
    c.out = req.substr(n > 0 ? std::size_t(n) : 0);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = &c;
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  void flush_out(Conn& c) {
    while (!c.out.empty()) {
      const ssize_t n = ::write(c.fd, c.out.data(), c.out.size());
      if (n <= 0) return;
      c.out.erase(0, std::size_t(n));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &c;
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  // ---- responses ----
  void record(Kind k, int status, double ms) {
    if (!measuring_) return;
    stats_.latencies[k].push_back(ms);
    ++stats_.statuses[k][status];
  }

  // One complete response at the front of c.in, if there is one: status and length consumed.
  static std::optional<std::pair<int, std::size_t>> response(const std::string& in) {
    const auto head_end = in.find("\r\n\r\n");
    if (head_end == std::string::npos) return std::nullopt;
    const int status = std::atoi(in.c_str() + 9);
    std::size_t length = 0;
    for (std::size_t at = in.find("\r\n"); at < head_end; at = in.find("\r\n", at + 2)) {
      if (strncasecmp(in.c_str() + at + 2, "Content-Length:", 15) == 0)
        length = std::strtoul(in.c_str() + at + 17, nullptr, 10);
    }
    if (in.size() < head_end + 4 + length) return std::nullopt;
    return std::pair{status, head_end + 4 + length};
  }

  void on_api(Conn& c) {
    while (true) {
      const auto r = response(c.in);
      if (!r) return;
      record(c.kind, r->first, ms_since(c.sent));
      if (c.on_done) c.on_done(r->first);
      c.in.erase(0, r->second);
      c.busy = false;
      send_next(c);
    }
  }

  void on_flood(Conn& c, bool eof) {
    auto r = response(c.in);
    if (!r && eof) r = std::pair{0, c.in.size()};  // closed without an answer
    if (!r) return;
    record(kSignIn, r->first, ms_since(c.sent));
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.fd = -1;
    c.busy = false;
    if (r->first == 503) {
      int wait = 1;
      const auto at = c.in.find("Retry-After: ");
      if (at != std::string::npos) wait = std::max(1, std::atoi(c.in.c_str() + at + 13));
      c.retry_at = Clock::now() + std::chrono::seconds(wait);
      return;
    }
    --flood_left_;
  }

  // Notes carry "plant-<seq>": the first time a manager's stream shows one,
  // its delay since the write was sent is recorded.
  void on_stream(Conn& c) {
    if (c.manager_stream) {
      static const std::string marker = "\"note\":\"plant-";
      std::size_t at = c.scanned > marker.size() ? c.scanned - marker.size() : 0;
      while ((at = c.in.find(marker, at)) != std::string::npos) {
        const long seq = std::strtol(c.in.c_str() + at + marker.size(), nullptr, 10);
        const auto sent = note_sent_.find(seq);
        if (sent != note_sent_.end()) {
          if (measuring_) event_delays_.push_back(ms_since(sent->second));
          note_sent_.erase(sent);
        }
        at += marker.size();
      }
    }
    ++stream_reads_;
    // Keep only a tail long enough to hold a marker cut in two.
    if (c.in.size() > 4096) c.in.erase(0, c.in.size() - 256);
    c.scanned = c.in.size();
  }

  void poll_once(int timeout_ms) {
    epoll_event events[256];
    const int n = ::epoll_wait(epoll_, events, 256, timeout_ms);
    for (int i = 0; i < n; ++i) {
      Conn& c = *static_cast<Conn*>(events[i].data.ptr);
      if (c.fd < 0) continue;
      if (events[i].events & EPOLLOUT) flush_out(c);
      if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      char buf[65536];
      bool eof = false;
      while (true) {
        const ssize_t got = ::read(c.fd, buf, sizeof buf);
        if (got > 0) {
          c.in.append(buf, std::size_t(got));
          continue;
        }
        if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
          eof = true;
          if (c.role == Role::flood) break;
          ++closed_;
          ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
          ::close(c.fd);
          c.fd = -1;
        }
        break;
      }
      if (c.role == Role::api && c.fd >= 0) on_api(c);
      else if (c.role == Role::stream) on_stream(c);
      else if (c.role == Role::flood && c.fd >= 0) on_flood(c, eof);
    }
    const auto now = Clock::now();
    for (Conn* f : flood_) {
      if (f->retry_at && *f->retry_at <= now) {
        f->retry_at.reset();
        send_sign_in(*f);
      }
    }
  }

  long server_ticks() const {
    if (o_.pid <= 0) return 0;
    std::ifstream in("/proc/" + std::to_string(o_.pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto close = text.rfind(')');
    std::stringstream ss(text.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; ss >> field; ++i) {
      if (i == 14) utime = std::stol(field);
      if (i == 15) {
        stime = std::stol(field);
        break;
      }
    }
    return utime + stime;
  }

  void report(double seconds, long ticks) {
    long total = 0;
    std::printf("%-9s %9s %9s %9s %9s  %s\n", "kind", "count", "req/s", "p50 ms", "p99 ms", "statuses");
    for (int k = 0; k < kKinds; ++k) {
      auto& v = stats_.latencies[k];
      if (v.empty()) continue;
      total += long(v.size());
      std::string statuses;
      for (const auto& [status, count] : stats_.statuses[k])
        statuses += std::to_string(status) + ":" + std::to_string(count) + " ";
      const double p50 = percentile(v, 0.50), p99 = percentile(v, 0.99);
      std::printf("%-9s %9zu %9.0f %9.2f %9.2f  %s\n", kKindNames[k], v.size(), double(v.size()) / seconds, p50, p99,
                  statuses.c_str());
    }
    std::vector<double> all;
    for (int k = 0; k < kKinds; ++k) all.insert(all.end(), stats_.latencies[k].begin(), stats_.latencies[k].end());
    const double p50 = percentile(all, 0.50), p99 = percentile(all, 0.99);
    std::printf("%-9s %9ld %9.0f %9.2f %9.2f\n", "all", total, double(total) / seconds, p50, p99);
    if (o_.pid > 0 && total > 0) {
      const double cpu_us = 1e6 * double(ticks) / double(sysconf(_SC_CLK_TCK)) / double(total);
      std::printf("server CPU: %.1f µs per request (%.2f s over %.1f s)\n", cpu_us,
                  double(ticks) / double(sysconf(_SC_CLK_TCK)), seconds);
    }
    if (!event_delays_.empty()) {
      const double d50 = percentile(event_delays_, 0.50), d99 = percentile(event_delays_, 0.99);
      const double dmax = *std::max_element(event_delays_.begin(), event_delays_.end());
      std::printf("note → event on a manager's stream: %zu events, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                  event_delays_.size(), d50, d99, dmax);
    }
    if (o_.streams > 0) {
      int open = 0;
      for (const auto& c : conns_) open += c->role == Role::stream && c->fd >= 0;
      std::printf("streams: %d of %d open at the end, %ld reads\n", open, o_.streams, stream_reads_);
    }
    if (o_.flood > 0) {
      if (flood_end_) {
        std::printf("sign-in flood: %d addresses, every one answered (not 503) after %.1f s\n", o_.flood,
                    std::chrono::duration<double>(*flood_end_ - flood_start_).count());
      } else {
        std::printf("sign-in flood: %d addresses, %d answered (not 503) within the run, the rest still retrying\n",
                    o_.flood, o_.flood - flood_left_);
      }
    }
    if (closed_ > 0) std::printf("connections closed by the server: %ld\n", closed_);
  }

  Options o_;
  std::vector<Actor> actors_;
  std::vector<std::pair<Kind, int>> mix_;
  int total_weight_ = 0;
  std::mt19937_64 rng_;
  int epoll_ = -1;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<Conn*> flood_;
  int flood_left_ = 0;
  Clock::time_point flood_start_;
  std::optional<Clock::time_point> flood_end_;
  Stats stats_;
  bool measuring_ = false;
  long note_seq_ = 0;
  std::unordered_map<long, Clock::time_point> note_sent_;
  std::vector<double> event_delays_;
  long stream_reads_ = 0;
  long closed_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  std::vector<Actor> actors = load_actors(options);
  Load load(options, std::move(actors));
  load.run();
  return 0;
}
