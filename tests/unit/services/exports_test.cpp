// Exports: CSV for people — words in their language, the language's
// spreadsheet conventions, times on the plant's clock, formulas guarded —
// and JSON for tools with the plant's offset; planners only.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "fixture.hpp"
#include "services/exports.hpp"
#include "services/tasks.hpp"

namespace visor::services::test {
namespace {
namespace json = boost::json;
using std::chrono::days;
using std::chrono::hours;

class Exports : public ServicesTest {
 protected:
  storage::ExportQuery period() const { return {{}, kNow - days(1), kNow + days(1)}; }
  ExportFormat format(std::string lang, std::string_view zone) const { return ExportFormat{std::move(lang), PlantZone::load(zone)}; }
  TaskId task(const std::string& title, int priority = 3) {
    auto d = deps();
    TaskChanges c;
    c.title = title;
    c.priority = priority;
    c.schedule_start = std::optional<TimePoint>(kNow);  // noon UTC
    return create_task(d, manager(), c).row.task.id;
  }
};

TEST_F(Exports, OnlyPlannersExport) {
  auto d = deps();
  expect_error(ErrorCode::forbidden, [&] { tasks_csv(d, technician(), period(), format("en", "UTC")); });
  expect_error(ErrorCode::forbidden, [&] { worklog_csv(d, technician(), period(), format("en", "UTC")); });
  expect_error(ErrorCode::forbidden, [&] { tasks_json(d, technician(), period(), PlantZone::load("UTC")); });
  expect_error(ErrorCode::forbidden, [&] { worklog_json(d, technician(), period(), PlantZone::load("UTC")); });
  expect_error(ErrorCode::invalid_input, [&] { PlantZone::load("Mars/Olympus"); });
}

TEST_F(Exports, EnglishCsvSaysItInWordsOnThePlantsClockAndGuardsFormulas) {
  auto d = deps();
  task("=cmd|' /C calc'!A0");
  const std::string csv = tasks_csv(d, manager(), period(), format("en", "America/New_York"));
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFTask,Odoo request,Title,Type,Priority,", 0), 0u) << csv;
  EXPECT_NE(csv.find("Scheduled start (America/New_York)"), std::string::npos);
  // Noon UTC is 8 a.m. in New York in September (EDT); an hour long by default.
  EXPECT_NE(csv.find(",'=cmd|' /C calc'!A0,Corrective,High,New,No,Not started,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",2026-09-22 08:00,2026-09-22 09:00,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",=cmd"), std::string::npos);
}

TEST_F(Exports, FrenchCsvUsesSemicolonsDecimalCommasAndFrenchWords) {
  auto d = deps();
  task("Fuite; vanne", 0);
  const std::string csv = tasks_csv(d, manager(), period(), format("fr", "Europe/Paris"));
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFTâche;Demande Odoo;Titre;Type;Priorité;", 0), 0u) << csv;
  EXPECT_NE(csv.find(";\"Fuite; vanne\";Corrective;Très basse;New;Non;Pas commencée;"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Début prévu (Europe/Paris)"), std::string::npos);
  EXPECT_NE(csv.find(";2026-09-22 14:00;2026-09-22 15:00;"), std::string::npos) << csv;  // summer time: UTC+2
  // The caller's own language when none is asked for.
  store_->write([&](storage::Tx& tx) {
    User u = *tx.users().get(manager_id_);
    u.locale = "fr";
    tx.users().update(u);
  });
  EXPECT_EQ(tasks_csv(d, manager(), period(), format("", "UTC")).rfind("\xEF\xBB\xBFTâche;", 0), 0u);
}

TEST_F(Exports, JsonHoldsTheSameRowsWithThePlantsOffset) {
  auto d = deps();
  const TaskId id = task("Valve");
  const json::value doc = json::parse(tasks_json(d, manager(), period(), PlantZone::load("Europe/Paris")));
  EXPECT_EQ(doc.at("timezone").as_string(), "Europe/Paris");
  const json::array& items = doc.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_int64(), id.value);
  EXPECT_EQ(items[0].at("priority").as_int64(), 3);
  EXPECT_EQ(items[0].at("execution").as_string(), "not_started");
  EXPECT_EQ(items[0].at("schedule_start").as_string(), "2026-09-22T14:00:00+02:00");
  EXPECT_EQ(parse_iso8601(std::string(items[0].at("schedule_start").as_string())), kNow);
}

TEST(PlantZoneTest, WallClockAndOffsetAcrossSummerTime) {
  const PlantZone paris = PlantZone::load("Europe/Paris");
  const TimePoint winter = *parse_iso8601("2026-12-10T08:00:00Z");
  const TimePoint summer = *parse_iso8601("2026-07-10T08:00:00Z");
  EXPECT_EQ(paris.wall_clock(winter), "2026-12-10 09:00");
  EXPECT_EQ(paris.iso(winter), "2026-12-10T09:00:00+01:00");
  EXPECT_EQ(paris.iso(summer), "2026-07-10T10:00:00+02:00");
  EXPECT_EQ(paris.date(*parse_iso8601("2026-12-10T23:30:00Z")), "2026-12-11");
  EXPECT_EQ(PlantZone::load("America/St_Johns").iso(winter), "2026-12-10T04:30:00-03:30");
  EXPECT_TRUE(PlantZone::exists("UTC"));
  EXPECT_FALSE(PlantZone::exists("Europe/Atlantis"));
}

}  // namespace
}  // namespace visor::services::test
