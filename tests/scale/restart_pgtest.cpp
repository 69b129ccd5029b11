// Issue 11, rolling restarts: on SIGTERM an instance answers /readyz 503 at
// once and keeps serving for its shutdown delay (the load balancer takes it
// out), then stops: a request already in flight is answered, every open
// stream is told to reconnect (`retry:`) and closed, and the process exits
// 0. Needs VISOR_TEST_PG_URL.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../api/client.hpp"
#include "plant.hpp"

namespace visor::scaletest {
namespace {

using apitest::EventStream;
using apitest::request;
using apitest::within;
using namespace std::chrono_literals;

// A request sent in two parts over one connection, to be in flight when
// the server is told to stop.
class SplitRequest {
 public:
  explicit SplitRequest(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~SplitRequest() { ::close(fd_); }
  bool send(std::string_view bytes) {
    return connected_ && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == ssize_t(bytes.size());
  }
  /// Everything until the server closes the connection (or the deadline).
  std::string read_all(apitest::Deadline deadline) {
    std::string out;
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (::poll(&p, 1, int(std::max<long>(left.count(), 1))) <= 0) continue;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, std::size_t(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

TEST(RollingRestart, NotReadyThenInFlightAnsweredStreamsToldToReconnectThenExit) {
  Plant plant("visor_scale_restart_" + std::to_string(::getpid()));
  if (!plant.ready()) {
    if (std::getenv("VISOR_SKIP_PG")) GTEST_SKIP() << "VISOR_SKIP_PG is set";
    FAIL() << "VISOR_TEST_PG_URL is not set: eval \"$(scripts/lib/pg-cluster.sh start)\"";
  }
  Instance visor(plant, {"--shutdown-delay", "2"});
  ASSERT_NE(visor.port(), 0) << visor.process().errors();
  ASSERT_EQ(request(visor.port(), "GET", "/readyz").status, 200);

  EventStream stream(visor.port(), "/api/v1/events",
                     {{"Authorization", plant.manager_bearer()}, {"Accept", "text/event-stream"}});
  ASSERT_EQ(stream.status(), 200);
  ASSERT_TRUE(stream.wait_for("retry: 3000", within(5s)));
  const std::string body = R"({"text":"written across a restart"})";
  SplitRequest in_flight(visor.port());
  ASSERT_TRUE(in_flight.send("POST /api/v1/tasks/" + std::to_string(plant.tech_task()) +
                             "/notes HTTP/1.1\r\nHost: visor.test\r\nAuthorization: " + plant.manager_bearer() +
                             "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\n\r\n" + body.substr(0, 10)));

  visor.process().signal(SIGTERM);
  const auto signalled = std::chrono::steady_clock::now();
  // Not ready at once, while still serving.
  apitest::Reply ready;
  for (auto deadline = within(1s); std::chrono::steady_clock::now() < deadline;) {
    ready = request(visor.port(), "GET", "/readyz");
    if (ready.status == 503) break;
  }
  EXPECT_EQ(ready.status, 503) << ready.describe();
  EXPECT_TRUE(ready.is_problem());
  EXPECT_EQ(request(visor.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(request(visor.port(), "GET", "/api/v1/tasks?limit=1", {{"Authorization", plant.manager_bearer()}}).status,
            200);

  // After the delay the stream is told to reconnect soon, and closed.
  ASSERT_TRUE(stream.wait_closed(within(10s))) << stream.received();
  EXPECT_GE(std::chrono::steady_clock::now() - signalled, 1900ms) << "stopped before its shutdown delay";
  const std::string& got = stream.received();
  EXPECT_NE(got.rfind("retry: 500\n\n"), std::string::npos) << got;
  EXPECT_GT(got.rfind("retry: 500"), got.rfind("retry: 3000"));

  // The request that was in flight is answered, and its connection closed.
  ASSERT_TRUE(in_flight.send(body.substr(10)));
  const std::string answer = in_flight.read_all(within(10s));
  EXPECT_EQ(answer.rfind("HTTP/1.1 201", 0), 0u) << answer;
  EXPECT_NE(answer.find("written across a restart"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;

  EXPECT_EQ(visor.process().wait_exit(15s), 0) << visor.process().errors();
}

}  // namespace
}  // namespace visor::scaletest
