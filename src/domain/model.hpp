#pragma once
// The records Visor keeps. One model for every backend and for the CMMS
// mapping; storage and connectors convert to and from these, nothing else.
// Times are UTC whole seconds; `version` counts local modifications and backs
// optimistic concurrency (HTTP If-Match).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/enums.hpp"
#include "domain/ids.hpp"
#include "util/time.hpp"

namespace visor {

/// 0 very low, 1 low, 2 normal, 3 high (Odoo's '0'..'3').
using Priority = int;
constexpr Priority kMinPriority = 0;
constexpr Priority kMaxPriority = 3;

struct Stage {
  StageId id;
  std::optional<OdooId> odoo_id;
  std::string name;  // display only: never used to recognise a stage
  int sequence = 0;
  bool done = false;
  bool folded = false;
};

struct Team {
  TeamId id;
  std::optional<OdooId> odoo_id;
  std::string name;
};

struct Category {
  CategoryId id;
  std::optional<OdooId> odoo_id;
  std::string name;
  std::optional<UserId> technician_id;
};

struct User {
  UserId id;
  std::optional<OdooId> odoo_id;
  std::string login;  // unique, case-insensitive
  std::string name;
  std::string email;
  Role role = Role::technician;
  std::optional<TeamId> team_id;
  std::string locale = "en";  // "en" or "fr"
  bool active = true;
  TimePoint created_at{};
};

struct Equipment {
  EquipmentId id;
  std::optional<OdooId> odoo_id;
  std::string name;
  std::string serial_no;
  std::string model;
  std::optional<CategoryId> category_id;
  std::string location;  // Visor's own (Odoo 19 has none)
  std::optional<UserId> technician_id;
  std::optional<TeamId> team_id;
  std::string note;  // sanitised HTML from the CMMS or plain text
  /// The identity printed on the machine's QR label; unique, URL-safe.
  std::string code;
  bool active = true;
  std::int64_t version = 1;
  TimePoint updated_at{};
};

struct Instructions {
  InstructionKind kind = InstructionKind::none;
  std::string text;  // HTML (kind text)
  std::string url;   // kind pdf (a link Visor serves) or google_slide
};

struct Recurrence {
  bool enabled = false;
  int interval = 1;  // >= 1
  RepeatUnit unit = RepeatUnit::week;
  RepeatType type = RepeatType::forever;
  std::optional<Date> until;
};

/// A maintenance request: the unit of work a technician carries out.
struct Task {
  TaskId id;
  std::optional<OdooId> odoo_id;
  std::string title;
  std::string description;  // HTML or text
  std::optional<EquipmentId> equipment_id;
  std::optional<UserId> assignee_id;
  std::optional<TeamId> team_id;
  StageId stage_id;
  Priority priority = 1;
  MaintenanceType type = MaintenanceType::corrective;
  std::optional<Date> request_date;
  std::optional<TimePoint> schedule_start;
  std::optional<TimePoint> schedule_end;
  std::optional<Date> close_date;
  Instructions instructions;
  Recurrence recurrence;
  bool archived = false;
  Execution execution = Execution::not_started;
  /// Who reported it (a user, or empty for the public report form).
  std::optional<UserId> reported_by;
  std::string reporter_contact;  // free text from the public form
  std::int64_t version = 1;
  TimePoint created_at{};
  TimePoint updated_at{};
};

/// One instruction step of a task, numbered from 1, with its result.
struct Step {
  int number = 0;
  std::string text;
  /// The step asks for a measured value (e.g. "Measure the pump pressure (bar)").
  bool wants_value = false;
  std::string unit;  // "bar", "litres", … when known
  bool done = false;
  std::string note;
  std::string value;  // a measured value as entered ("3.2 bar")
  std::optional<TimePoint> done_at;
  std::optional<UserId> done_by;
};

/// What happened on a task, who did it and when. Entries recorded offline
/// keep the time they happened (`at`), not the time they arrived.
struct WorkLogEntry {
  std::int64_t id = 0;
  TaskId task_id;
  std::optional<UserId> user_id;
  WorkLogKind kind = WorkLogKind::note;
  TimePoint at{};
  std::optional<int> step;       // step_done, measurement, photo
  std::string text;              // note text
  std::string value;             // measurement
  std::optional<MediaId> media;  // photo
  /// The client's id for this action, making replays idempotent.
  std::string client_action_id;
};

/// A stored photo or attachment (bytes live in the data directory).
struct Media {
  MediaId id;
  TaskId task_id;
  std::string content_type;  // image/jpeg, image/png, image/webp
  std::int64_t size = 0;
  std::string sha256;
  std::optional<UserId> uploaded_by;
  TimePoint created_at{};
};

}  // namespace visor
