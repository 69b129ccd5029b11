#include "connectors/odoo/dialect.hpp"

#include "sync/errors.hpp"

namespace visor::odoo {
namespace {

using sync::CmmsError;

const std::vector<std::string> kInstructionFields{"instruction_type", "instruction_text", "instruction_google_slide"};
const std::vector<std::string> kRecurrenceFields{"recurring_maintenance", "repeat_interval", "repeat_unit",
                                                 "repeat_type", "repeat_until"};

// What every supported Odoo has; the version-specific ones are added by
// Dialect::fields().
const std::map<std::string, std::vector<std::string>, std::less<>> kRequired{
    {std::string(kStageModel), {"name", "sequence", "fold", "done", "write_date"}},
    {std::string(kTeamModel), {"name", "write_date"}},
    {std::string(kUserModel), {"name", "login", "email", "active", "share", "write_date"}},
    {std::string(kCategoryModel), {"name", "technician_user_id", "write_date"}},
    {std::string(kEquipmentModel),
     {"name", "active", "serial_no", "model", "category_id", "technician_user_id", "maintenance_team_id", "note",
      "write_date"}},
    {std::string(kRequestModel),
     {"name", "description", "request_date", "close_date", "schedule_date", "priority", "stage_id", "user_id",
      "equipment_id", "maintenance_team_id", "maintenance_type", "archive", "write_date"}},
};

bool has_all(const Schema& schema, const std::vector<std::string>& fields) {
  for (const auto& f : fields)
    if (!schema.count(f)) return false;
  return true;
}

std::string version_text(int major) { return major > 0 ? "Odoo " + std::to_string(major) + ".0" : "This Odoo"; }

}  // namespace

const std::vector<std::string>& Dialect::models() {
  static const std::vector<std::string> all{std::string(kStageModel),     std::string(kTeamModel),
                                            std::string(kUserModel),      std::string(kCategoryModel),
                                            std::string(kEquipmentModel), std::string(kRequestModel)};
  return all;
}

Dialect Dialect::of_version(int major) {
  Dialect d;
  d.major_ = major;
  d.schedule_end_ = major == 0 || major >= 19;
  d.location_ = major > 0 && major <= 18;
  return d;
}

Dialect Dialect::detect(int major, const std::map<std::string, Schema>& schemas) {
  for (const auto& model : models()) {
    if (!schemas.count(model)) {
      throw CmmsError(CmmsError::Kind::config, false,
                      version_text(major) + " has no model " + model + ": is the Maintenance app installed?");
    }
  }
  const Schema& requests = schemas.at(std::string(kRequestModel));
  const Schema& equipment = schemas.at(std::string(kEquipmentModel));
  if (major == 0) major = requests.count("schedule_end") ? 19 : 18;  // the server did not say
  Dialect d = of_version(major);
  // What this server really has decides where versions could differ.
  d.schedule_end_ = requests.count("schedule_end") > 0;
  d.location_ = equipment.count("location") > 0;
  d.instructions_ = has_all(requests, kInstructionFields);
  d.recurrence_ = has_all(requests, kRecurrenceFields);
  for (const auto& model : models()) {
    const Schema& schema = schemas.at(model);
    std::string missing;
    for (const auto& f : d.fields(model)) {
      if (schema.count(f)) continue;
      missing += (missing.empty() ? "" : ", ") + f;
    }
    if (!d.schedule_end_ && model == kRequestModel && schema.count("duration") && schema.at("duration")) {
      missing += std::string(missing.empty() ? "" : ", ") + "an editable duration";
    }
    if (!missing.empty()) {
      throw CmmsError(CmmsError::Kind::config, false,
                      version_text(major) + ": " + model + " lacks " + missing +
                          " — Visor needs it to sync (a customised or incomplete Maintenance app?)");
    }
  }
  return d;
}

std::vector<std::string> Dialect::fields(std::string_view model) const {
  auto it = kRequired.find(model);
  if (it == kRequired.end()) return {};
  std::vector<std::string> out = it->second;
  if (model == kEquipmentModel && location_) out.push_back("location");
  if (model == kRequestModel) {
    out.push_back(schedule_end_ ? "schedule_end" : "duration");
    if (instructions_) out.insert(out.end(), kInstructionFields.begin(), kInstructionFields.end());
    if (recurrence_) out.insert(out.end(), kRecurrenceFields.begin(), kRecurrenceFields.end());
  }
  return out;
}

}  // namespace visor::odoo
