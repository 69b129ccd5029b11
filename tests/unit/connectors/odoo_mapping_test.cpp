// Mapping of real Odoo 19 answers (tests/odoo_fixtures) into Visor's model,
// over JSON-2 and XML-RPC shapes, and the strictness rules.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>

#include "connectors/odoo/xmlrpc_codec.hpp"
#include "connectors/odoo/mapping.hpp"
#include "util/time.hpp"

namespace visor::odoo {
namespace {
namespace json = boost::json;

const Dialect k19 = Dialect::of_version(19);

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(VISOR_ODOO_FIXTURES_DIR) + "/" + name);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json::array rows(const std::string& name) { return json::parse(fixture(name)).as_array(); }

const json::object& row_with_id(const json::array& a, std::int64_t id) {
  for (const auto& r : a)
    if (r.as_object().at("id").as_int64() == id) return r.as_object();
  throw std::runtime_error("no row " + std::to_string(id));
}

TEST(Mapping, RequestsFromJson2Fixture) {
  const auto a = rows("json2_request_search_read.json");
  ASSERT_EQ(a.size(), 8u);
  for (const auto& r : a) EXPECT_NO_THROW(read_request(r.as_object(), "https://odoo.example", k19));

  const RemoteRequest first = read_request(row_with_id(a, 1), "https://odoo.example", k19);
  EXPECT_EQ(first.title, "Resolution is bad");
  EXPECT_EQ(first.description, "");                 // false
  EXPECT_EQ(first.priority, 0);                     // priority false → very low
  EXPECT_EQ(first.stage, OdooId(3));                // [3, "Repaired"]
  EXPECT_EQ(first.user, OdooId(5));
  EXPECT_EQ(first.equipment, OdooId(3));
  EXPECT_EQ(first.team, OdooId(1));
  EXPECT_FALSE(first.schedule_start);               // false
  EXPECT_EQ(first.close_date, parse_date("2026-11-24"));
  EXPECT_EQ(first.instructions.kind, InstructionKind::none);  // text type, no text
  EXPECT_FALSE(first.archived);

  const RemoteRequest sixth = read_request(row_with_id(a, 6), "", k19);
  EXPECT_EQ(sixth.priority, 2);
  EXPECT_EQ(sixth.type, MaintenanceType::preventive);
  EXPECT_FALSE(sixth.user);
  EXPECT_EQ(sixth.schedule_start, parse_odoo_datetime("2026-12-03 10:00:00"));
  EXPECT_EQ(sixth.schedule_end, parse_odoo_datetime("2026-12-03 11:00:00"));
  EXPECT_EQ(sixth.recurrence.interval, 2);
  EXPECT_EQ(sixth.recurrence.unit, RepeatUnit::month);

  const RemoteRequest recur = read_request(row_with_id(a, 7), "", k19);
  EXPECT_TRUE(recur.recurrence.enabled);
  EXPECT_EQ(recur.recurrence.type, RepeatType::until);
  EXPECT_EQ(recur.recurrence.until, parse_date("2027-03-01"));
  EXPECT_FALSE(recur.equipment);
}

TEST(Mapping, InstructionsBecomeTextInstructions) {
  const auto a = rows("json2_request_with_instructions.json");
  const RemoteRequest r = read_request(a.at(0).as_object(), "", k19);
  EXPECT_EQ(r.instructions.kind, InstructionKind::text);
  EXPECT_NE(r.instructions.text.find("<ol><li>Lock out"), std::string::npos);
  EXPECT_EQ(r.schedule_start, parse_odoo_datetime("2026-12-02 07:30:00"));
}

TEST(Mapping, PdfAndSlidesBecomeLinks) {
  json::object r = row_with_id(rows("json2_request_search_read.json"), 2);
  r["instruction_type"] = "pdf";
  EXPECT_EQ(read_request(r, "https://odoo.example", k19).instructions.url,
            "https://odoo.example/web/content/maintenance.request/2/instruction_pdf");
  r["instruction_type"] = "google_slide";
  r["instruction_google_slide"] = "https://docs.google.com/presentation/d/x";
  const auto slides = read_request(r, "", k19).instructions;
  EXPECT_EQ(slides.kind, InstructionKind::google_slide);
  EXPECT_EQ(slides.url, "https://docs.google.com/presentation/d/x");
}

TEST(Mapping, UnknownValuesAreErrorsNotDefaults) {
  const json::object base = row_with_id(rows("json2_request_search_read.json"), 2);
  auto with = [&](std::string_view field, json::value v) {
    json::object r = base;
    r[field] = std::move(v);
    return r;
  };
  auto expect_field_error = [](const json::object& r, const std::string& field) {
    try {
      read_request(r, "", k19);
      ADD_FAILURE() << "no error for " << field;
    } catch (const MappingError& e) {
      EXPECT_EQ(e.field(), field);
      EXPECT_EQ(e.record(), 2);
      EXPECT_EQ(e.model(), "maintenance.request");
    }
  };
  expect_field_error(with("priority", "4"), "priority");
  expect_field_error(with("priority", 2), "priority");
  expect_field_error(with("maintenance_type", "predictive"), "maintenance_type");
  expect_field_error(with("stage_id", false), "stage_id");
  expect_field_error(with("stage_id", json::array{"x", "y"}), "stage_id");
  expect_field_error(with("schedule_date", "2026-12-03T10:00:00Z"), "schedule_date");
  expect_field_error(with("name", false), "name");
  expect_field_error(with("repeat_unit", "fortnight"), "repeat_unit");
  json::object missing = base;
  missing.erase("archive");
  expect_field_error(missing, "archive");
}

TEST(Mapping, ReferenceData) {
  const auto stages = rows("json2_stage_search_read.json");
  const RemoteStage repaired = read_stage(stages.at(2).as_object());
  EXPECT_EQ(repaired.id, OdooId(3));
  EXPECT_TRUE(repaired.done);
  EXPECT_TRUE(repaired.folded);
  EXPECT_EQ(repaired.sequence, 3);

  EXPECT_EQ(read_team(rows("json2_team_search_read.json").at(1).as_object()).name, "Metrology");
  const RemoteCategory monitors = read_category(rows("json2_category_search_read.json").at(3).as_object());
  EXPECT_EQ(monitors.technician, OdooId(2));

  const auto equipment = rows("json2_equipment_search_read.json");
  const RemoteEquipment first = read_equipment(equipment.at(0).as_object());
  EXPECT_EQ(first.serial_no, "MT/122/11112222");
  EXPECT_EQ(first.category, OdooId(4));
  EXPECT_FALSE(first.team);  // false
  EXPECT_FALSE(first.location);  // Odoo 19 has none
  EXPECT_TRUE(first.active);
}

TEST(Mapping, XmlRpcAnswersMapTheSame) {
  const auto decoded = visor::odoo::decode_response(fixture("xmlrpc_request_search_read.xml"));
  ASSERT_TRUE(decoded.value.is_array());
  const auto& a = decoded.value.get_array();
  ASSERT_FALSE(a.empty());
  for (const auto& r : a) {
    const RemoteRequest q = read_request(r.as_object(), "", k19);
    EXPECT_TRUE(q.stage.has_value());
    EXPECT_GE(q.priority, 0);
  }
  const auto eq = visor::odoo::decode_response(fixture("xmlrpc_equipment_search_read.xml"));
  for (const auto& r : eq.value.as_array()) EXPECT_NO_THROW(read_equipment(r.as_object()));
}

TEST(Mapping, LocationOnOlderOdoo) {
  json::object r = rows("json2_equipment_search_read.json").at(0).as_object();
  r["location"] = "Hall B";
  EXPECT_EQ(read_equipment(r).location, "Hall B");
  r["location"] = false;
  EXPECT_EQ(read_equipment(r).location, "");
}

TEST(Mapping, ValuesForOdoo) {
  EXPECT_EQ(datetime_value(parse_iso8601("2026-11-25T08:30:00Z")), json::value("2026-11-25 08:30:00"));
  EXPECT_EQ(datetime_value(std::nullopt), json::value(false));
  EXPECT_EQ(priority_value(3), json::value("3"));
  EXPECT_THROW(priority_value(4), std::invalid_argument);
  EXPECT_EQ(text_value(""), json::value(false));
  EXPECT_EQ(date_value(parse_date("2026-11-25")), json::value("2026-11-25"));
}

TEST(Mapping, VisorReferenceRoundTrip) {
  const std::string ref = make_visor_ref('T', 42, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(ref, "VSR-T42-0123456789abcdef0123456789abcdef");
  const auto [text, found] = split_visor_ref("<p>Pump leaks</p>" + visor_ref_paragraph(ref));
  EXPECT_EQ(text, "<p>Pump leaks</p>");
  EXPECT_EQ(found, ref);
  // Odoo may rewrite the paragraph: the reference is still found, the text kept.
  const auto [text2, found2] = split_visor_ref("<p>x</p><p>Visor ref:&nbsp;" + ref + "</p>");
  EXPECT_EQ(found2, ref);
  EXPECT_NE(text2.find("x"), std::string::npos);
  EXPECT_EQ(split_visor_ref("<p>VSR-T1-short</p>").second, "");
  EXPECT_EQ(split_visor_ref("no ref").first, "no ref");
}

}  // namespace
}  // namespace visor::odoo
