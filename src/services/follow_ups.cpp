#include "services/follow_ups.hpp"

#include <boost/json/serialize.hpp>

#include "domain/steps.hpp"
#include "services/task_internal.hpp"
#include "storage/task_steps.hpp"
#include "sync/changes.hpp"
#include "util/error.hpp"
#include "util/html.hpp"

namespace visor::services {
namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::size_t kMaxNote = 4000;

std::string id_text(TaskId id) { return std::to_string(id.value); }

std::string locale_of(Tx& tx, const Caller& caller) {
  if (caller.actor.user.value <= 0) return "en";
  const auto u = tx.users().get(caller.actor.user);
  return u ? u->locale : "en";
}

// The step's photos go with the follow-up: the same stored files (they are
// content-addressed), new media rows on the new task.
void carry_photos(Tx& tx, const Task& origin, int number, const Task& follow_up, TimePoint at) {
  for (const WorkLogEntry& e : tx.tasks().work_log(origin.id)) {
    if (e.kind != WorkLogKind::photo || e.step != number || !e.media) continue;
    const auto media = tx.media().get(*e.media);
    if (!media) continue;
    Media copy = *media;
    copy.task_id = follow_up.id;
    tx.media().insert(copy);
    WorkLogEntry photo;
    photo.task_id = follow_up.id;
    photo.user_id = e.user_id;
    photo.kind = WorkLogKind::photo;
    photo.at = at;
    photo.media = copy.id;
    tx.tasks().append_log(photo);
  }
}

}  // namespace

TaskDetail raise_follow_up(Deps& deps, const Caller& caller, TaskId origin_id, int number, const FollowUpRequest& r) {
  if (r.title && (r.title->empty() || r.title->size() > 200)) invalid("title must be 1 to 200 characters.");
  if (r.note && r.note->size() > kMaxNote) invalid("note must be at most 4000 bytes.");
  if (r.priority < kMinPriority || r.priority > kMaxPriority) invalid("priority must be between 0 and 3.");
  const TimePoint now = deps.clock.now();
  const TimePoint at = floor_action_time(r.opts, now);
  return deps.store.write_value([&](Tx& tx) {
    const Task origin = load_visible_task(tx, caller, origin_id);
    if (!can_execute(caller.actor, origin))
      fail(ErrorCode::forbidden, "Only the assigned technician or a manager can raise follow-ups.");
    const std::vector<Step> steps = tx.tasks().steps(origin_id);
    if (number < 1 || number > int(steps.size()))
      not_found("Task " + id_text(origin_id) + " has no step " + std::to_string(number) + ".");
    const Step& step = steps[std::size_t(number - 1)];
    if (!log_floor_action(tx, caller, origin_id, WorkLogKind::follow_up, at, r.opts, number, r.title.value_or("")))
      return load_task_detail(tx, origin_id, now);  // a replay
    if (step_flag(step) == StepFlag::none)
      fail(ErrorCode::conflict, "Step " + std::to_string(number) +
                                    " has no FLAG, FAIL or value out of range: report a problem instead.");
    if (const auto existing = tx.follow_ups().of_step(origin_id, number))
      fail(ErrorCode::conflict, "Step " + std::to_string(number) + " already has follow-up task " +
                                    id_text(existing->task_id) + ".");
    const StageSet stages(tx.catalog().stages());
    if (!stages.first()) fail(ErrorCode::conflict, "No stages exist yet.");

    const FollowUpText text = follow_up_text(origin, step, locale_of(tx, caller));
    Task t;
    t.title = r.title.value_or(text.title);
    t.description = text.description;
    if (r.note && !r.note->empty()) t.description += "<p>" + escape_html(*r.note) + "</p>";
    t.type = MaintenanceType::corrective;
    t.priority = r.priority;
    t.equipment_id = origin.equipment_id;
    t.team_id = origin.team_id;
    if (!t.team_id && t.equipment_id)
      if (auto eq = tx.equipment().get(*t.equipment_id)) t.team_id = eq->team_id;
    t.stage_id = *stages.first();
    t.request_date = std::chrono::floor<std::chrono::days>(now);
    if (caller.actor.user.value > 0) t.reported_by = caller.actor.user;
    t.created_at = t.updated_at = now;
    validate(t);
    // A report from the floor, like any other: unassigned, in the first
    // stage, for the planners to triage.
    tx.tasks().insert(t);
    storage::rebuild_task_steps(tx, t);
    tx.follow_ups().insert({t.id, origin_id, number, now});
    carry_photos(tx, origin, number, t, at);
    sync::follow_up_created(tx, t, origin, number, now);
    audit(tx, caller, now, "task.follow_up", "task", id_text(t.id),
          json::serialize(json::object{{"origin_id", origin_id.value}, {"step", number}}));
    publish_task_change(deps, tx, "task.created", t, {{"follow_up_of", origin_id.value}, {"step", number}});
    publish_task_change(deps, tx, "task.changed", origin, {{"action", "follow_up"}, {"follow_up_id", t.id.value}});
    return load_task_detail(tx, origin_id, now);
  });
}

}  // namespace visor::services
