// The libcurl client against a loopback server: headers both ways,
// keep-alive, and every way a connection can fail.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/http_client.hpp"
#include "tiny_server.hpp"

namespace visor::odoo {
namespace {

using Kind = OdooError::Kind;
using testing::TinyServer;
using namespace std::chrono_literals;

HttpClientOptions fast(std::chrono::milliseconds timeout = 2000ms) {
  return HttpClientOptions{.connect_timeout = 1000ms, .timeout = timeout};
}

HttpRequest post(const std::string& url, std::string body = "{}") {
  return HttpRequest{.url = url, .content_type = "application/json", .body = std::move(body)};
}

OdooError send_error(HttpClient& client, const HttpRequest& r) {
  try {
    client.send(r);
  } catch (const OdooError& e) {
    return e;
  }
  ADD_FAILURE() << "send succeeded";
  return OdooError(Kind::protocol, "none");
}

TEST(CurlHttpClient, SendsHeadersAndBodyAndReadsTheAnswer) {
  std::string seen_head, seen_body;
  TinyServer server([&](const std::string& head, const std::string& body) {
    seen_head = head;
    seen_body = body;
    return TinyServer::respond(401, "application/json; charset=utf-8", R"({"name":"x"})",
                               "WWW-Authenticate: Bearer \r\n");
  });
  auto client = make_curl_http_client(fast());
  auto request = post(server.url() + "/json/2/maintenance.request/search_read", R"({"limit":1})");
  request.bearer = Secret("KEY-123");
  request.headers.emplace_back("X-Odoo-Database", "acme");
  const auto r = client->send(request);

  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.www_authenticate, "Bearer");
  EXPECT_EQ(r.body, R"({"name":"x"})");
  EXPECT_TRUE(seen_head.starts_with("POST /json/2/maintenance.request/search_read HTTP/1.1\r\n"));
  EXPECT_NE(seen_head.find("\r\nAuthorization: bearer KEY-123"), std::string::npos);
  EXPECT_NE(seen_head.find("\r\nX-Odoo-Database: acme"), std::string::npos);
  EXPECT_NE(seen_head.find("\r\nContent-Type: application/json"), std::string::npos);
  EXPECT_EQ(seen_head.find("Expect:"), std::string::npos);
  EXPECT_EQ(seen_body, R"({"limit":1})");
}

TEST(CurlHttpClient, GetAndRedirectsAreNotFollowed) {
  std::string seen_head;
  TinyServer server([&](const std::string& head, const std::string&) {
    seen_head = head;
    return TinyServer::respond(303, "", "", "Location: https://odoo.example/web/login\r\n");
  });
  auto client = make_curl_http_client(fast());
  const auto r = client->send(HttpRequest{.method = "GET", .url = server.url() + "/web/version"});
  EXPECT_TRUE(seen_head.starts_with("GET /web/version HTTP/1.1"));
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.location, "https://odoo.example/web/login");
}

TEST(CurlHttpClient, KeepsTheConnectionAlive) {
  TinyServer server([](const std::string&, const std::string&) { return TinyServer::respond(200, "text/xml", "ok"); });
  auto client = make_curl_http_client(fast());
  auto request = post(server.url());
  request.replay_safe = true;
  const auto start = std::chrono::steady_clock::now();
  constexpr int kCalls = 200;
  for (int i = 0; i < kCalls; ++i) ASSERT_EQ(client->send(request).status, 200);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(server.connections(), 1);
  RecordProperty("loopback_call_us", static_cast<int>(us.count() / kCalls));
}

TEST(CurlHttpClient, ConcurrentCallsUseSeveralConnections) {
  TinyServer server([](const std::string&, const std::string& body) { return TinyServer::respond(200, "text/plain", body); });
  auto client = make_curl_http_client(fast());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const auto body = std::to_string(t * 100 + i);
        auto request = post(server.url(), body);
        request.replay_safe = true;
        if (client->send(request).body == body) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_LE(server.connections(), 4);
}

TEST(CurlHttpClient, ServerDownIsTransportAtOnce) {
  auto client = make_curl_http_client(fast());
  const auto start = std::chrono::steady_clock::now();
  const auto e = send_error(*client, post("http://127.0.0.1:" + std::to_string(testing::unused_port()) + "/"));
  EXPECT_EQ(e.kind(), Kind::transport);
  EXPECT_TRUE(e.retryable());
  EXPECT_NE(std::string(e.what()).find("connection failed"), std::string::npos) << e.what();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST(CurlHttpClient, SilentServerIsTransportWithinTheTimeout) {
  TinyServer server([](const std::string&, const std::string&) { return TinyServer::Reply{TinyServer::Action::hang}; });
  auto client = make_curl_http_client(fast(300ms));
  const auto start = std::chrono::steady_clock::now();
  const auto e = send_error(*client, post(server.url()));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.kind(), Kind::transport);
  EXPECT_NE(std::string(e.what()).find("timeout"), std::string::npos) << e.what();
  EXPECT_GE(elapsed, 280ms);
  EXPECT_LT(elapsed, 1500ms);
}

TEST(CurlHttpClient, DroppedConnectionIsTransport) {
  TinyServer server([](const std::string&, const std::string&) { return TinyServer::Reply{TinyServer::Action::close}; });
  auto client = make_curl_http_client(fast());
  const auto e = send_error(*client, post(server.url()));
  EXPECT_EQ(e.kind(), Kind::transport);
  EXPECT_NE(std::string(e.what()).find("connection dropped"), std::string::npos) << e.what();
}

// libcurl re-sends a request whose kept-alive connection died before any
// answer byte. Only replay-safe requests may reuse connections, so a
// non-replay-safe request is never sent twice.
TEST(CurlHttpClient, OnlyReplaySafeRequestsReuseConnections) {
  std::atomic<int> requests{0};
  std::atomic<bool> drop_next{false};
  TinyServer server([&](const std::string&, const std::string&) {
    ++requests;
    if (drop_next.exchange(false)) return TinyServer::Reply{TinyServer::Action::close};
    return TinyServer::respond(200, "text/plain", "ok");
  });
  auto client = make_curl_http_client(fast());
  auto safe = post(server.url());
  safe.replay_safe = true;

  ASSERT_EQ(client->send(safe).status, 200);
  drop_next = true;
  EXPECT_EQ(send_error(*client, post(server.url())).kind(), Kind::transport);  // fresh connection, no re-send
  EXPECT_EQ(requests.load(), 2);

  ASSERT_EQ(client->send(safe).status, 200);
  drop_next = true;
  EXPECT_EQ(client->send(safe).status, 200);  // dropped, re-sent by libcurl on a new connection
  EXPECT_EQ(requests.load(), 5);
}

TEST(CurlHttpClient, TruncatedBodyIsTransport) {
  TinyServer server([](const std::string&, const std::string&) {
    return TinyServer::Reply{TinyServer::Action::respond_then_close,
                             "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n<methodResponse>"};
  });
  auto client = make_curl_http_client(fast());
  EXPECT_EQ(send_error(*client, post(server.url())).kind(), Kind::transport);
}

TEST(CurlHttpClient, OversizedBodyIsProtocol) {
  TinyServer server([](const std::string&, const std::string&) {
    return TinyServer::Reply{TinyServer::Action::respond,
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n" + std::string(4096, 'a') +
                                 "\r\n0\r\n\r\n"};
  });
  auto options = fast();
  options.max_response_bytes = 1024;
  auto client = make_curl_http_client(options);
  const auto e = send_error(*client, post(server.url()));
  EXPECT_EQ(e.kind(), Kind::protocol);
  EXPECT_NE(std::string(e.what()).find("exceeds the limit of 1024 bytes"), std::string::npos) << e.what();

  TinyServer sized([](const std::string&, const std::string&) { return TinyServer::respond(200, "text/xml", std::string(4096, 'a')); });
  EXPECT_EQ(send_error(*client, post(sized.url())).kind(), Kind::protocol);
}

TEST(CurlHttpClient, OnlyHttpAndHttps) {
  auto client = make_curl_http_client(fast());
  const auto e = send_error(*client, post("file:///etc/passwd"));
  EXPECT_EQ(e.kind(), Kind::transport);
  EXPECT_FALSE(e.retryable());
}

}  // namespace
}  // namespace visor::odoo
