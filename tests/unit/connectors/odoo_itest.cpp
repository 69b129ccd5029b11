// The transport against the stand-in Odoo (tests/odoo_double): the same
// calls over JSON-2 (Odoo 19) and XML-RPC (Odoo 19 and 17), and the
// failures an operator will meet — expired key, missing rights, a server
// that is down, slow or drops the connection.
#include <chrono>
#include <regex>

#include <gtest/gtest.h>

#include "json_helpers.hpp"

#include "connectors/odoo/transport.hpp"
#include "odoo_double.hpp"

namespace visor::odoo {
namespace {

using namespace std::chrono_literals;
using Kind = OdooError::Kind;
using testing::OdooDouble;

// One double per Odoo version for the whole run; reset before every test.
class Doubles : public ::testing::Environment {
 public:
  void SetUp() override {
    v19 = std::make_unique<OdooDouble>(OdooDouble::Options{.version = 19});
    v17 = std::make_unique<OdooDouble>(OdooDouble::Options{.version = 17});
  }
  void TearDown() override {
    v19.reset();
    v17.reset();
  }
  static inline std::unique_ptr<OdooDouble> v19, v17;
};

OdooDouble& double_for(int version) { return version == 19 ? *Doubles::v19 : *Doubles::v17; }

ConnectionOptions options_for(const OdooDouble& d, Protocol protocol) {
  ConnectionOptions o;
  o.url = d.url();
  o.database = "odoo";
  o.login = "admin";
  o.secret = Secret(d.options().api_key);
  o.protocol = protocol;
  o.connect_timeout = 1000ms;
  o.timeout = 5000ms;
  return o;
}

template <class F>
OdooError odoo_error(F&& f) {
  try {
    f();
  } catch (const OdooError& e) {
    return e;
  }
  ADD_FAILURE() << "no OdooError";
  return OdooError(Kind::protocol, "none");
}

bool is_odoo_datetime(const Value& v) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})");
  return v.is_string() && std::regex_match(std::string(v.get_string()), re);
}

struct Setup {
  int version;
  Protocol protocol;
};

std::string setup_name(const ::testing::TestParamInfo<Setup>& info) {
  return "odoo" + std::to_string(info.param.version) + "_" + std::string(to_string(info.param.protocol));
}

class OdooCalls : public ::testing::TestWithParam<Setup> {
 protected:
  void SetUp() override {
    odoo().control("reset");
    transport = make_transport(options_for(odoo(), GetParam().protocol));
    ASSERT_EQ(transport->protocol(), GetParam().protocol);
  }
  OdooDouble& odoo() { return double_for(GetParam().version); }
  Value count(const Array& domain = {}) {
    return transport->call("maintenance.request", "search_count", Object{{"domain", domain}});
  }

  std::unique_ptr<OdooTransport> transport;
};

TEST_P(OdooCalls, SearchReadGivesOdooShapes) {
  const auto rows = transport->call(
      "maintenance.request", "search_read",
      Object{{"domain", Array{}}, {"fields", Array{"name", "stage_id", "schedule_date", "write_date"}},
             {"limit", 5}, {"order", "id asc"}});
  ASSERT_FALSE(rows.as_array().empty());
  ASSERT_LE(rows.as_array().size(), 5u);
  for (const auto& row : rows.as_array()) {
    const auto& r = row.as_object();
    EXPECT_TRUE(r.at("id").is_int64());
    const auto& stage = r.at("stage_id").as_array();  // many2one: [id, "name"]
    ASSERT_EQ(stage.size(), 2u);
    EXPECT_TRUE(stage[0].is_int64());
    EXPECT_TRUE(stage[1].is_string());
    EXPECT_TRUE(is_odoo_datetime(r.at("write_date")));
    EXPECT_TRUE(r.at("schedule_date") == false || is_odoo_datetime(r.at("schedule_date")));
  }
}

TEST_P(OdooCalls, CreateWritePostUnlink) {
  const auto created = transport->call(
      "maintenance.request", "create",
      Object{{"vals_list", Array{Object{{"name", "Visor itest: oil leak"}, {"maintenance_type", "corrective"}}}}});
  ASSERT_TRUE(created.is_array() && created.as_array().size() == 1) << created;
  const auto id = created.as_array()[0].as_int64();

  EXPECT_EQ(transport->call("maintenance.request", "write",
                            Object{{"ids", Array{id}}, {"vals", Object{{"schedule_date", "2026-12-01 08:00:00"},
                                                                        {"priority", "2"}}}}),
            true);
  const auto read = transport->call("maintenance.request", "read",
                                    Object{{"ids", Array{id}}, {"fields", Array{"name", "schedule_date", "priority"}}});
  EXPECT_EQ(read.as_array()[0].as_object().at("schedule_date"), "2026-12-01 08:00:00");
  EXPECT_EQ(read.as_array()[0].as_object().at("name"), "Visor itest: oil leak");

  const auto message = transport->call(
      "maintenance.request", "message_post",
      Object{{"ids", Array{id}}, {"body", "<p>Step 2 done: 1.2 l</p>"}, {"body_is_html", true},
             {"message_type", "comment"}, {"subtype_xmlid", "mail.mt_note"}});
  // Odoo 19 returns the message recordset ([id]), 17 the id.
  EXPECT_TRUE(message.is_int64() || (message.is_array() && message.as_array().size() == 1)) << message;

  EXPECT_EQ(count(testing::list_of(Array{"id", "=", id})), 1);
  EXPECT_EQ(transport->call("maintenance.request", "unlink", Object{{"ids", Array{id}}}), true);
  EXPECT_EQ(count(testing::list_of(Array{"id", "=", id})), 0);

  const auto gone = odoo_error([&] {
    transport->call("maintenance.request", "write", Object{{"ids", Array{id}}, {"vals", Object{{"priority", "1"}}}});
  });
  EXPECT_EQ(gone.kind(), Kind::missing) << gone.what();
}

TEST_P(OdooCalls, MethodReturningNoneIsSuccess) {
  const auto id = transport->call("maintenance.request", "search", Object{{"domain", Array{}}, {"limit", 1}})
                      .as_array()[0]
                      .as_int64();
  EXPECT_TRUE(transport->call("maintenance.request", "archive_equipment_request", Object{{"ids", Array{id}}}).is_null());
  const auto state = odoo().control_get("state", "model=maintenance.request&id=" + std::to_string(id));
  EXPECT_EQ(state.at("records").as_array()[0].at("archive"), true);
}

TEST_P(OdooCalls, ExpiredKeyIsAuthWithTheAdminMessage) {
  count();  // authenticated and working
  odoo().control("api_key", Object{{"expired", true}});
  const auto e = odoo_error([&] { count(); });
  EXPECT_EQ(e.kind(), Kind::auth) << e.what();
  EXPECT_FALSE(e.retryable());
  EXPECT_EQ(e.admin_message(), "Odoo API key invalid or expired");
  odoo().control("api_key", Object{{"expired", false}});
  EXPECT_NO_THROW(count());  // a renewed key works without rebuilding the transport
}

TEST_P(OdooCalls, AccessErrorIsAccess) {
  count();
  odoo().control("deny_access", Object{{"on", true}});
  const auto e = odoo_error([&] { count(); });
  EXPECT_EQ(e.kind(), Kind::access) << e.what();
  EXPECT_FALSE(e.retryable());
}

TEST_P(OdooCalls, ReadOnlyUserWritingIsAccess) {
  odoo().control("api_key", Object{{"add", Object{{"key", "readonly-key"}, {"login", "readonly"}}}});
  auto o = options_for(odoo(), GetParam().protocol);
  o.login = "readonly";
  o.secret = Secret("readonly-key");
  const auto readonly = make_transport(o);
  EXPECT_NO_THROW(readonly->call("maintenance.request", "search_count", Object{{"domain", Array{}}}));
  const auto e = odoo_error([&] {
    readonly->call("maintenance.request", "write", Object{{"ids", Array{1}}, {"vals", Object{{"priority", "3"}}}});
  });
  EXPECT_EQ(e.kind(), Kind::access) << e.what();
  EXPECT_FALSE(e.retryable());
}

TEST_P(OdooCalls, UnknownFieldNeedsAnOperator) {
  const auto e = odoo_error([&] { count(testing::list_of(Array{"nope", "=", 1})); });
  EXPECT_EQ(e.kind(), Kind::server) << e.what();
  EXPECT_FALSE(e.retryable());
  EXPECT_EQ(std::string(e.what()).find("Traceback"), std::string::npos);
}

TEST_P(OdooCalls, InjectedServerFailuresAreRetryable) {
  count();
  odoo().control("fail", Object{{"mode", "error"}, {"method", "search_count"}});
  const auto server = odoo_error([&] { count(); });
  EXPECT_EQ(server.kind(), Kind::server) << server.what();
  EXPECT_TRUE(server.retryable());

  odoo().control("fail", Object{{"mode", "http"}, {"status", 503}, {"method", "search_count"}});
  const auto gateway = odoo_error([&] { count(); });
  EXPECT_EQ(gateway.kind(), Kind::server) << gateway.what();
  EXPECT_TRUE(gateway.retryable());
  EXPECT_NO_THROW(count());
}

// A create whose connection drops after Odoo committed it: the caller gets
// a transport error, and the create was sent exactly once (libcurl's silent
// re-send on a dead kept-alive connection must not duplicate it).
TEST_P(OdooCalls, DroppedConnectionIsTransportAndNeverDuplicates) {
  count();  // a kept-alive connection now exists
  odoo().control("fail", Object{{"mode", "drop"}, {"when", "after"}, {"method", "create"}});
  const auto e = odoo_error([&] {
    transport->call("maintenance.request", "create", Object{{"vals_list", Array{Object{{"name", "Visor itest: once"}}}}});
  });
  EXPECT_EQ(e.kind(), Kind::transport) << e.what();
  EXPECT_TRUE(e.retryable());
  EXPECT_EQ(count(testing::list_of(Array{"name", "=", "Visor itest: once"})), 1);
  const auto creates = odoo().control_get("calls", "method=create");
  EXPECT_EQ(creates.at("count"), 1);
}

// A read whose kept-alive connection drops is re-sent by libcurl on a fresh
// connection: the caller sees the answer.
TEST_P(OdooCalls, DroppedConnectionOnAReadIsRetriedTransparently) {
  count();
  odoo().control("fail", Object{{"mode", "drop"}, {"method", "search_count"}});
  EXPECT_NO_THROW(count());
  EXPECT_EQ(odoo().control_get("calls", "method=search_count").at("count"), 3);
}

TEST_P(OdooCalls, SlowServerIsTransportWithinTheTimeout) {
  auto o = options_for(odoo(), GetParam().protocol);
  o.timeout = 300ms;
  const auto slow = make_transport(o);
  odoo().control("latency", Object{{"ms", 1500}});
  const auto start = std::chrono::steady_clock::now();
  const auto e = odoo_error([&] { slow->call("maintenance.request", "search_count", Object{{"domain", Array{}}}); });
  EXPECT_EQ(e.kind(), Kind::transport) << e.what();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1200ms);
  odoo().control("latency", Object{{"ms", 0}});
}

INSTANTIATE_TEST_SUITE_P(Protocols, OdooCalls,
                         ::testing::Values(Setup{19, Protocol::json2}, Setup{19, Protocol::xmlrpc},
                                           Setup{17, Protocol::xmlrpc}),
                         setup_name);

TEST(OdooDetection, AutoPicksJson2For19AndXmlRpcFor17) {
  const auto v19 = probe_version(options_for(*Doubles::v19, Protocol::auto_detect));
  EXPECT_EQ(v19.server_version, "19.0");
  EXPECT_EQ(v19.major, 19);
  EXPECT_EQ(make_transport(options_for(*Doubles::v19, Protocol::auto_detect))->protocol(), Protocol::json2);
  EXPECT_EQ(probe_version(options_for(*Doubles::v17, Protocol::auto_detect)).major, 17);
  EXPECT_EQ(make_transport(options_for(*Doubles::v17, Protocol::auto_detect))->protocol(), Protocol::xmlrpc);
}

TEST(OdooDetection, BothProtocolsReturnTheSameValues) {
  Doubles::v19->control("reset");
  const Object args{{"domain", testing::list_of(Array{"maintenance_type", "in", Array{"corrective", "preventive"}})},
                    {"fields", Array{"name", "description", "request_date", "schedule_date", "duration", "priority",
                                     "stage_id", "user_id", "equipment_id", "done", "write_date"}},
                    {"order", "id asc"}};
  const auto json2 = make_transport(options_for(*Doubles::v19, Protocol::json2))->call("maintenance.request", "search_read", args);
  const auto xmlrpc = make_transport(options_for(*Doubles::v19, Protocol::xmlrpc))->call("maintenance.request", "search_read", args);
  EXPECT_FALSE(json2.as_array().empty());
  EXPECT_EQ(json2, xmlrpc);
}

TEST(OdooFailures, WrongKeyIsAuthOnBothProtocols) {
  for (const auto protocol : {Protocol::json2, Protocol::xmlrpc}) {
    auto o = options_for(*Doubles::v19, protocol);
    o.secret = Secret("wrong-key");
    const auto t = make_transport(o);
    const auto e = odoo_error([&] { t->call("maintenance.stage", "search_read", Object{{"domain", Array{}}}); });
    EXPECT_EQ(e.kind(), Kind::auth) << to_string(protocol) << ": " << e.what();
    EXPECT_EQ(e.admin_message(), "Odoo API key invalid or expired");
  }
}

TEST(OdooFailures, WrongDatabaseIsMissing) {
  auto o = options_for(*Doubles::v19, Protocol::json2);
  o.database = "nope";
  const auto e = odoo_error([&] { make_transport(o)->call("maintenance.stage", "search_read", Object{}); });
  EXPECT_EQ(e.kind(), Kind::missing) << e.what();
  EXPECT_EQ(e.http_status(), 404);
}

TEST(OdooFailures, ServerDownIsTransportAtOnce) {
  OdooDouble gone(OdooDouble::Options{});
  auto o = options_for(gone, Protocol::json2);
  gone.stop();
  const auto t = make_transport(o);
  const auto start = std::chrono::steady_clock::now();
  const auto e = odoo_error([&] { t->call("maintenance.stage", "search_read", Object{}); });
  EXPECT_EQ(e.kind(), Kind::transport) << e.what();
  EXPECT_TRUE(e.retryable());
  EXPECT_LT(std::chrono::steady_clock::now() - start, o.connect_timeout);
  o.protocol = Protocol::auto_detect;
  EXPECT_EQ(odoo_error([&] { make_transport(o); }).kind(), Kind::transport);
}

}  // namespace
}  // namespace visor::odoo

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new visor::odoo::Doubles);
  return RUN_ALL_TESTS();
}
