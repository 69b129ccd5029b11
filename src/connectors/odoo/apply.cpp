// Applying Odoo records to the store: one function per model, each comparing
// with the local record and writing only real changes. A record Visor once
// unlinked because Odoo deleted it, and that Odoo now has again (a wrong
// deletion undone, a restore), is linked back to the same local record.
#include <sodium.h>

#include <algorithm>
#include <set>

#include "connectors/odoo/pull.hpp"
#include "connectors/odoo/pull_page.hpp"
#include "storage/task_steps.hpp"
#include "sync/task_merge.hpp"

namespace visor::odoo {
namespace json = boost::json;

namespace {

std::string new_equipment_code(storage::Tx& tx) {
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  for (;;) {
    std::string code = "M-";
    for (int i = 0; i < 8; ++i) code.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
    if (!tx.equipment().get_by_code(code)) return code;
  }
}

// The id in a reference "VSR-T42-…" when it names a task.
std::optional<TaskId> task_of_ref(const std::string& ref) {
  if (ref.size() < 6 || ref.compare(0, 5, "VSR-T") != 0) return std::nullopt;
  std::int64_t id = 0;
  std::size_t i = 5;
  for (; i < ref.size() && ref[i] >= '0' && ref[i] <= '9'; ++i) id = id * 10 + (ref[i] - '0');
  if (id <= 0 || i >= ref.size() || ref[i] != '-') return std::nullopt;
  return TaskId(id);
}

std::string key_of_ref(const std::string& ref) {
  const auto dash = ref.rfind('-');
  return dash == std::string::npos ? std::string() : ref.substr(dash + 1);
}

// The local record `id` of `model` was linked to before Odoo deleted it.
std::optional<std::int64_t> former_link(storage::Tx& tx, std::string_view model, OdooId id) {
  return tx.sync().unlinked(model, id.value);
}

}  // namespace

Task resolve_request(storage::Tx& tx, sync::Links& links, const RemoteRequest& r) {
  links.load(tx);
  Task t;
  t.odoo_id = r.id;
  t.title = r.title;
  t.description = r.description;
  const std::optional<StageId> stage = r.stage ? links.stage(*r.stage) : std::nullopt;
  if (!stage) throw MappingError(std::string(kRequestModel), r.id.value, "stage_id", "unknown stage");
  t.stage_id = *stage;
  t.assignee_id = r.user ? links.user(*r.user) : std::nullopt;
  t.equipment_id = r.equipment ? links.equipment(tx, *r.equipment) : std::nullopt;
  t.team_id = r.team ? links.team(*r.team) : std::nullopt;
  t.priority = r.priority;
  t.type = r.type;
  t.request_date = r.request_date;
  t.close_date = r.close_date;
  t.schedule_start = r.schedule_start;
  t.schedule_end = r.schedule_end;
  t.instructions = r.instructions;
  t.recurrence = r.recurrence;
  t.archived = r.archived;
  return t;
}

void Puller::apply(storage::Tx& tx, const std::string& model, const json::array& rows, Page& page) {
  links_.load(tx);
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    const auto& o = row.get_object();
    try {
      if (model == kStageModel) apply_stage(tx, o, page);
      else if (model == kTeamModel) apply_team(tx, o, page);
      else if (model == kUserModel) apply_user(tx, o, page);
      else if (model == kCategoryModel) apply_category(tx, o, page);
      else if (model == kEquipmentModel) apply_equipment(tx, o, page);
      else if (model == kRequestModel) apply_request(tx, o, page);
    } catch (const MappingError& e) {
      rejected(model, e.field(), e.what(), page);
    }
  }
  // Reference data changed: later lookups in this pull must see it.
  if (model != kRequestModel && model != kEquipmentModel) links_.reset();
}

void Puller::apply_stage(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteStage r = read_stage(row);
  std::optional<Stage> s = tx.catalog().stage_by_odoo(r.id);
  const bool is_new = !s;
  if (!s) s.emplace();
  Stage next = *s;
  next.odoo_id = r.id;
  next.name = r.name;
  next.sequence = r.sequence;
  next.done = r.done;
  next.folded = r.folded;
  if (!is_new && next.name == s->name && next.sequence == s->sequence && next.done == s->done &&
      next.folded == s->folded)
    return;
  tx.catalog().save_stage(next);
  ++(is_new ? page.stats.created : page.stats.updated);
  page.catalog = true;
}

void Puller::apply_team(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteTeam r = read_team(row);
  std::optional<Team> t = tx.catalog().team_by_odoo(r.id);
  bool relinked = false;
  if (!t) {
    if (auto former = former_link(tx, kTeamModel, r.id)) {
      if (auto local = tx.catalog().team(TeamId(*former)); local && !local->odoo_id) {
        t = local;
        relinked = true;
        tx.sync().forget_unlinked(kTeamModel, r.id.value);
      }
    }
  }
  const bool is_new = !t;
  if (!is_new && !relinked && t->name == r.name) return;
  Team next = t.value_or(Team{});
  next.odoo_id = r.id;
  next.name = r.name;
  tx.catalog().save_team(next);
  ++(is_new ? page.stats.created : page.stats.updated);
  page.catalog = true;
}

void Puller::apply_user(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteUser r = read_user(row);
  std::optional<User> u = tx.users().get_by_odoo(r.id);
  if (!u) {
    // The account Visor unlinked when Odoo deleted it, or an existing local
    // account with the same login: the same person.
    std::optional<User> same;
    if (auto former = former_link(tx, kUserModel, r.id)) same = tx.users().get(UserId(*former));
    if (!same || same->odoo_id) same = tx.users().get_by_login(r.login);
    if (same) {
      if (same->odoo_id) {
        throw MappingError(std::string(kUserModel), r.id.value, "login",
                           "login '" + r.login + "' is linked to another Odoo user");
      }
      u = same;
      u->odoo_id = r.id;
      u->name = r.name;
      if (!r.email.empty()) u->email = r.email;
      tx.users().update(*u);
      tx.sync().forget_unlinked(kUserModel, r.id.value);
      ++page.stats.updated;
      page.catalog = true;
      return;
    }
    if (!r.active) return;  // archived Odoo users are not brought in
    User n;
    n.odoo_id = r.id;
    n.login = r.login;
    n.name = r.name;
    n.email = r.email;
    n.role = Role::technician;
    n.active = true;
    n.created_at = clock_.now();
    // No password: the account is used through paired glasses, or an admin
    // sets a password.
    tx.users().insert(n, "");
    ++page.stats.created;
    page.catalog = true;
    return;
  }
  // Role, active state and login stay Visor's (an admin decides them).
  if (u->name == r.name && (r.email.empty() || u->email == r.email)) return;
  u->name = r.name;
  if (!r.email.empty()) u->email = r.email;
  tx.users().update(*u);
  ++page.stats.updated;
  page.catalog = true;
}

void Puller::apply_category(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteCategory r = read_category(row);
  std::optional<Category> c = tx.catalog().category_by_odoo(r.id);
  bool relinked = false;
  if (!c) {
    if (auto former = former_link(tx, kCategoryModel, r.id)) {
      for (const auto& local : tx.catalog().categories()) {
        if (local.id.value != *former || local.odoo_id) continue;
        c = local;
        relinked = true;
        tx.sync().forget_unlinked(kCategoryModel, r.id.value);
      }
    }
  }
  const bool is_new = !c;
  const std::optional<UserId> technician = r.technician ? links_.user(*r.technician) : std::nullopt;
  if (!is_new && !relinked && c->name == r.name && c->technician_id == technician) return;
  Category next = c.value_or(Category{});
  next.odoo_id = r.id;
  next.name = r.name;
  next.technician_id = technician;
  tx.catalog().save_category(next);
  ++(is_new ? page.stats.created : page.stats.updated);
  page.catalog = true;
}

void Puller::apply_equipment(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteEquipment r = read_equipment(row);
  std::optional<Equipment> e = tx.equipment().get_by_odoo(r.id);
  bool relinked = false;
  if (!e) {
    // A machine Visor unlinked after a deletion: it keeps its QR code.
    if (auto former = former_link(tx, kEquipmentModel, r.id)) {
      if (auto local = tx.equipment().get(EquipmentId(*former)); local && !local->odoo_id) {
        e = local;
        relinked = true;
        tx.sync().forget_unlinked(kEquipmentModel, r.id.value);
      }
    }
  }
  Equipment next = e.value_or(Equipment{});
  next.odoo_id = r.id;
  next.name = r.name;
  next.serial_no = r.serial_no;
  next.model = r.model;
  next.category_id = r.category ? links_.category(*r.category) : std::nullopt;
  next.technician_id = r.technician ? links_.user(*r.technician) : std::nullopt;
  next.team_id = r.team ? links_.team(*r.team) : std::nullopt;
  next.note = r.note;
  next.active = r.active;
  if (r.location) next.location = *r.location;  // Odoo ≤ 18; on 19 the location is Visor's own
  if (e) {
    const bool same = !relinked && next.name == e->name && next.serial_no == e->serial_no && next.model == e->model &&
                      next.category_id == e->category_id && next.technician_id == e->technician_id &&
                      next.team_id == e->team_id && next.note == e->note && next.active == e->active &&
                      next.location == e->location;
    if (same) return;
    next.updated_at = clock_.now();
    tx.equipment().update(next, e->version);
    ++(next.active || !e->active || relinked ? page.stats.updated : page.stats.removed);
    return;
  }
  next.code = new_equipment_code(tx);
  next.updated_at = clock_.now();
  tx.equipment().insert(next);
  ++page.stats.created;
}

void Puller::apply_request(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteRequest r = read_request(row, odoo_.base_url(), odoo_.dialect());
  if (!page.undelivered) page.undelivered = sync::load_undelivered(tx);
  if (!page.stages) page.stages.emplace(links_.stages());
  const sync::Undelivered& pending = *page.undelivered;

  Task remote = resolve_request(tx, links_, r);

  std::optional<Task> local = tx.tasks().get_by_odoo(r.id);
  bool linking = false;
  if (!local && pending.unlinking.count(r.id.value)) return;  // Visor is deleting it
  if (!local && !r.visor_ref.empty()) {
    // Created by Visor, whose create was answered too late to be recorded:
    // link it to the task that made it instead of importing it twice.
    if (auto task_id = task_of_ref(r.visor_ref)) {
      const sync::TaskBacklog* b = pending.task(*task_id);
      auto candidate = tx.tasks().get(*task_id);
      if (b && candidate && !candidate->odoo_id && b->create_key == key_of_ref(r.visor_ref)) {
        local = candidate;
        linking = true;
      }
    }
  }
  if (!local) {
    // A task Visor unlinked after a deletion: same id, same history.
    if (auto former = former_link(tx, kRequestModel, r.id)) {
      if (auto candidate = tx.tasks().get(TaskId(*former)); candidate && !candidate->odoo_id) {
        local = candidate;
        linking = true;
        tx.sync().forget_unlinked(kRequestModel, r.id.value);
      }
    }
  }
  const TimePoint now = clock_.now();
  if (!local) {
    remote.execution = sync::initial_execution(remote, *page.stages);
    remote.created_at = remote.updated_at = now;
    tx.tasks().insert(remote);
    storage::rebuild_task_steps(tx, remote);
    ++page.stats.created;
    page.tasks.push_back({remote.id, "task.created", remote.assignee_id, std::nullopt, remote.team_id});
    return;
  }
  const sync::TaskBacklog* backlog = pending.task(local->id);
  static const std::set<sync::TaskField> kNone;
  Task next = *local;
  next.odoo_id = r.id;
  const auto changed = sync::merge_remote(next, remote, backlog ? backlog->owned : kNone, *page.stages);
  const bool dates_changed = next.request_date != local->request_date || next.close_date != local->close_date;
  if (changed.empty() && !dates_changed && !linking) return;
  next.updated_at = now;
  tx.tasks().update(next, local->version);
  // The steps follow the instructions, and the procedure of the machine and kind of work.
  const auto touched = [&](sync::TaskField f) { return std::find(changed.begin(), changed.end(), f) != changed.end(); };
  if (touched(sync::TaskField::instructions) || touched(sync::TaskField::equipment) || touched(sync::TaskField::type))
    storage::rebuild_task_steps(tx, next);
  ++page.stats.updated;
  page.tasks.push_back({next.id, "task.changed", next.assignee_id, local->assignee_id, next.team_id});
}

}  // namespace visor::odoo
