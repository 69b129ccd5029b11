#pragma once
// Machines: listing, the machine page (open work and history), lookup by the
// code on its QR label, and planners' edits (Visor keeps its own location,
// which Odoo 19 no longer has).
#include <optional>
#include <string>
#include <vector>

#include "auth/throttle.hpp"
#include "services/context.hpp"

namespace visor::services {

struct EquipmentDetail {
  Equipment equipment;
  std::string category_name;
  std::vector<storage::TaskRow> open_tasks;  // within the caller's scope
  std::vector<storage::TaskRow> history;     // recent done tasks, newest first
};

struct EquipmentChanges {
  std::optional<std::string> name;
  std::optional<std::string> serial_no;
  std::optional<std::string> model;
  std::optional<std::optional<CategoryId>> category_id;
  std::optional<std::string> location;
  std::optional<std::optional<UserId>> technician_id;
  std::optional<std::optional<TeamId>> team_id;
  std::optional<std::string> note;
  std::optional<bool> active;
};

/// A machine's service history, for the technician standing at it: the done
/// work of everyone (not only the caller's), newest first; the last job and
/// the last preventive one; who looks after the machine.
struct EquipmentHistory {
  std::vector<storage::TaskRow> items;             // at most the limit asked for
  std::optional<storage::TaskRow> last_done;       // the newest done job
  std::optional<storage::TaskRow> last_preventive; // the newest done preventive job
  std::optional<User> technician;                  // responsible technician
  std::optional<Team> team;
};

/// What anyone may learn from a QR label: enough to report a problem.
struct PublicEquipment {
  std::string code;
  std::string name;
  std::string location;
};

std::vector<storage::EquipmentRow> list_equipment(Deps& deps, const Caller& caller, storage::EquipmentQuery query);
EquipmentDetail get_equipment(Deps& deps, const Caller& caller, EquipmentId id);
EquipmentDetail get_equipment_by_code(Deps& deps, const Caller& caller, const std::string& code);
/// Unknown codes asked for per address before further lookups are refused:
/// a label's code is not guessable, and this keeps it so.
inline constexpr auth::ThrottleRule kPublicCardMisses{20, std::chrono::minutes(15)};
/// The public card behind a label. An unknown code counts against
/// kPublicCardMisses for `remote_addr` (atomically); beyond it every lookup
/// from that address is auth::RateLimited until the window passes.
PublicEquipment public_equipment(Deps& deps, const std::string& code, const std::string& remote_addr);
/// The history of machine `id`; `limit` 1–50 items (invalid_input otherwise),
/// not_found for an unknown machine. The last jobs are looked for among the
/// machine's 200 most recently changed tasks.
EquipmentHistory equipment_history(Deps& deps, const Caller& caller, EquipmentId id, int limit);
EquipmentDetail create_equipment(Deps& deps, const Caller& caller, const EquipmentChanges& changes);
EquipmentDetail update_equipment(Deps& deps, const Caller& caller, EquipmentId id, const EquipmentChanges& changes,
                                 std::optional<std::int64_t> expected_version);

/// A new QR code: "M-" and 8 characters of an unambiguous alphabet.
std::string new_equipment_code();
/// Codes are 3–40 characters of [A-Za-z0-9._-].
bool valid_equipment_code(std::string_view code);

}  // namespace visor::services
