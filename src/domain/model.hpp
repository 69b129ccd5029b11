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

/// Where a task's step comes from.
enum class StepOrigin { instructions, procedure };

/// One instruction step of a task, numbered from 1, with its result. What
/// it asks for (`kind` and its details) is fixed when the step is built; the
/// result (done, value, note) is the technician's.
struct Step {
  int number = 0;
  std::string text;
  StepKind kind = StepKind::instruction;
  /// kind == number (kept for clients that predate typed steps).
  bool wants_value = false;
  std::string unit;  // "bar", "litres", … when known
  std::optional<double> min;  // number: the expected range, when known
  std::optional<double> max;
  std::vector<std::string> options;  // choice: the answers offered
  /// The step must be answered before the task can be completed (typed steps).
  bool required = false;
  std::string meter;  // number: also a reading of the machine's meter of this name
  StepOrigin origin = StepOrigin::instructions;
  bool done = false;
  std::string note;
  /// The answer: a measured value as entered ("3.2 bar"), a check's
  /// "pass" / "flag" / "fail", the option chosen, or the text typed.
  std::string value;
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

/// A reusable procedure for a machine category or one machine, written in the
/// plain-text step convention (docs/procedures.md). Every save is a new
/// version; a started task keeps the steps of the version it started with.
struct Procedure {
  ProcedureId id;
  std::string name;
  std::optional<CategoryId> category_id;   // one of category or equipment
  std::optional<EquipmentId> equipment_id;
  std::optional<MaintenanceType> type;     // nullopt: any kind of work
  bool active = true;
  int version = 0;   // the current version
  std::string text;  // the current version's steps, in the convention
  TimePoint updated_at{};
  std::optional<UserId> updated_by;
};

/// One saved version of a procedure's text.
struct ProcedureVersion {
  int version = 0;
  std::string text;
  TimePoint created_at{};
  std::optional<UserId> created_by;
};

/// The procedure a task's steps were built from, and the sign-off it asks
/// for (from the procedure or the instructions' own "[sign-off]").
struct TaskProcedure {
  std::optional<ProcedureId> procedure_id;
  int version = 0;
  SignOff signoff = SignOff::none;
};

/// A task's sign-off: the technician's confirmation and, where the procedure
/// asks, a supervisor's approval.
struct TaskSignOff {
  std::string signature;  // what the technician said or typed
  std::optional<UserId> signed_by;
  std::optional<TimePoint> signed_at;
  std::optional<UserId> approved_by;
  std::optional<TimePoint> approved_at;
  std::string approval_comment;
};

/// A corrective task raised from a step of another task.
struct FollowUp {
  TaskId task_id;    // the follow-up
  TaskId origin_id;  // the task it came from
  int origin_step = 0;
  TimePoint created_at{};
};

}  // namespace visor
