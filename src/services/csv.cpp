#include "services/csv.hpp"

#include <cmath>
#include <cstdio>

namespace visor::services {

std::string csv_text_cell(std::string_view value, char separator) {
  std::string cell;
  cell.reserve(value.size() + 2);
  if (!value.empty()) {
    const char c = value.front();
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') cell.push_back('\'');
  }
  cell.append(value);
  const char specials[] = {separator, '"', '\r', '\n', '\0'};
  if (cell.find_first_of(specials) == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

CsvWriter::CsvWriter(bool bom, char separator, char decimal_point) : separator_(separator), decimal_point_(decimal_point) {
  if (bom) out_ = "\xEF\xBB\xBF";
}

void CsvWriter::separator() {
  if (row_started_) out_.push_back(separator_);
  row_started_ = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
  separator();
  out_.append(csv_text_cell(value, separator_));
  return *this;
}

CsvWriter& CsvWriter::number(std::int64_t value) {
  separator();
  out_.append(std::to_string(value));
  return *this;
}

CsvWriter& CsvWriter::decimal(double value, int decimals) {
  separator();
  if (!std::isfinite(value)) return *this;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  for (char* c = buf; *c; ++c)
    if (*c == '.') *c = decimal_point_;
  out_.append(buf);
  return *this;
}

CsvWriter& CsvWriter::time(std::optional<TimePoint> value) {
  separator();
  if (value) out_.append(format_iso8601(*value));
  return *this;
}

CsvWriter& CsvWriter::time(std::optional<TimePoint> value, const PlantZone& zone) {
  separator();
  if (value) out_.append(zone.wall_clock(*value));
  return *this;
}

CsvWriter& CsvWriter::empty() {
  separator();
  return *this;
}

CsvWriter& CsvWriter::end_row() {
  out_.append("\r\n");
  row_started_ = false;
  return *this;
}

}  // namespace visor::services
