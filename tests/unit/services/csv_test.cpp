// CsvWriter: RFC 4180 quoting and the formula-injection guard.
#include <gtest/gtest.h>

#include "services/csv.hpp"

namespace visor::services {
namespace {

TEST(Csv, PlainCellsAreWrittenAsIs) {
  EXPECT_EQ(csv_text_cell("Pump 7"), "Pump 7");
  EXPECT_EQ(csv_text_cell(""), "");
  EXPECT_EQ(csv_text_cell("Vérifier l'huile — 3.2 bar"), "Vérifier l'huile — 3.2 bar");
}

TEST(Csv, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(csv_text_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_text_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_text_cell("line 1\nline 2"), "\"line 1\nline 2\"");
  EXPECT_EQ(csv_text_cell("cr\rhere"), "\"cr\rhere\"");
}

TEST(Csv, FormulaLookingTextIsNeutralised) {
  EXPECT_EQ(csv_text_cell("=SUM(A1:A9)"), "'=SUM(A1:A9)");
  EXPECT_EQ(csv_text_cell("+33 6 12"), "'+33 6 12");
  EXPECT_EQ(csv_text_cell("-2+3"), "'-2+3");
  EXPECT_EQ(csv_text_cell("@cmd"), "'@cmd");
  EXPECT_EQ(csv_text_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_text_cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv_text_cell("a=b"), "a=b");  // only a leading sign is dangerous
}

TEST(Csv, RowsNumbersTimesAndTheBom) {
  CsvWriter csv;
  csv.text("id").text("title").text("when").end_row();
  csv.number(-5).text("-5").time(from_unix(0)).end_row();
  csv.number(7).empty().time(std::nullopt).end_row();
  csv.decimal(2.0 / 3.0, 2).decimal(1.0 / 0.0, 2).end_row();
  EXPECT_EQ(csv.str(),
            "\xEF\xBB\xBFid,title,when\r\n"
            "-5,'-5,1970-01-01T00:00:00Z\r\n"  // a number stays a number; text "-5" is guarded
            "7,,\r\n"
            "0.67,\r\n");
  EXPECT_EQ(CsvWriter(false).text("x").end_row().str(), "x\r\n");
}

}  // namespace
}  // namespace visor::services
