#pragma once
// Odoo records → Visor's model, one place per model (Visor → Odoo for tasks:
// task_values.hpp). Pure functions over the
// JSON values the transport returns (both protocols give the same shapes):
// `false` is Odoo's empty value, a many2one is `[id, "display name"]`,
// datetimes are naive UTC "YYYY-MM-DD HH:MM:SS", dates "YYYY-MM-DD".
//
// Reading is strict: a value of the wrong type, an unknown selection value or
// a malformed date throws MappingError naming model, record, field and value
// (the pull counts it in a metric and skips that record; it never guesses).
// Odoo's own empty values map as documented in docs/decisions/0003-sync-mapping.md:
//   priority false → 0 (very low: Odoo's priority widget shows it as no star)
//   maintenance_type false → corrective, repeat_unit false → week,
//   repeat_type false → forever (Odoo's field defaults)
//   instruction_type text with empty text → no instructions
// Relations stay Odoo ids here; the pull resolves them to local ids.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "connectors/odoo/dialect.hpp"
#include "domain/model.hpp"

namespace visor::odoo {

/// A record Visor cannot map. `what()` names model, id, field and value.
class MappingError : public std::runtime_error {
 public:
  MappingError(std::string model, std::int64_t record, std::string field, const std::string& problem);
  const std::string& model() const { return model_; }
  const std::string& field() const { return field_; }
  std::int64_t record() const { return record_; }

 private:
  std::string model_;
  std::int64_t record_;
  std::string field_;
};

// --- records as Odoo holds them (relations as Odoo ids) ---------------------

struct RemoteStage {
  OdooId id;
  std::string name;
  int sequence = 0;
  bool done = false;
  bool folded = false;
};

struct RemoteTeam {
  OdooId id;
  std::string name;
};

struct RemoteCategory {
  OdooId id;
  std::string name;
  std::optional<OdooId> technician;
};

struct RemoteUser {
  OdooId id;
  std::string login;
  std::string name;
  std::string email;
  bool active = true;
};

struct RemoteEquipment {
  OdooId id;
  std::string name;
  std::string serial_no;
  std::string model;
  std::optional<OdooId> category;
  std::optional<OdooId> technician;
  std::optional<OdooId> team;
  std::string note;
  /// Odoo up to 18 only; on 19 Visor keeps its own location.
  std::optional<std::string> location;
  bool active = true;
};

struct RemoteRequest {
  OdooId id;
  std::string title;
  /// HTML, without the Visor reference paragraph (see visor_ref).
  std::string description;
  /// The idempotency reference Visor put in the description when it created
  /// the record ("VSR-42-<key>"), if any.
  std::string visor_ref;
  std::optional<Date> request_date;
  std::optional<Date> close_date;
  std::optional<TimePoint> schedule_start;
  std::optional<TimePoint> schedule_end;
  Priority priority = 0;
  std::optional<OdooId> stage;
  std::optional<OdooId> user;
  std::optional<OdooId> equipment;
  std::optional<OdooId> team;
  MaintenanceType type = MaintenanceType::corrective;
  bool archived = false;
  Instructions instructions;
  Recurrence recurrence;
};

/// Common to all: the record's id and write_date (the pull's watermark).
struct Stamp {
  std::int64_t id = 0;
  std::optional<TimePoint> write_date;
};

// --- Odoo → Visor --------------------------------------------------------------

Stamp read_stamp(std::string_view model, const boost::json::value& record);
RemoteStage read_stage(const boost::json::object& r);
RemoteTeam read_team(const boost::json::object& r);
RemoteCategory read_category(const boost::json::object& r);
RemoteUser read_user(const boost::json::object& r);
RemoteEquipment read_equipment(const boost::json::object& r);
/// `odoo_base_url` makes the link of a PDF instruction
/// (<base>/web/content/maintenance.request/<id>/instruction_pdf). `dialect`
/// says where the end is (schedule_end in 19+, schedule_date + duration
/// before) and whether instructions and recurrence are there to read.
RemoteRequest read_request(const boost::json::object& r, std::string_view odoo_base_url, const Dialect& dialect);

/// Odoo's '0'..'3' (false → 0). Throws MappingError otherwise.
Priority read_priority(const boost::json::value& v, std::int64_t record);

// --- Visor → Odoo --------------------------------------------------------------

/// false or "YYYY-MM-DD HH:MM:SS" — the only datetime form Odoo accepts.
boost::json::value datetime_value(const std::optional<TimePoint>& t);
boost::json::value date_value(const std::optional<Date>& d);
/// "0".."3".
boost::json::value priority_value(Priority p);
/// false for "" (Odoo's empty char/html).
boost::json::value text_value(const std::string& s);

/// The reference Visor writes into what it creates in Odoo — a request's
/// description, a chatter note's body — and the HTML paragraph carrying it.
/// Searching for the reference finds the record again after an uncertain
/// attempt (docs/decisions/0005-sync-idempotency.md). `kind` is 'T' (task)
/// or 'M' (outbox message); e.g. "VSR-T42-3f9a…".
std::string make_visor_ref(char kind, std::int64_t id, std::string_view idempotency_key);
std::string visor_ref_paragraph(std::string_view ref);
/// Splits a description into the text without Visor's reference paragraph
/// and the reference (empty when there is none).
std::pair<std::string, std::string> split_visor_ref(std::string_view html);

}  // namespace visor::odoo
