#include "sync/removal.hpp"

#include <boost/json/serialize.hpp>

#include "sync/undelivered.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::sync {
namespace json = boost::json;

namespace {

void remove_task(storage::Tx& tx, events::EventBus& bus, TimePoint now, SyncMetrics* metrics, std::int64_t local_id) {
  auto task = tx.tasks().get(TaskId(local_id));
  if (!task) return;
  const bool has_work = !tx.tasks().work_log(task->id).empty() || load_undelivered(tx).task(task->id) != nullptr;
  const std::int64_t version = task->version;
  task->odoo_id.reset();
  task->archived = true;
  task->updated_at = now;
  tx.tasks().update(*task, version);
  if (has_work) {
    storage::Conflict c;
    c.task_id = task->id;
    c.field = "deleted";
    c.local_value = "work recorded in Visor kept";
    c.remote_value = "deleted in the CMMS";
    c.resolution = "local_kept";
    c.at = now;
    tx.sync().add_conflict(c);
    if (metrics) metrics->conflicts.with({"deleted", "local_kept"}).inc();
  }
  events::Audience a;
  if (task->assignee_id) a.users.push_back(*task->assignee_id);
  a.team = task->team_id;
  tx.after_commit([&bus, id = task->id, a] {
    bus.publish("task.deleted", json::serialize(json::object{{"id", id.value}, {"source", "cmms"}}), a);
  });
}

void remove_one(storage::Tx& tx, events::EventBus& bus, TimePoint now, SyncMetrics* metrics, RecordKind kind,
                std::int64_t local_id) {
  switch (kind) {
    case RecordKind::task: remove_task(tx, bus, now, metrics, local_id); return;
    case RecordKind::equipment: {
      auto e = tx.equipment().get(EquipmentId(local_id));
      if (!e) return;
      const auto version = e->version;
      e->odoo_id.reset();
      e->active = false;
      e->updated_at = now;
      tx.equipment().update(*e, version);
      return;
    }
    case RecordKind::stage: tx.catalog().remove_stage(StageId(local_id)); return;
    case RecordKind::team:
      if (auto t = tx.catalog().team(TeamId(local_id))) {
        t->odoo_id.reset();
        tx.catalog().save_team(*t);
      }
      return;
    case RecordKind::category:
      for (auto c : tx.catalog().categories()) {
        if (c.id.value != local_id) continue;
        c.odoo_id.reset();
        tx.catalog().save_category(c);
      }
      return;
    case RecordKind::user:
      if (auto u = tx.users().get(UserId(local_id))) {
        u->odoo_id.reset();
        tx.users().update(*u);
      }
      return;
  }
}

}  // namespace

void remove_gone(storage::Store& store, events::EventBus& bus, const IClock& clock, SyncMetrics* metrics,
                 const std::string& model, RecordKind kind, const std::vector<GoneRecord>& gone, ModelPull& out) {
  for (const GoneRecord& g : gone) {
    const TimePoint now = clock.now();
    try {
      store.write([&](storage::Tx& tx) {
        remove_one(tx, bus, now, metrics, kind, g.local_id);
        if (kind != RecordKind::stage) tx.sync().remember_unlinked(model, g.cmms_id, g.local_id, now);
      });
      ++out.removed;
      if (metrics) metrics->records.with({model, "removed"}).inc();
    } catch (const Error& e) {
      // e.g. a stage still used by tasks: keep it, say so.
      log::warn("sync", "cannot remove a record deleted in the CMMS",
                {{"model", model}, {"id", std::to_string(g.local_id)}, {"error", e.detail()}});
    }
  }
  if (!gone.empty() && kind != RecordKind::task) {
    events::Audience everyone;
    everyone.everyone = true;
    bus.publish("catalog.changed", json::serialize(json::object{{"model", model}}), everyone);
  }
}

}  // namespace visor::sync
