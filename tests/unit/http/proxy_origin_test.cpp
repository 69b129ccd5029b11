// Issue 10: which forwarded headers are believed (finding 12), what counts
// as a cross-site browser request and a body's media type (finding 4).
#include <gtest/gtest.h>

#include "http/origin.hpp"
#include "http/proxy.hpp"

namespace visor::http {
namespace {

Request from(std::string peer, Headers headers) {
  Request r;
  r.remote_addr = std::move(peer);
  r.headers = std::move(headers);
  return r;
}

TEST(TrustedProxies, RangesAndAddresses) {
  const TrustedProxies p({"10.0.0.0/8", "192.168.1.5", "fd00::/8"});
  EXPECT_TRUE(p.contains("10.1.2.3"));
  EXPECT_TRUE(p.contains("::ffff:10.1.2.3")) << "IPv4-mapped IPv6 is IPv4";
  EXPECT_TRUE(p.contains("192.168.1.5"));
  EXPECT_FALSE(p.contains("192.168.1.6"));
  EXPECT_TRUE(p.contains("fd12::1"));
  EXPECT_FALSE(p.contains("fe80::1"));
  EXPECT_FALSE(p.contains("not an address"));
  for (const char* bad : {"10.0.0.0/33", "fd00::/129", "example.com", "10.0.0.0/", "10.0.0.0/x", ""})
    EXPECT_FALSE(TrustedProxies::valid_entry(bad)) << bad;
  EXPECT_THROW(TrustedProxies({"nope"}), std::invalid_argument);
}

TEST(TrustedProxies, BelievedFromTrustedPeersOnly) {
  const TrustedProxies p({"10.0.0.0/8"});
  Request r = from("10.0.0.2", {{"X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.0.0.9"}, {"X-Forwarded-Proto", "https"}});
  p.apply(r);
  EXPECT_EQ(r.remote_addr, "203.0.113.7") << "the nearest hop that is not a trusted proxy";
  EXPECT_TRUE(r.tls);

  Request direct = from("203.0.113.50", {{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-Proto", "https"}});
  p.apply(direct);
  EXPECT_EQ(direct.remote_addr, "203.0.113.50") << "an untrusted peer's headers are ignored";
  EXPECT_FALSE(direct.tls);

  Request forged = from("10.0.0.2", {{"X-Forwarded-For", "1.2.3.4, <script>"}});
  p.apply(forged);
  EXPECT_EQ(forged.remote_addr, "10.0.0.2") << "a malformed list is not believed";

  Request http_only = from("10.0.0.2", {{"X-Forwarded-Proto", "https, http"}});
  p.apply(http_only);
  EXPECT_FALSE(http_only.tls) << "the nearest proxy saw plain http";

  Request nobody = from("10.0.0.2", {});
  TrustedProxies().apply(nobody);
  EXPECT_EQ(nobody.remote_addr, "10.0.0.2");
}

TEST(CrossSite, OriginAndFetchMetadata) {
  const auto req = [](Headers h) {
    Request r;
    r.headers = std::move(h);
    r.headers.emplace_back("Host", "visor.plant:8443");
    r.tls = true;
    return r;
  };
  const std::string public_url = "https://visor.example";
  EXPECT_FALSE(cross_site_reason(req({}), public_url)) << "not a browser";
  EXPECT_FALSE(cross_site_reason(req({{"Origin", "https://visor.example"}}), public_url));
  EXPECT_FALSE(cross_site_reason(req({{"Origin", "https://VISOR.example:443"}}), public_url));
  EXPECT_FALSE(cross_site_reason(req({{"Origin", "https://visor.plant:8443"}}), public_url)) << "its own Host";
  EXPECT_FALSE(cross_site_reason(req({{"Sec-Fetch-Site", "same-origin"}}), public_url));
  EXPECT_FALSE(cross_site_reason(req({{"Sec-Fetch-Site", "none"}}), public_url));
  EXPECT_TRUE(cross_site_reason(req({{"Origin", "http://visor.plant:8443"}}), public_url)) << "another scheme";
  EXPECT_TRUE(cross_site_reason(req({{"Origin", "https://evil.example"}}), public_url));
  EXPECT_TRUE(cross_site_reason(req({{"Origin", "null"}}), public_url));
  EXPECT_TRUE(cross_site_reason(req({{"Origin", "https://visor.example.evil.example"}}), public_url));
  EXPECT_TRUE(cross_site_reason(req({{"Sec-Fetch-Site", "same-site"}}), public_url));
  EXPECT_TRUE(cross_site_reason(req({{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://visor.example"}}), public_url));
}

TEST(MediaType, CaseAndParameters) {
  EXPECT_EQ(media_type("Application/JSON; charset=UTF-8"), "application/json");
  EXPECT_EQ(media_type(" IMAGE/PNG "), "image/png");
  EXPECT_EQ(media_type(""), "");
  EXPECT_EQ(charset("application/json; charset=UTF-8"), "utf-8");
  EXPECT_EQ(charset("application/json;charset=\"utf-8\""), "utf-8");
  EXPECT_EQ(charset("text/plain; format=flowed; charset=latin1"), "latin1");
  EXPECT_EQ(charset("application/json"), "");
}

}  // namespace
}  // namespace visor::http
