// Decoding the XML-RPC answers captured from a real Odoo 19 server.
#include <filesystem>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"
#include "fixtures.hpp"

namespace visor::odoo {
namespace {

using testing::read_fixture;

Value decode_ok(std::string_view fixture) {
  auto r = decode_response(read_fixture(fixture));
  EXPECT_TRUE(r.ok()) << fixture;
  return std::move(r.value);
}

XmlRpcFault decode_fault(std::string_view fixture) {
  auto r = decode_response(read_fixture(fixture));
  EXPECT_FALSE(r.ok()) << fixture;
  return r.fault.value_or(XmlRpcFault{});
}

TEST(OdooFixtures, FolderIsInTheRepository) {
  ASSERT_TRUE(std::filesystem::is_directory(testing::fixtures_dir()))
      << "Odoo fixtures not found at " << testing::fixtures_dir()
      << " (tests/odoo_fixtures, VISOR_ODOO_FIXTURES_DIR)";
}

TEST(XmlRpcFixtures, CommonVersion) {
  const auto v = decode_ok("xmlrpc_common_version.xml");
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("server_version"), "19.0");
  EXPECT_EQ(o.at("server_serie"), "19.0");
  EXPECT_EQ(o.at("protocol_version"), 1);
  const auto& info = o.at("server_version_info").as_array();
  ASSERT_EQ(info.size(), 6u);
  EXPECT_EQ(info[0], 19);
  EXPECT_EQ(info[3], "final");
  EXPECT_EQ(info[5], "");  // <string></string>
}

TEST(XmlRpcFixtures, AuthenticateOkAndBad) {
  EXPECT_EQ(decode_ok("xmlrpc_authenticate_ok.xml"), 2);
  EXPECT_EQ(decode_ok("xmlrpc_authenticate_bad.xml"), false);
}

TEST(XmlRpcFixtures, RequestSearchReadConcreteValues) {
  const auto rows = decode_ok("xmlrpc_request_search_read.xml").as_array();
  ASSERT_EQ(rows.size(), 8u);
  const auto& first = rows[0].as_object();
  EXPECT_EQ(first.at("id"), 1);
  EXPECT_EQ(first.at("name"), "Resolution is bad");
  EXPECT_EQ(first.at("description"), false);    // empty html is false, not null
  EXPECT_EQ(first.at("schedule_date"), false);  // empty datetime
  EXPECT_EQ(first.at("priority"), false);       // real demo records have no priority
  EXPECT_EQ(first.at("request_date"), "2026-11-24");
  EXPECT_EQ(first.at("write_date"), "2026-11-24 16:24:33");  // datetimes travel as strings
  EXPECT_TRUE(first.at("duration").is_double());
  EXPECT_EQ(first.at("duration").as_double(), 0.0);
  EXPECT_EQ(first.at("done"), true);
  EXPECT_EQ(first.at("stage_id"), (Array{3, "Repaired"}));  // many2one pair
  EXPECT_EQ(first.at("equipment_id"), (Array{3, "Samsung Monitor 15\"/MT/127/18291018"}));
  EXPECT_EQ(rows[1].as_object().at("close_date"), false);
}

// Both APIs must hand the layers above the same values.
TEST(XmlRpcFixtures, RequestSearchReadEqualsJson2Capture) {
  const auto xml = decode_ok("xmlrpc_request_search_read.xml");
  const auto json = boost::json::parse(read_fixture("json2_request_search_read.json"));
  EXPECT_EQ(xml, json);
}

TEST(XmlRpcFixtures, EquipmentSearchReadMatchesJson2Capture) {
  const auto xml = decode_ok("xmlrpc_equipment_search_read.xml").as_array();
  const auto json = boost::json::parse(read_fixture("json2_equipment_search_read.json")).as_array();
  ASSERT_EQ(xml.size(), 3u);  // the XML capture holds the first three records
  for (std::size_t i = 0; i < xml.size(); ++i) EXPECT_EQ(xml[i], json[i]) << "record " << i;
  const auto& first = xml[0].as_object();
  EXPECT_EQ(first.at("name"), "Samsung Monitor 15\"");
  EXPECT_EQ(first.at("maintenance_team_id"), false);
  EXPECT_EQ(first.at("maintenance_count"), 299);
}

TEST(XmlRpcFixtures, Faults) {
  const auto denied = decode_fault("xmlrpc_fault_access_denied.xml");
  EXPECT_EQ(denied.code, 3);
  EXPECT_EQ(denied.message, "Access Denied");

  const auto missing = decode_fault("xmlrpc_fault_missing_record.xml");
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.message,
            "Record does not exist or has been deleted.\n(Record: maintenance.request(999999,), User: 2)");

  const auto unknown = decode_fault("xmlrpc_fault_unknown_field.xml");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_TRUE(unknown.message.starts_with("Traceback (most recent call last):"));
  EXPECT_NE(unknown.message.find("ValueError: Invalid field maintenance.request.nope"), std::string::npos);
}

TEST(XmlRpcFixtures, EveryPrefixOfEveryFixtureIsACleanError) {
  for (const auto* name : {"xmlrpc_common_version.xml", "xmlrpc_authenticate_ok.xml", "xmlrpc_fault_missing_record.xml",
                           "xmlrpc_equipment_search_read.xml"}) {
    const auto xml = read_fixture(name);
    const auto end = xml.rfind("</methodResponse>");
    ASSERT_NE(end, std::string::npos);
    for (std::size_t n = 0; n < end; ++n) {
      try {
        decode_response(std::string_view(xml).substr(0, n));
        ADD_FAILURE() << name << " accepted when cut at byte " << n;
      } catch (const OdooError& e) {
        ASSERT_EQ(e.kind(), OdooError::Kind::protocol) << name << " cut at " << n;
      }
    }
  }
}

}  // namespace
}  // namespace visor::odoo
