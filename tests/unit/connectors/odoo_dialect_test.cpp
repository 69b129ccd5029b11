// The dialect of each Odoo version, chosen from the version and checked
// against the server's schema, and chatter notes naming the person.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "connectors/odoo/chatter.hpp"
#include "connectors/odoo/dialect.hpp"
#include "connectors/odoo/mapping.hpp"
#include "connectors/odoo/session.hpp"
#include "sync/errors.hpp"

namespace visor::odoo {
namespace {
namespace json = boost::json;

// The schemas of a stock Odoo `major` (what fields_get answers, readonly flags).
std::map<std::string, Schema> stock(int major) {
  std::map<std::string, Schema> out;
  const Dialect d = Dialect::of_version(major);
  for (const auto& model : Dialect::models())
    for (const auto& f : d.fields(model)) out[model][f] = f == "write_date";
  auto& requests = out[std::string(kRequestModel)];
  requests["duration"] = major >= 19;  // computed (read-only) from 19
  return out;
}

TEST(Dialect, FollowsTheVersion) {
  const Dialect d19 = Dialect::detect(19, stock(19));
  EXPECT_TRUE(d19.has_schedule_end());
  EXPECT_FALSE(d19.equipment_has_location());
  EXPECT_TRUE(d19.has_body_is_html());
  const auto f19 = d19.fields(kRequestModel);
  EXPECT_NE(std::find(f19.begin(), f19.end(), "schedule_end"), f19.end());
  EXPECT_EQ(std::find(f19.begin(), f19.end(), "duration"), f19.end());

  for (int major : {16, 17, 18}) {
    const Dialect d = Dialect::detect(major, stock(major));
    EXPECT_FALSE(d.has_schedule_end()) << major;
    EXPECT_TRUE(d.equipment_has_location()) << major;
    const auto f = d.fields(kRequestModel);
    EXPECT_NE(std::find(f.begin(), f.end(), "duration"), f.end()) << major;
    const auto e = d.fields(kEquipmentModel);
    EXPECT_NE(std::find(e.begin(), e.end(), "location"), e.end()) << major;
  }
  EXPECT_FALSE(Dialect::detect(16, stock(16)).has_body_is_html());
  EXPECT_TRUE(Dialect::detect(17, stock(17)).has_body_is_html());
}

TEST(Dialect, TheSchemaDecidesWhereVersionsCouldDiffer) {
  auto schemas = stock(18);
  for (const char* f : {"instruction_type", "instruction_text", "instruction_google_slide"})
    schemas[std::string(kRequestModel)].erase(f);
  const Dialect d = Dialect::detect(18, schemas);
  EXPECT_FALSE(d.has_instructions());
  EXPECT_TRUE(d.has_recurrence());
  // Unknown version: judged from the schema.
  EXPECT_TRUE(Dialect::detect(0, stock(19)).has_schedule_end());
  EXPECT_EQ(Dialect::detect(0, stock(17)).major(), 18);
}

TEST(Dialect, WhatIsMissingIsNamed) {
  auto no_model = stock(19);
  no_model.erase(std::string(kEquipmentModel));
  try {
    Dialect::detect(19, no_model);
    FAIL() << "accepted";
  } catch (const sync::CmmsError& e) {
    EXPECT_EQ(e.kind(), sync::CmmsError::Kind::config);
    EXPECT_NE(std::string(e.what()).find("maintenance.equipment"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Maintenance app"), std::string::npos) << e.what();
  }
  auto no_field = stock(17);
  no_field[std::string(kRequestModel)].erase("stage_id");
  no_field[std::string(kRequestModel)].erase("archive");
  try {
    Dialect::detect(17, no_field);
    FAIL() << "accepted";
  } catch (const sync::CmmsError& e) {
    EXPECT_NE(std::string(e.what()).find("Odoo 17.0: maintenance.request lacks stage_id, archive"), std::string::npos)
        << e.what();
  }
  auto computed = stock(18);
  computed[std::string(kRequestModel)]["duration"] = true;
  EXPECT_THROW(Dialect::detect(18, computed), sync::CmmsError);
}

TEST(Mapping, UpTo18TheEndIsTheStartPlusTheDuration) {
  const json::object row = json::parse(R"({"id": 9, "name": "Oil change", "description": false,
      "request_date": "2026-11-25", "close_date": false, "schedule_date": "2026-11-26 08:00:00",
      "duration": 2.5, "priority": "2", "stage_id": [1, "New Request"], "user_id": false,
      "equipment_id": false, "maintenance_team_id": [1, "Internal"], "maintenance_type": "preventive",
      "archive": false, "write_date": "2026-11-25 10:00:00"})").as_object();
  Dialect d = Dialect::detect(18, [] {
    auto s = stock(18);
    for (const char* f : {"instruction_type", "instruction_text", "instruction_google_slide", "recurring_maintenance",
                          "repeat_interval", "repeat_unit", "repeat_type", "repeat_until"})
      s[std::string(kRequestModel)].erase(f);
    return s;
  }());
  const RemoteRequest r = read_request(row, "", d);
  EXPECT_EQ(r.schedule_end, parse_odoo_datetime("2026-11-26 10:30:00"));
  json::object none = row;
  none["duration"] = 0.0;
  EXPECT_FALSE(read_request(none, "", d).schedule_end);
  none["duration"] = -1.0;
  EXPECT_THROW(read_request(none, "", d), MappingError);
}

TEST(Chatter, NotesNameThePerson) {
  const auto note = json::parse(R"({"task_id": 4, "kind": "note", "author_id": 5, "text": "Belt <loose>"})");
  EXPECT_EQ(chatter_html(note.as_object(), "Marc Demo"), "<p>Marc Demo: Belt &lt;loose&gt;</p>");
  EXPECT_EQ(chatter_html(note.as_object(), ""), "<p>a Visor user: Belt &lt;loose&gt;</p>");
  const auto step = json::parse(
      R"({"task_id": 4, "kind": "step", "step": 3, "step_text": "Measure", "value": "3.1", "unit": "bar"})");
  EXPECT_EQ(chatter_html(step.as_object(), "Marc Demo"), "<p>Marc Demo, step 3 (Measure) — value: 3.1 bar</p>");
  const auto done = json::parse(R"({"task_id": 4, "kind": "completion", "time_on_tool_seconds": 3900,
      "steps": [{"number": 1, "text": "Lock out", "done": true, "value": "", "unit": "", "note": "ok"}]})");
  EXPECT_EQ(chatter_html(done.as_object(), "Marc Demo"),
            "<p><b>Completed in Visor</b> by Marc Demo. Time on tool: 1 h 5 min.</p>"
            "<table class=\"table table-sm table-bordered\"><thead><tr><th>#</th><th>Step</th><th>Type</th>"
            "<th>Result</th><th>Flag</th><th>Comment</th></tr></thead><tbody><tr><td>1</td><td>Lock out</td>"
            "<td>Step</td><td>done</td><td></td><td>ok</td></tr></tbody></table>");
  const auto photo = json::parse(R"({"task_id": 4, "kind": "photo", "media_id": 7, "step": 2})");
  EXPECT_EQ(chatter_html(photo.as_object(), "Marc Demo"), "<p>Photo added in Visor by Marc Demo at step 2.</p>");
  // Recorded before notes were in Visor's terms: the HTML as it was.
  const auto legacy = json::parse(R"({"task_id": 4, "body": "<p>device:x: hi</p>"})");
  EXPECT_EQ(chatter_html(legacy.as_object(), "Marc Demo"), "<p>device:x: hi</p>");
  EXPECT_THROW(chatter_html(json::parse(R"({"task_id": 4, "kind": "song"})").as_object(), ""), std::invalid_argument);
}

TEST(Chatter, TriageDecisionsSayWhoDecidedAndWhy) {
  const auto approved = json::parse(R"({"task_id": 4, "kind": "triage", "decision": "approved", "assignee": "Bruno <B>",
      "schedule_start": "2026-12-04T09:30:00Z", "priority": 3, "stage": "In Progress"})");
  EXPECT_EQ(chatter_html(approved.as_object(), "Maria Manager"),
            "<p><b>Approved in Visor</b> by Maria Manager: assigned to Bruno &lt;B&gt;; scheduled 2026-12-04T09:30:00Z; "
            "priority high; stage In Progress.</p>");
  const auto nobody = json::parse(R"({"task_id": 4, "kind": "triage", "decision": "approved", "priority": 0})");
  EXPECT_EQ(chatter_html(nobody.as_object(), "Maria Manager"),
            "<p><b>Approved in Visor</b> by Maria Manager: not assigned yet; priority very low.</p>");
  const auto rejected = json::parse(R"({"task_id": 4, "kind": "triage", "decision": "rejected", "reason": "Cleaning & tidying"})");
  EXPECT_EQ(chatter_html(rejected.as_object(), "Maria Manager"),
            "<p><b>Rejected in Visor</b> by Maria Manager: Cleaning &amp; tidying</p>");
  const auto merged = json::parse(R"({"task_id": 4, "kind": "triage", "decision": "merged", "into_task_id": 9, "into_title": "Leak"})");
  EXPECT_EQ(chatter_html(merged.as_object(), "Maria Manager"),
            "<p><b>Merged in Visor</b> by Maria Manager into the request “Leak” (Visor task 9): the same fault.</p>");
  EXPECT_THROW(chatter_html(json::parse(R"({"task_id": 4, "kind": "triage", "decision": "maybe"})").as_object(), ""),
               std::invalid_argument);
}

TEST(Session, HttpDatesAreOdoosClock) {
  EXPECT_EQ(parse_http_date("Tue, 01 Jan 2030 10:00:00 GMT"), parse_odoo_datetime("2030-01-01 10:00:00"));
  EXPECT_FALSE(parse_http_date("yesterday"));
  EXPECT_FALSE(parse_http_date("Tue, 01 Jan 2030 10:00:00 GMT trailing"));
}

}  // namespace
}  // namespace visor::odoo
