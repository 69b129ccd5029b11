#pragma once
// The words of the exports, in each language the console speaks (English,
// French): column headings and the values people read in a spreadsheet
// (priority, type, floor status, work-log kind, yes/no). The console's
// catalogues hold the same words for the screens; these are the files'.
#include <string>
#include <string_view>

#include "domain/enums.hpp"
#include "domain/model.hpp"

namespace visor::services {

struct ExportWords {
  std::string_view lang;       // "en", "fr"
  char separator;              // ',' — ';' in French, where ',' is the decimal mark
  char decimal_point;          // '.' or ','
  /// A heading by its key ("title", "schedule_start" …); the key itself
  /// when the table lacks it.
  std::string_view heading(std::string_view key) const;
  std::string_view priority(Priority p) const;
  std::string_view type(MaintenanceType t) const;
  std::string_view execution(Execution e) const;
  std::string_view kind(WorkLogKind k) const;
  std::string_view yes_no(bool v) const;
  std::string_view total() const;
};

/// The words of `lang` ("en" or "fr"); English for anything else.
const ExportWords& export_words(std::string_view lang);

}  // namespace visor::services
