// Both transports against a scripted HTTP client: what goes on the wire,
// and how answers become results or OdooErrors.
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "connectors/odoo/json2_transport.hpp"
#include "connectors/odoo/xmlrpc_transport.hpp"
#include "fake_http.hpp"
#include "fixtures.hpp"
#include "json_helpers.hpp"
#include "util/error.hpp"

namespace visor::odoo {
namespace {

using Kind = OdooError::Kind;
using testing::FakeHttp;

ConnectionOptions options(Protocol p = Protocol::auto_detect) {
  ConnectionOptions o;
  o.url = "https://odoo.example/";
  o.database = "acme";
  o.login = "visor@acme.example";
  o.secret = Secret("KEY-123");
  o.protocol = p;
  return o;
}

template <class F>
OdooError expect_odoo_error(F&& f) {
  try {
    f();
  } catch (const OdooError& e) {
    return e;
  }
  ADD_FAILURE() << "no OdooError thrown";
  return OdooError(Kind::protocol, "none");
}

// ---------------------------------------------------------------- JSON-2

TEST(Json2Transport, PostsNamedArgumentsWithBearerAndDatabase) {
  auto http = std::make_shared<FakeHttp>();
  http->then_json(200, testing::read_fixture("json2_stage_search_read.json"));
  Json2Transport t(options(Protocol::json2), http);
  const auto rows = t.call("maintenance.stage", "search_read",
                           Object{{"domain", Array{}}, {"fields", Array{"name", "done"}}, {"limit", 10}});
  EXPECT_EQ(rows.as_array().size(), 4u);
  EXPECT_EQ(rows.as_array()[2].as_object().at("done"), true);

  ASSERT_EQ(http->requests.size(), 1u);
  const auto& r = http->requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://odoo.example/json/2/maintenance.stage/search_read");
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  ASSERT_TRUE(r.bearer.has_value());
  EXPECT_EQ(r.bearer->reveal(), "KEY-123");
  EXPECT_EQ(boost::json::parse(r.body),
            (Object{{"domain", Array{}}, {"fields", Array{"name", "done"}}, {"limit", 10}}));
  bool has_db = false;
  for (const auto& [k, v] : r.headers) has_db |= (k == "X-Odoo-Database" && v == "acme");
  EXPECT_TRUE(has_db);
}

TEST(Json2Transport, NoDatabaseHeaderWithoutDatabase) {
  auto http = std::make_shared<FakeHttp>();
  http->then_json(200, "null");
  auto o = options(Protocol::json2);
  o.database.clear();
  Json2Transport t(o, http);
  EXPECT_TRUE(t.call("maintenance.request", "write", Object{{"ids", Array{1}}, {"vals", Object{}}}).is_null());
  for (const auto& [k, v] : http->requests[0].headers) EXPECT_NE(k, "X-Odoo-Database");
}

TEST(Json2Transport, ErrorsMapToKinds) {
  auto http = std::make_shared<FakeHttp>();
  const auto bad_key = testing::read_http_fixture("json2_error_401_bad_key.txt");
  http->then(bad_key);
  Json2Transport t(options(Protocol::json2), http);
  const auto e = expect_odoo_error([&] { t.call("maintenance.request", "search_read", Object{}); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_EQ(e.admin_message(), "Odoo API key invalid or expired");

  http->then(HttpResponse{.status = 303, .location = "https://odoo.example/web/login"});
  EXPECT_EQ(expect_odoo_error([&] { t.call("maintenance.request", "search_read", Object{}); }).kind(), Kind::protocol);

  http->then(HttpResponse{.status = 200, .content_type = "text/html", .body = "<html>login</html>"});
  EXPECT_EQ(expect_odoo_error([&] { t.call("maintenance.request", "search_read", Object{}); }).kind(), Kind::protocol);

  http->then_json(200, "[1, 2");
  EXPECT_EQ(expect_odoo_error([&] { t.call("maintenance.request", "search_read", Object{}); }).kind(), Kind::protocol);

  http->then_throw(OdooError(Kind::transport, "connection refused"));
  EXPECT_EQ(expect_odoo_error([&] { t.call("maintenance.request", "search_read", Object{}); }).kind(), Kind::transport);
}

TEST(Json2Transport, RejectsBadNamesAndUnsendableArgumentsBeforeSending) {
  auto http = std::make_shared<FakeHttp>();
  Json2Transport t(options(Protocol::json2), http);
  EXPECT_THROW(t.call("maintenance.request/../x", "search_read", Object{}), std::invalid_argument);
  EXPECT_THROW(t.call("maintenance.request", "_private", Object{}), std::invalid_argument);
  EXPECT_THROW(t.call("", "read", Object{}), std::invalid_argument);
  EXPECT_THROW(t.call("maintenance.request", "create", Object{{"vals_list", Array{Object{{"name", "\xff"}}}}}),
               std::invalid_argument);
  EXPECT_TRUE(http->requests.empty());
}

// ---------------------------------------------------------------- XML-RPC

TEST(XmlRpcTransport, AuthenticatesOnceThenExecuteKw) {
  auto http = std::make_shared<FakeHttp>();
  http->then_xml(testing::read_fixture("xmlrpc_authenticate_ok.xml"));
  http->then_xml(testing::read_fixture("xmlrpc_request_search_read.xml"));
  http->then_result(Array{42});
  XmlRpcTransport t(options(Protocol::xmlrpc), http);

  const auto rows = t.call("maintenance.request", "search_read",
                           Object{{"domain", testing::list_of(Array{"id", ">", 0})}, {"fields", Array{"name"}}, {"limit", 8}});
  EXPECT_EQ(rows.as_array().size(), 8u);
  EXPECT_EQ(t.call("maintenance.request", "create", Object{{"vals_list", Array{Object{{"name", "Leak"}}}}}),
            (Array{42}));

  ASSERT_EQ(http->requests.size(), 3u);
  EXPECT_EQ(http->requests[0].url, "https://odoo.example/xmlrpc/2/common");
  EXPECT_FALSE(http->requests[0].bearer.has_value());
  const auto auth = decode_call(http->requests[0].body);
  EXPECT_EQ(auth.method, "authenticate");
  EXPECT_EQ(auth.params, (Array{"acme", "visor@acme.example", "KEY-123", Object{}}));

  EXPECT_EQ(http->requests[1].url, "https://odoo.example/xmlrpc/2/object");
  const auto search = decode_call(http->requests[1].body);
  EXPECT_EQ(search.method, "execute_kw");
  // The domain goes positionally (Odoo 16 names it `args`), the rest by keyword.
  EXPECT_EQ(search.params, (Array{"acme", 2, "KEY-123", "maintenance.request", "search_read",
                                  Array{testing::list_of(Array{"id", ">", 0})},
                                  Object{{"fields", Array{"name"}}, {"limit", 8}}}));
  // call_kw reads create's values from args[0]: in kwargs alone Odoo answers IndexError.
  const auto create = decode_call(http->requests[2].body);
  EXPECT_EQ(create.params[5], (Array{Array{Object{{"name", "Leak"}}}}));
  EXPECT_EQ(create.params[6], Object{});
}

// What Visor sends for a create is what the real Odoo accepted (the capture
// of the positional create), not what it refused (values as keywords only).
TEST(XmlRpcTransport, CreateIsSentAsTheCapturedRequestThatWorks) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(2);
  http->then_xml(testing::read_fixture("xmlrpc_create_positional_ok.xml"));
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  EXPECT_EQ(t.call("maintenance.request", "create",
                   Object{{"vals_list", Array{Object{{"name", "fixture probe positional"}}}}}),
            (Array{516}));
  const auto sent = decode_call(http->requests[1].body);
  std::string works = testing::read_fixture("xmlrpc_create_positional_request.xml");
  std::string refused = testing::read_fixture("xmlrpc_create_with_kwargs_only_request.xml");
  for (auto* text : {&works, &refused}) text->replace(text->find("<api-key>"), 9, "KEY");
  const auto good = decode_call(works);
  const auto bad = decode_call(refused);
  // Everything after database, uid and key: model, method, args (and no kwargs beyond an empty struct).
  EXPECT_EQ(sent.params[3], good.params[3]);
  EXPECT_EQ(sent.params[4], good.params[4]);
  EXPECT_EQ(sent.params[5], good.params[5]);
  EXPECT_TRUE(sent.params.size() < 7 || sent.params[6] == Object{});
  EXPECT_NE(sent.params[5], bad.params[5]);
}

TEST(XmlRpcTransport, WriteValuesFollowTheIds) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(2);
  http->then_result(true);
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  t.call("maintenance.request", "write", Object{{"ids", Array{4}}, {"vals", Object{{"priority", "3"}}}});
  const auto call = decode_call(http->requests[1].body);
  EXPECT_EQ(call.params[5], (Array{Array{4}, Object{{"priority", "3"}}}));
  EXPECT_EQ(call.params[6], Object{});
}

TEST(XmlRpcTransport, IdsBecomeThePositionalArgument) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(7);
  http->then_result(Array{101});
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  t.call("maintenance.request", "message_post",
         Object{{"ids", Array{5}}, {"body", "<p>done</p>"}, {"body_is_html", true}, {"message_type", "comment"},
                {"subtype_xmlid", "mail.mt_note"}, {"context", Object{{"lang", "en_US"}}}});
  const auto call = decode_call(http->requests[1].body);
  EXPECT_EQ(call.params[1], 7);
  EXPECT_EQ(call.params[4], "message_post");
  EXPECT_EQ(call.params[5], (testing::list_of(Array{5})));
  EXPECT_EQ(call.params[6], (Object{{"body", "<p>done</p>"}, {"body_is_html", true}, {"message_type", "comment"},
                                    {"subtype_xmlid", "mail.mt_note"}, {"context", Object{{"lang", "en_US"}}}}));
}

TEST(XmlRpcTransport, CannotMarshalNoneIsSuccess) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(2);
  http->then_fault(1, "Traceback (most recent call last):\n  File \"x\"\nTypeError: cannot marshal None unless "
                      "allow_none is enabled\n");
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  EXPECT_TRUE(t.call("maintenance.request", "action_archive", Object{{"ids", Array{3}}}).is_null());
}

TEST(XmlRpcTransport, Fault3ReauthenticatesOnce) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(2);
  http->then_result(1);  // count
  http->then_xml(testing::read_fixture("xmlrpc_fault_access_denied.xml"));
  http->then_result(2);  // authenticate again
  http->then_result(3);  // the retried call
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  EXPECT_EQ(t.call("maintenance.request", "search_count", Object{{"domain", Array{}}}), 1);
  EXPECT_EQ(t.call("maintenance.request", "search_count", Object{{"domain", Array{}}}), 3);
  EXPECT_EQ(http->requests.size(), 5u);
  EXPECT_EQ(decode_call(http->requests[3].body).method, "authenticate");
}

TEST(XmlRpcTransport, ExpiredKeyIsAuthAfterOneRetry) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(2);
  http->then_fault(3, "Access Denied");
  http->then_result(false);  // the key no longer authenticates
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  const auto e = expect_odoo_error([&] { t.call("maintenance.request", "search_count", Object{}); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_EQ(e.admin_message(), "Odoo API key invalid or expired");
  EXPECT_TRUE(http->drained());
}

TEST(XmlRpcTransport, AuthenticateFalseIsAuth) {
  auto http = std::make_shared<FakeHttp>();
  http->then_xml(testing::read_fixture("xmlrpc_authenticate_bad.xml"));
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  EXPECT_EQ(expect_odoo_error([&] { t.uid(); }).kind(), Kind::auth);
}

TEST(XmlRpcTransport, FaultsAndStatusesMapToKinds) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(2);
  http->then_xml(testing::read_fixture("xmlrpc_fault_missing_record.xml"));
  http->then_fault(4, "You are not allowed to access 'Maintenance Request' (maintenance.request) records.");
  http->then_xml(testing::read_fixture("xmlrpc_fault_unknown_field.xml"));
  http->then(HttpResponse{.status = 502, .content_type = "text/html", .body = "<html>Bad Gateway</html>"});
  http->then(HttpResponse{.status = 404, .content_type = "text/html", .body = "<html>Not Found</html>"});
  http->then(HttpResponse{.status = 200, .content_type = "text/html", .body = "<html>login</html>"});
  XmlRpcTransport t(options(Protocol::xmlrpc), http);
  const auto call = [&] { t.call("maintenance.request", "write", Object{{"ids", Array{999999}}, {"vals", Object{}}}); };
  EXPECT_EQ(expect_odoo_error(call).kind(), Kind::missing);
  EXPECT_EQ(expect_odoo_error(call).kind(), Kind::access);
  const auto unknown = expect_odoo_error(call);
  EXPECT_EQ(unknown.kind(), Kind::server);
  EXPECT_FALSE(unknown.retryable());
  const auto gateway = expect_odoo_error(call);
  EXPECT_EQ(gateway.kind(), Kind::server);
  EXPECT_TRUE(gateway.retryable());
  EXPECT_EQ(expect_odoo_error(call).kind(), Kind::protocol);
  EXPECT_EQ(expect_odoo_error(call).kind(), Kind::protocol);
}

TEST(Transports, OnlyReplaySafeMethodsMayReuseConnections) {
  EXPECT_TRUE(is_replay_safe("search_read"));
  EXPECT_TRUE(is_replay_safe("write"));
  EXPECT_FALSE(is_replay_safe("create"));
  EXPECT_FALSE(is_replay_safe("message_post"));
  EXPECT_FALSE(is_replay_safe("unlink"));

  auto http = std::make_shared<FakeHttp>();
  http->then_json(200, "[]");
  http->then_json(200, "[7]");
  Json2Transport json2(options(Protocol::json2), http);
  json2.call("maintenance.request", "search_read", Object{});
  json2.call("maintenance.request", "create", Object{{"vals_list", Array{Object{}}}});
  EXPECT_TRUE(http->requests[0].replay_safe);
  EXPECT_FALSE(http->requests[1].replay_safe);

  http->then_result(2);
  http->then_result(Array{8});
  XmlRpcTransport xmlrpc(options(Protocol::xmlrpc), http);
  xmlrpc.call("maintenance.request", "create", Object{{"vals_list", Array{Object{}}}});
  EXPECT_TRUE(http->requests[2].replay_safe);  // authenticate
  EXPECT_FALSE(http->requests[3].replay_safe);
}

// ---------------------------------------------------------------- probing

TEST(ProbeVersion, ReadsCommonVersion) {
  FakeHttp http;
  http.then_xml(testing::read_fixture("xmlrpc_common_version.xml"));
  const auto v = probe_version(options(), http);
  EXPECT_EQ(v.server_version, "19.0");
  EXPECT_EQ(v.major, 19);
  EXPECT_EQ(protocol_for(v), Protocol::json2);
  EXPECT_EQ(decode_call(http.requests[0].body).method, "version");
}

TEST(ProbeVersion, SaasAndOlderVersions) {
  FakeHttp http;
  http.then_result(Object{{"server_version", "saas~18.3"}, {"server_version_info", Array{"saas~18", 3, 0, "final", 0, ""}}});
  http.then_result(Object{{"server_version", "17.0+e"}, {"server_version_info", Array{17, 0, 0, "final", 0, "e"}}});
  const auto saas = probe_version(options(), http);
  EXPECT_EQ(saas.major, 18);
  EXPECT_EQ(protocol_for(saas), Protocol::xmlrpc);
  EXPECT_EQ(probe_version(options(), http).major, 17);
}

TEST(ProbeVersion, FallsBackToWebVersion) {
  FakeHttp http;
  http.then(HttpResponse{.status = 404, .content_type = "text/html", .body = "gone"});
  http.then_json(200, R"({"version_info": [20, 0, 0, "final", 0, ""], "version": "20.0"})");
  const auto v = probe_version(options(), http);
  EXPECT_EQ(v.major, 20);
  EXPECT_EQ(http.requests[1].method, "GET");
  EXPECT_EQ(http.requests[1].url, "https://odoo.example/web/version");
}

TEST(ProbeVersion, UnreachableIsTransport) {
  FakeHttp http;
  http.then_throw(OdooError(Kind::transport, "connection refused"));
  EXPECT_EQ(expect_odoo_error([&] { probe_version(options(), http); }).kind(), Kind::transport);
}

TEST(MakeTransport, AutoPicksByVersion) {
  auto http = std::make_shared<FakeHttp>();
  http->then_xml(testing::read_fixture("xmlrpc_common_version.xml"));
  EXPECT_EQ(make_transport(options(), http)->protocol(), Protocol::json2);
  http->then_result(Object{{"server_version", "17.0"}, {"server_version_info", Array{17, 0, 0, "final", 0, ""}}});
  EXPECT_EQ(make_transport(options(), http)->protocol(), Protocol::xmlrpc);
  EXPECT_EQ(make_transport(options(Protocol::json2), http)->protocol(), Protocol::json2);
  EXPECT_EQ(make_transport(options(Protocol::xmlrpc), http)->protocol(), Protocol::xmlrpc);
  EXPECT_TRUE(http->drained());
}

TEST(MakeTransport, OldServerWithoutLoginIsAConfigurationError) {
  auto http = std::make_shared<FakeHttp>();
  http->then_result(Object{{"server_version", "16.0"}, {"server_version_info", Array{16, 0, 0, "final", 0, ""}}});
  auto o = options();
  o.login.clear();
  EXPECT_THROW(make_transport(o, http), visor::Error);
}

TEST(MakeTransport, InvalidOptionsAreRefusedBeforeAnyRequest) {
  auto http = std::make_shared<FakeHttp>();
  auto o = options();
  o.url = "ftp://odoo.example";
  EXPECT_THROW(make_transport(o, http), visor::Error);
  EXPECT_TRUE(http->requests.empty());
}

}  // namespace
}  // namespace visor::odoo
