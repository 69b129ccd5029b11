#pragma once
// RFC 4180 CSV for the report exports: comma-separated (semicolons where
// the comma is the decimal mark, as in French spreadsheets), CRLF line ends,
// fields quoted when they hold the separator, a quote, CR or LF (quotes
// doubled).
// Text cells are guarded against formula injection: a spreadsheet would run
// a cell that starts with = + - @ (or a tab / CR), so such text gets a
// leading apostrophe. Numbers are written as numbers, never guarded.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"
#include "util/zone.hpp"

namespace visor::services {

class CsvWriter {
 public:
  /// Starts the document with a UTF-8 byte-order mark when `bom` is set, so
  /// that spreadsheet programs read accents correctly.
  explicit CsvWriter(bool bom = true, char separator = ',', char decimal_point = '.');

  /// A text cell (guarded, quoted when needed).
  CsvWriter& text(std::string_view value);
  CsvWriter& number(std::int64_t value);
  /// Fixed-point number with `decimals` digits after the point.
  CsvWriter& decimal(double value, int decimals);
  /// ISO 8601 UTC ("2026-11-25T08:30:00Z"); empty when unset.
  CsvWriter& time(std::optional<TimePoint> value);
  /// The plant's wall clock ("2026-11-25 09:30"); empty when unset.
  CsvWriter& time(std::optional<TimePoint> value, const PlantZone& zone);
  CsvWriter& empty();
  /// Ends the current record.
  CsvWriter& end_row();

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separator();
  std::string out_;
  char separator_;
  char decimal_point_;
  bool row_started_ = false;
};

/// One cell as CsvWriter::text writes it (guarded and quoted as needed).
std::string csv_text_cell(std::string_view value, char separator = ',');

}  // namespace visor::services
