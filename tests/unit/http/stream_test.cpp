// Server-sent event streams over a real socket: chunks pushed from another
// thread, heartbeats, the end of a stream from either side, and stop().
#include <gtest/gtest.h>

#include "client.hpp"
#include "fixture.hpp"
#include "http/stream.hpp"

namespace visor::http {
namespace {
using namespace std::chrono_literals;
using test::Conn;
using test::request_text;

class StreamTest : public ::testing::Test {
 protected:
  void start(std::chrono::milliseconds heartbeat = 10s) {
    auto o = test::test_options();
    o.heartbeat = heartbeat;
    server = std::make_unique<test::TestServer>(o, [this](Request& req) {
      if (req.path != "/events") return Response::text(200, "plain");
      auto q = std::make_shared<QueueStream>();
      {
        std::lock_guard lock(mutex);
        streams.push_back(q);
      }
      q->push(sse_event("1", "hello", "{}"));
      return Response::event_stream(q);
    });
  }
  std::shared_ptr<QueueStream> stream_at(std::size_t i) {
    std::lock_guard lock(mutex);
    return i < streams.size() ? streams[i] : nullptr;
  }
  bool gauge(std::string_view line) {
    return server->registry.render().find(std::string(line) + "\n") != std::string::npos;
  }

  std::unique_ptr<test::TestServer> server;
  std::mutex mutex;
  std::vector<std::shared_ptr<QueueStream>> streams;
};

TEST_F(StreamTest, DeliversChunksPushedFromAnotherThread) {
  start();
  Conn c(server->port());
  ASSERT_TRUE(c.send(request_text("GET", "/events")));
  const auto head = c.read_until("\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_NE(head->find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(head->find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(head->find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_EQ(head->find("Content-Length"), std::string::npos);
  ASSERT_TRUE(c.read_until("id: 1\nevent: hello\ndata: {}\n\n"));

  auto q = stream_at(0);
  ASSERT_TRUE(q);
  EXPECT_TRUE(test::eventually([&] { return gauge("visor_sse_open_streams 1"); }));
  std::thread producer([q] {
    for (int i = 0; i < 50; ++i) q->push(sse_event(std::to_string(i + 2), "tick", std::to_string(i)));
  });
  producer.join();
  const auto all = c.read_until("id: 51\nevent: tick\ndata: 49\n\n");
  ASSERT_TRUE(all);
  // In order, none lost.
  std::size_t pos = 0;
  for (int i = 0; i < 50; ++i) {
    pos = all->find("data: " + std::to_string(i) + "\n", pos);
    ASSERT_NE(pos, std::string::npos) << i;
  }
}

TEST_F(StreamTest, SendsHeartbeatsWhenQuiet) {
  start(100ms);
  Conn c(server->port());
  ASSERT_TRUE(c.send(request_text("GET", "/events")));
  const auto t0 = std::chrono::steady_clock::now();
  const auto got = c.read_until(": hb\n\n: hb\n\n", test::in(5s));
  ASSERT_TRUE(got);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
}

TEST_F(StreamTest, ClientLeavingClosesTheSource) {
  start();
  auto c = std::make_unique<Conn>(server->port());
  ASSERT_TRUE(c->send(request_text("GET", "/events")));
  ASSERT_TRUE(c->read_until("event: hello"));
  auto q = stream_at(0);
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->closed());
  c.reset();  // the client disconnects while the stream is quiet
  EXPECT_TRUE(test::eventually([&] { return q->closed(); }));
  EXPECT_TRUE(test::eventually([&] { return gauge("visor_sse_open_streams 0"); }));
  EXPECT_TRUE(test::eventually([&] { return gauge("visor_http_open_connections 0"); }));
}

TEST_F(StreamTest, FinishedSourceEndsTheResponse) {
  start();
  Conn c(server->port());
  ASSERT_TRUE(c.send(request_text("GET", "/events")));
  ASSERT_TRUE(c.read_until("event: hello"));
  auto q = stream_at(0);
  q->push("data: last\n\n");
  q->finish();
  EXPECT_TRUE(c.wait_closed());
  EXPECT_NE(c.pending().find("data: last\n\n"), std::string::npos);
  EXPECT_TRUE(q->closed());  // on_close is called whenever a stream ends
}

TEST_F(StreamTest, StopEndsOpenStreams) {
  start();
  std::vector<std::unique_ptr<Conn>> clients;
  for (int i = 0; i < 20; ++i) {
    clients.push_back(std::make_unique<Conn>(server->port()));
    ASSERT_TRUE(clients.back()->send(request_text("GET", "/events")));
    ASSERT_TRUE(clients.back()->read_until("event: hello"));
  }
  EXPECT_TRUE(test::eventually([&] { return gauge("visor_sse_open_streams 20"); }));
  server->server.stop();
  for (auto& c : clients) EXPECT_TRUE(c->wait_closed());
  EXPECT_TRUE(server->join_within(5s));
  for (std::size_t i = 0; i < 20; ++i) EXPECT_TRUE(stream_at(i)->closed());
}

TEST_F(StreamTest, HeadOnAStreamRouteDoesNotStream) {
  start();
  Conn c(server->port());
  ASSERT_TRUE(c.send(request_text("HEAD", "/events") + request_text("GET", "/plain")));
  const auto head = c.read_reply(test::soon(), true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  const auto next = c.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "plain");
  EXPECT_TRUE(stream_at(0)->closed());
}

}  // namespace
}  // namespace visor::http
