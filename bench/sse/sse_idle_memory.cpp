// Memory per idle SSE stream: opens N event streams against an in-process
// server (loopback, port 0) and reports the growth of the process's RSS and
// of the malloc heap in use, divided by N. The client side holds only socket
// descriptors, so the growth is the server's (plus the QueueStream sources).
//
//   build/bench/sse/sse_idle_memory [STREAMS (default 10000)] [THREADS (default 2)]
//
// Needs `ulimit -n` above 2 × STREAMS + 100.
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server.hpp"
#include "http/stream.hpp"
#include "util/log.hpp"
#include "util/metrics.hpp"

namespace {

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Opens `n` streams and waits until each has received its first event.
bool open_streams(std::uint16_t port, int n, std::vector<int>& fds) {
  const std::string request = "GET /events HTTP/1.1\r\nHost: bench\r\n\r\n";
  for (int i = 0; i < n; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return false;
    if (::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) return false;
    fds.push_back(fd);
  }
  char buf[4096];
  for (std::size_t i = fds.size() - static_cast<std::size_t>(n); i < fds.size(); ++i) {
    std::string got;
    while (got.find("data: hello") == std::string::npos) {
      const ssize_t k = ::recv(fds[i], buf, sizeof buf, 0);
      if (k <= 0) return false;
      got.append(buf, static_cast<std::size_t>(k));
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace visor;
  const int streams = argc > 1 ? std::atoi(argv[1]) : 10000;
  log::set_level(log::Level::warn);
  metrics::Registry registry;
  http::ServerOptions options;
  options.port = 0;
  options.threads = argc > 2 ? std::atoi(argv[2]) : 2;
  options.heartbeat = std::chrono::hours(1);  // idle means idle
  std::mutex mutex;
  std::vector<std::shared_ptr<http::QueueStream>> sources;
  sources.reserve(static_cast<std::size_t>(streams) + 200);
  http::Server server(options, [&](http::Request&) {
    auto q = std::make_shared<http::QueueStream>();
    q->push("data: hello\n\n");
    std::lock_guard lock(mutex);
    sources.push_back(q);
    return http::Response::event_stream(q);
  }, registry);
  server.start();
  std::thread runner([&] { server.run(); });

  std::vector<int> fds;
  fds.reserve(static_cast<std::size_t>(streams) + 200);
  bool ok = open_streams(server.port(), 200, fds);  // warm-up: pools, thread caches
  const long rss0 = rss_kib();
  const auto heap0 = mallinfo2().uordblks;
  ok = ok && open_streams(server.port(), streams, fds);
  const long rss1 = rss_kib();
  const auto heap1 = mallinfo2().uordblks;

  for (int fd : fds) ::close(fd);
  server.stop();
  runner.join();
  if (!ok) {
    std::fprintf(stderr, "could not open %d streams (ulimit -n?)\n", streams);
    return 1;
  }
  std::printf("%d idle streams, %d threads: RSS +%ld KiB (%.0f bytes/stream), heap in use %.0f bytes/stream\n",
              streams, options.threads, rss1 - rss0, (rss1 - rss0) * 1024.0 / streams,
              static_cast<double>(heap1 - heap0) / streams);
  return 0;
}
