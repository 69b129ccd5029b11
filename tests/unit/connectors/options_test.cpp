#include <gtest/gtest.h>

#include "connectors/odoo/options.hpp"
#include "util/error.hpp"

namespace visor::odoo {
namespace {

ConnectionOptions valid() {
  ConnectionOptions o;
  o.url = "https://acme.odoo.com";
  o.secret = Secret("key");
  return o;
}

bool mentions(const std::vector<std::string>& problems, std::string_view fragment) {
  for (const auto& p : problems) {
    if (p.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(ConnectionOptions, ValidOnes) {
  EXPECT_TRUE(valid().problems().empty());
  auto o = valid();
  o.url = "http://127.0.0.1:8069/odoo/";
  o.proxy = "socks5h://proxy.example:1080";
  EXPECT_TRUE(o.problems().empty());
  EXPECT_EQ(o.base_url(), "http://127.0.0.1:8069/odoo");
  EXPECT_NO_THROW(o.validate());
}

TEST(ConnectionOptions, UrlProblems) {
  auto o = valid();
  o.url = "";
  EXPECT_TRUE(mentions(o.problems(), "URL is missing"));
  o.url = "acme.odoo.com";
  EXPECT_TRUE(mentions(o.problems(), "not a valid absolute URL"));
  o.url = "ftp://acme.odoo.com";
  EXPECT_TRUE(mentions(o.problems(), "http:// or https://"));
  o.url = "https://admin:pw@acme.odoo.com";
  EXPECT_TRUE(mentions(o.problems(), "must not contain a user name"));
  o.url = "https://acme.odoo.com/?db=x";
  EXPECT_TRUE(mentions(o.problems(), "query"));
}

TEST(ConnectionOptions, OtherProblems) {
  auto o = valid();
  o.secret = Secret();
  o.protocol = Protocol::xmlrpc;
  o.timeout = std::chrono::milliseconds(0);
  o.ca_file = "/nonexistent/ca.pem";
  o.proxy = "proxy.example";
  const auto p = o.problems();
  EXPECT_TRUE(mentions(p, "API key is missing"));
  EXPECT_TRUE(mentions(p, "database name"));
  EXPECT_TRUE(mentions(p, "login"));
  EXPECT_TRUE(mentions(p, "call timeout"));
  EXPECT_TRUE(mentions(p, "CA file"));
  EXPECT_TRUE(mentions(p, "proxy"));
  try {
    o.validate();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    EXPECT_NE(std::string(e.what()).find("API key is missing"), std::string::npos);
  }
}

TEST(ConnectionOptions, ProtocolNames) {
  EXPECT_EQ(parse_protocol("auto"), Protocol::auto_detect);
  EXPECT_EQ(parse_protocol("json2"), Protocol::json2);
  EXPECT_EQ(parse_protocol("xmlrpc"), Protocol::xmlrpc);
  EXPECT_EQ(parse_protocol("XML-RPC"), std::nullopt);
  EXPECT_EQ(to_string(Protocol::auto_detect), "auto");
}

}  // namespace
}  // namespace visor::odoo
