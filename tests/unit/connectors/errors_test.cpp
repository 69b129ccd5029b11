// Mapping Odoo's failures (captured JSON-2 error answers and XML-RPC faults)
// to OdooError kinds, retry advice and messages.
#include <gtest/gtest.h>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"
#include "fixtures.hpp"

namespace visor::odoo {
namespace {

using Kind = OdooError::Kind;

OdooError from_http_fixture(std::string_view name) {
  const auto r = testing::read_http_fixture(name);
  return error_from_json2(r.status, r.content_type, r.body);
}

OdooError from_fault_fixture(std::string_view name) {
  const auto r = decode_response(testing::read_fixture(name));
  if (!r.fault) throw std::runtime_error(std::string(name) + " is not a fault");
  return error_from_fault(r.fault->code, r.fault->message);
}

// No traceback or server path may reach what() or the admin message.
void expect_no_traceback_shown(const OdooError& e) {
  for (const std::string& text : {std::string(e.what()), e.admin_message()}) {
    EXPECT_EQ(text.find("Traceback"), std::string::npos) << text;
    EXPECT_EQ(text.find("/opt/odoo"), std::string::npos) << text;
  }
}

TEST(Json2Errors, BadKeyIsAuthWithTheAdminMessage) {
  const auto r = testing::read_http_fixture("json2_error_401_bad_key.txt");
  EXPECT_EQ(r.www_authenticate, "Bearer");
  const auto e = error_from_json2(r.status, r.content_type, r.body);
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_FALSE(e.retryable());
  EXPECT_EQ(e.http_status(), 401);
  EXPECT_EQ(e.name(), "werkzeug.exceptions.Unauthorized");
  EXPECT_EQ(e.odoo_message(), "Invalid apikey");
  EXPECT_EQ(e.admin_message(), "Odoo API key invalid or expired");
  EXPECT_NE(e.debug().find("Traceback"), std::string::npos);
  expect_no_traceback_shown(e);
}

TEST(Json2Errors, MissingRecordAndUnknownModel) {
  const auto record = from_http_fixture("json2_error_404_missing_record.txt");
  EXPECT_EQ(record.kind(), Kind::missing);
  EXPECT_FALSE(record.retryable());
  EXPECT_EQ(record.name(), "odoo.exceptions.MissingError");
  EXPECT_TRUE(record.odoo_message().starts_with("Record does not exist or has been deleted."));
  expect_no_traceback_shown(record);

  const auto model = from_http_fixture("json2_error_404_unknown_model.txt");
  EXPECT_EQ(model.kind(), Kind::missing);
  EXPECT_EQ(model.odoo_message(), "the model 'maintenance.nope' does not exist");
  expect_no_traceback_shown(model);
}

TEST(Json2Errors, MissingArgumentIsValidation) {
  const auto e = from_http_fixture("json2_error_422_missing_argument.txt");
  EXPECT_EQ(e.kind(), Kind::validation);
  EXPECT_FALSE(e.retryable());
  EXPECT_EQ(e.odoo_message(), "missing a required argument: 'vals'");
  EXPECT_EQ(e.admin_message(), "Odoo refused the request: missing a required argument: 'vals'");
  expect_no_traceback_shown(e);
}

TEST(Json2Errors, UnknownFieldIsAServerErrorNotWorthRetrying) {
  const auto e = from_http_fixture("json2_error_500_unknown_field.txt");
  EXPECT_EQ(e.kind(), Kind::server);
  EXPECT_FALSE(e.retryable());
  EXPECT_EQ(e.name(), "builtins.ValueError");
  EXPECT_EQ(e.odoo_message(), "Invalid field maintenance.request.nope in condition ('nope', '=', 1)");
  expect_no_traceback_shown(e);
}

TEST(Json2Errors, PassingServerFailuresAreRetryable) {
  const auto e = error_from_json2(500, "application/json",
                                  R"({"name": "psycopg2.errors.SerializationFailure", "message": "could not serialize"})");
  EXPECT_EQ(e.kind(), Kind::server);
  EXPECT_TRUE(e.retryable());
  const auto gateway = error_from_json2(502, "text/html", "<html><title>502 Bad Gateway</title></html>");
  EXPECT_EQ(gateway.kind(), Kind::server);
  EXPECT_TRUE(gateway.retryable());
  EXPECT_EQ(gateway.odoo_message(), "HTTP 502: 502 Bad Gateway");
  EXPECT_TRUE(error_from_json2(429, "text/plain", "slow down").retryable());
}

TEST(Json2Errors, HtmlAndOtherStatuses) {
  const auto not_found = error_from_json2(404, "text/html; charset=utf-8", "<!doctype html><title>404: Not Found</title>");
  EXPECT_EQ(not_found.kind(), Kind::missing);
  EXPECT_NE(not_found.odoo_message().find("JSON-2"), std::string::npos);
  EXPECT_EQ(error_from_json2(415, "text/html", "<html>Unsupported Media Type</html>").kind(), Kind::protocol);
  EXPECT_EQ(error_from_json2(400, "application/json", R"({"name":"x","message":"bad json"})").kind(), Kind::protocol);
  EXPECT_EQ(error_from_json2(403, "application/json",
                             R"({"name":"odoo.exceptions.AccessError","message":"You are not allowed"})")
                .kind(),
            Kind::access);
  EXPECT_EQ(error_from_json2(500, "application/json", "{not json").kind(), Kind::server);
}

TEST(XmlRpcFaultErrors, CapturedFaults) {
  const auto denied = from_fault_fixture("xmlrpc_fault_access_denied.xml");
  EXPECT_EQ(denied.kind(), Kind::auth);
  EXPECT_EQ(denied.fault_code(), 3);
  EXPECT_EQ(denied.admin_message(), "Odoo API key invalid or expired");

  const auto missing = from_fault_fixture("xmlrpc_fault_missing_record.xml");
  EXPECT_EQ(missing.kind(), Kind::missing);
  EXPECT_FALSE(missing.retryable());

  const auto unknown = from_fault_fixture("xmlrpc_fault_unknown_field.xml");
  EXPECT_EQ(unknown.kind(), Kind::server);
  EXPECT_FALSE(unknown.retryable());
  EXPECT_EQ(unknown.name(), "ValueError");
  EXPECT_EQ(unknown.odoo_message(), "Invalid field maintenance.request.nope in condition ('nope', '=', 1)");
  EXPECT_NE(unknown.debug().find("Traceback"), std::string::npos);
  expect_no_traceback_shown(unknown);
}

TEST(XmlRpcFaultErrors, OtherCodes) {
  EXPECT_EQ(error_from_fault(4, "You are not allowed to modify 'Maintenance Request'").kind(), Kind::access);
  EXPECT_EQ(error_from_fault(2, "The end date cannot be earlier than the start date.").kind(), Kind::validation);
  EXPECT_EQ(error_from_fault(2, "Object maintenance.nope doesn't exist").kind(), Kind::missing);
  const auto unknown_code = error_from_fault(99, "who knows");
  EXPECT_EQ(unknown_code.kind(), Kind::server);
  EXPECT_FALSE(unknown_code.retryable());
}

TEST(XmlRpcFaultErrors, TracebacksOfFault1) {
  const auto transient = error_from_fault(
      1, "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n    g()\n"
         "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update\n");
  EXPECT_EQ(transient.kind(), Kind::server);
  EXPECT_TRUE(transient.retryable());
  EXPECT_EQ(transient.name(), "psycopg2.errors.SerializationFailure");

  const auto bare = error_from_fault(1, "Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError\n");
  EXPECT_EQ(bare.name(), "KeyError");
  EXPECT_FALSE(bare.retryable());

  const auto multiline = error_from_fault(
      1, "Traceback (most recent call last):\n  File \"x.py\"\nValueError: first line\nsecond line\n");
  EXPECT_EQ(multiline.odoo_message(), "first line\nsecond line");

  const auto no_db = error_from_fault(
      1, "Traceback (most recent call last):\n  File \"x.py\"\npsycopg2.OperationalError: connection to server failed: "
         "FATAL:  database \"nope\" does not exist\n");
  EXPECT_EQ(no_db.kind(), Kind::missing);

  const auto plain = error_from_fault(1, "something odd");
  EXPECT_EQ(plain.kind(), Kind::server);
  EXPECT_EQ(plain.odoo_message(), "something odd");
}

TEST(XmlRpcFaultErrors, CannotMarshalNoneIsRecognised) {
  EXPECT_TRUE(is_cannot_marshal_none(
      1, "Traceback (most recent call last):\n  File \"x\"\nTypeError: cannot marshal None unless allow_none is enabled"));
  EXPECT_FALSE(is_cannot_marshal_none(2, "cannot marshal None"));
  EXPECT_FALSE(is_cannot_marshal_none(1, "ValueError: nope"));
}

TEST(OdooErrorText, WhatNamesKindStatusAndName) {
  const OdooError e(OdooError::Details{.kind = Kind::access, .message = "not allowed", .http_status = 403,
                                       .name = "odoo.exceptions.AccessError", .debug = "Traceback…"});
  EXPECT_STREQ(e.what(), "Odoo access error: not allowed (HTTP 403, odoo.exceptions.AccessError)");
  EXPECT_EQ(OdooError(Kind::transport, "refused").admin_message(), "Cannot reach Odoo: refused");
  EXPECT_TRUE(OdooError(Kind::transport, "refused").retryable());
  EXPECT_FALSE(OdooError(OdooError::Details{.kind = Kind::transport, .message = "TLS", .retryable = false}).retryable());
}

}  // namespace
}  // namespace visor::odoo
