#pragma once
// One dialect per Odoo version: what differs between Odoo 16, 17, 18 and 19
// in the fields and methods Visor uses, chosen from the version the server
// reports and checked against its schema (fields_get) at connect time.
//
//                        16          17          18          19+
//   protocol (auto)      XML-RPC     XML-RPC     XML-RPC     JSON-2
//   request end          duration (hours, editable)          schedule_end; duration computed
//   equipment location   yes         yes         yes         no (Visor keeps its own)
//   message_post         body is HTML body_is_html=True from 17
//   message_post answers the id      the id      the id      [id]
//   search domain kw     `args`      `domain`    `domain`    `domain`
//
// (The XML-RPC transport passes search domains and create/write values
// positionally, which every version accepts; see xmlrpc_transport.hpp.)
// The instruction and recurrence fields are read and written only when the
// server has them. A model or field Visor needs that the server lacks is a
// clear configuration error naming it.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace visor::odoo {

inline constexpr std::string_view kRequestModel = "maintenance.request";
inline constexpr std::string_view kEquipmentModel = "maintenance.equipment";
inline constexpr std::string_view kStageModel = "maintenance.stage";
inline constexpr std::string_view kTeamModel = "maintenance.team";
inline constexpr std::string_view kCategoryModel = "maintenance.equipment.category";
inline constexpr std::string_view kUserModel = "res.users";

/// A model's fields as fields_get describes them: name → readonly.
using Schema = std::map<std::string, bool>;

class Dialect {
 public:
  /// The models Visor pulls, in dependency order (referenced models first).
  static const std::vector<std::string>& models();

  /// The dialect of Odoo `major` (0 when the server did not say: taken from
  /// the schema) for the schemas of models(). Throws CmmsError(config) naming
  /// the model or fields that are missing.
  static Dialect detect(int major, const std::map<std::string, Schema>& schemas);

  /// The dialect of a version without checking a schema (tests, benchmarks).
  static Dialect of_version(int major);

  int major() const { return major_; }
  /// Requests have schedule_end, and duration is computed from it (19+);
  /// before, the end is schedule_date + duration (hours).
  bool has_schedule_end() const { return schedule_end_; }
  bool equipment_has_location() const { return location_; }
  bool has_instructions() const { return instructions_; }
  bool has_recurrence() const { return recurrence_; }
  /// message_post takes `body_is_html` (17+); 16 takes every body as HTML.
  bool has_body_is_html() const { return major_ == 0 || major_ >= 17; }

  /// The fields read for `model`, write_date included.
  std::vector<std::string> fields(std::string_view model) const;

 private:
  int major_ = 0;
  bool schedule_end_ = true;
  bool location_ = false;
  bool instructions_ = true;
  bool recurrence_ = true;
};

}  // namespace visor::odoo
