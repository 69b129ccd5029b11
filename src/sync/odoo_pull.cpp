#include "sync/odoo_pull.hpp"

#include <sodium.h>

#include <algorithm>
#include <unordered_set>

#include <boost/json/serialize.hpp>

#include "api/json_write.hpp"
#include "domain/instructions.hpp"
#include "sync/odoo_mapping.hpp"
#include "sync/task_merge.hpp"
#include "sync/undelivered.hpp"
#include "sync/watermark.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace visor::sync {
namespace json = boost::json;
using namespace odoo_map;

namespace {

constexpr int kReadChunk = 500;

const json::object kAllRecords{{"active_test", false}};

struct TaskEvent {
  TaskId id;
  std::string type;  // task.created, task.changed, task.deleted
  std::optional<UserId> assignee;
  std::optional<UserId> previous_assignee;
  std::optional<TeamId> team;
};

events::Audience audience_of(const TaskEvent& e) {
  events::Audience a;
  if (e.assignee) a.users.push_back(*e.assignee);
  if (e.previous_assignee && e.previous_assignee != e.assignee) a.users.push_back(*e.previous_assignee);
  a.team = e.team;
  return a;
}

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

void add_counts(ModelPull& out, const ModelPull& d) {
  out.created += d.created;
  out.updated += d.updated;
  out.removed += d.removed;
  out.rejected += d.rejected;
}

std::string key_of_ref(const std::string& ref) {
  const auto dash = ref.rfind('-');
  return dash == std::string::npos ? std::string() : ref.substr(dash + 1);
}

}  // namespace

/// What one page (or one reconcile batch) did, and the events it will publish.
struct OdooPuller::Page {
  ModelPull& stats;
  std::vector<TaskEvent> tasks;
  bool catalog = false;
  std::optional<Undelivered> undelivered;
  std::optional<StageSet> stages;
};

Task resolve_request(storage::Tx& tx, Links& links, const RemoteRequest& r) {
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

std::vector<std::string> fields_for(const std::string& model, bool equipment_has_location) {
  if (model == kStageModel) return stage_fields();
  if (model == kTeamModel) return team_fields();
  if (model == kUserModel) return user_fields();
  if (model == kCategoryModel) return category_fields();
  if (model == kEquipmentModel) return equipment_fields(equipment_has_location);
  if (model == kRequestModel) return request_fields();
  throw std::invalid_argument("unknown model " + model);
}

json::array base_domain(const std::string& model) {
  if (model == kUserModel) return json::array{json::array{"share", "=", false}};
  return {};
}

OdooPuller::OdooPuller(OdooSession& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock,
                       SyncMetrics* metrics, PullOptions options)
    : odoo_(odoo), store_(store), bus_(bus), clock_(clock), metrics_(metrics), options_(options) {}

const std::vector<std::string>& OdooPuller::models() {
  static const std::vector<std::string> all{std::string(kStageModel),    std::string(kTeamModel),
                                            std::string(kUserModel),     std::string(kCategoryModel),
                                            std::string(kEquipmentModel), std::string(kRequestModel)};
  return all;
}

json::array OdooPuller::fetch(const std::string& model, const json::array& domain, int limit) {
  json::array full = base_domain(model);
  for (const auto& term : domain) full.push_back(term);
  json::array fields;
  for (const auto& f : fields_for(model, odoo_.equipment_has_location())) fields.push_back(json::string(f));
  json::value rows = odoo_.call(model, "search_read",
                                {{"domain", std::move(full)},
                                 {"fields", std::move(fields)},
                                 {"order", "write_date asc, id asc"},
                                 {"limit", limit},
                                 {"context", kAllRecords}});
  if (!rows.is_array()) throw CmmsError(CmmsError::Kind::protocol, false, model + " search_read did not answer a list");
  return std::move(rows.get_array());
}

json::array OdooPuller::read(const std::string& model, const std::vector<std::int64_t>& ids) {
  json::array id_list;
  for (auto id : ids) id_list.push_back(id);
  json::array fields;
  for (const auto& f : fields_for(model, odoo_.equipment_has_location())) fields.push_back(json::string(f));
  json::value rows = odoo_.call(model, "search_read",
                                {{"domain", json::array{json::array{"id", "in", std::move(id_list)}}},
                                 {"fields", std::move(fields)},
                                 {"context", kAllRecords}});
  if (!rows.is_array()) throw CmmsError(CmmsError::Kind::protocol, false, model + " search_read did not answer a list");
  return std::move(rows.get_array());
}

ModelPull OdooPuller::pull(const std::string& model) {
  ModelPull out;
  out.model = model;
  const auto calls0 = odoo_.calls();
  const auto wait0 = odoo_.remote_time();
  links_.reset();
  // Only this engine (holding the lease) moves watermarks: after the first
  // read they are known without asking the store.
  auto cached = marks_.find(model);
  if (cached == marks_.end())
    cached = marks_.emplace(model, store_.read_value([&](storage::Tx& tx) { return tx.sync().watermark(model); })).first;
  storage::Watermark mark = cached->second;
  marks_.erase(cached);  // until this pull ends well
  const auto now = std::chrono::steady_clock::now();
  bool settled = false;
  if (mark.write_date) {
    auto [it, fresh] = first_seen_.try_emplace(model, *mark.write_date, now);
    if (!fresh && it->second.first != *mark.write_date) it->second = {*mark.write_date, now};
    settled = now - it->second.second >= options_.settle;
  }
  json::array domain = incremental_domain(mark, settled);
  for (;;) {
    const json::array rows = fetch(model, domain, options_.page_size);
    if (rows.empty()) break;
    std::vector<Stamp> stamps;
    stamps.reserve(rows.size());
    for (const auto& row : rows) {
      try {
        stamps.push_back(read_stamp(model, row));
      } catch (const MappingError& e) {
        // Without an id or write_date the row cannot even be placed; it is
        // counted and the page goes on.
        log::warn("sync", "unusable record", {{"error", e.what()}});
      }
    }
    const storage::Watermark next = advance(mark, stamps, options_.max_ids_at_mark);
    ModelPull delta;
    store_.write([&](storage::Tx& tx) {
      delta = ModelPull{model};  // the store may run this again after a transient conflict
      Page page{delta};
      apply(tx, model, rows, page);
      tx.sync().save_watermark(next);
      publish(tx, page);
    });
    add_counts(out, delta);
    out.fetched += static_cast<std::int64_t>(rows.size());
    mark = next;
    if (static_cast<int>(rows.size()) < options_.page_size) break;
    const auto last = std::find_if(stamps.rbegin(), stamps.rend(), [](const Stamp& s) { return s.write_date.has_value(); });
    if (last == stamps.rend()) break;
    domain = after_domain(*last->write_date, last->id);
  }
  marks_[model] = mark;
  out.calls = odoo_.calls() - calls0;
  out.remote_time = odoo_.remote_time() - wait0;
  return out;
}

void OdooPuller::apply(storage::Tx& tx, const std::string& model, const json::array& rows, Page& page) {
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

void OdooPuller::rejected(const std::string& model, const std::string& field, const std::string& what, Page& page) {
  ++page.stats.rejected;
  if (metrics_) {
    metrics_->mapping_errors.with({model, field}).inc();
    metrics_->records.with({model, "rejected"}).inc();
  }
  log::warn("sync", "CMMS record rejected", {{"error", what}});
}

void OdooPuller::apply_stage(storage::Tx& tx, const json::object& row, Page& page) {
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

void OdooPuller::apply_team(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteTeam r = read_team(row);
  std::optional<Team> t = tx.catalog().team_by_odoo(r.id);
  const bool is_new = !t;
  if (!is_new && t->name == r.name) return;
  Team next = t.value_or(Team{});
  next.odoo_id = r.id;
  next.name = r.name;
  tx.catalog().save_team(next);
  ++(is_new ? page.stats.created : page.stats.updated);
  page.catalog = true;
}

void OdooPuller::apply_user(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteUser r = read_user(row);
  std::optional<User> u = tx.users().get_by_odoo(r.id);
  if (!u) {
    // An existing local account with the same login is the same person.
    if (auto by_login = tx.users().get_by_login(r.login)) {
      if (by_login->odoo_id) {
        throw MappingError(std::string(kUserModel), r.id.value, "login",
                           "login '" + r.login + "' is linked to another Odoo user");
      }
      u = by_login;
      u->odoo_id = r.id;
      u->name = r.name;
      if (!r.email.empty()) u->email = r.email;
      tx.users().update(*u);
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

void OdooPuller::apply_category(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteCategory r = read_category(row);
  std::optional<Category> c = tx.catalog().category_by_odoo(r.id);
  const bool is_new = !c;
  const std::optional<UserId> technician = r.technician ? links_.user(*r.technician) : std::nullopt;
  if (!is_new && c->name == r.name && c->technician_id == technician) return;
  Category next = c.value_or(Category{});
  next.odoo_id = r.id;
  next.name = r.name;
  next.technician_id = technician;
  tx.catalog().save_category(next);
  ++(is_new ? page.stats.created : page.stats.updated);
  page.catalog = true;
}

void OdooPuller::apply_equipment(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteEquipment r = read_equipment(row);
  std::optional<Equipment> e = tx.equipment().get_by_odoo(r.id);
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
    const bool same = next.name == e->name && next.serial_no == e->serial_no && next.model == e->model &&
                      next.category_id == e->category_id && next.technician_id == e->technician_id &&
                      next.team_id == e->team_id && next.note == e->note && next.active == e->active &&
                      next.location == e->location;
    if (same) return;
    next.updated_at = clock_.now();
    tx.equipment().update(next, e->version);
    ++(next.active || !e->active ? page.stats.updated : page.stats.removed);
    return;
  }
  next.code = new_equipment_code(tx);
  next.updated_at = clock_.now();
  tx.equipment().insert(next);
  ++page.stats.created;
}

void OdooPuller::apply_request(storage::Tx& tx, const json::object& row, Page& page) {
  const RemoteRequest r = read_request(row, odoo_.base_url());
  if (!page.undelivered) page.undelivered = load_undelivered(tx);
  if (!page.stages) page.stages.emplace(links_.stages());
  const Undelivered& pending = *page.undelivered;

  Task remote = resolve_request(tx, links_, r);

  std::optional<Task> local = tx.tasks().get_by_odoo(r.id);
  bool linking = false;
  if (!local && pending.unlinking.count(r.id.value)) return;  // Visor is deleting it
  if (!local && !r.visor_ref.empty()) {
    // Created by Visor, whose create was answered too late to be recorded:
    // link it to the task that made it instead of importing it twice.
    if (auto task_id = task_of_ref(r.visor_ref)) {
      const TaskBacklog* b = pending.task(*task_id);
      auto candidate = tx.tasks().get(*task_id);
      if (b && candidate && !candidate->odoo_id && b->create_key == key_of_ref(r.visor_ref)) {
        local = candidate;
        linking = true;
      }
    }
  }
  const TimePoint now = clock_.now();
  if (!local) {
    remote.execution = initial_execution(remote, *page.stages);
    remote.created_at = remote.updated_at = now;
    tx.tasks().insert(remote);
    const ParsedInstructions parsed = parse_instructions(remote.instructions);
    if (!parsed.steps.empty()) tx.tasks().replace_steps(remote.id, merge_steps({}, parsed.steps));
    ++page.stats.created;
    page.tasks.push_back({remote.id, "task.created", remote.assignee_id, std::nullopt, remote.team_id});
    return;
  }
  const TaskBacklog* backlog = pending.task(local->id);
  static const std::set<TaskField> kNone;
  Task next = *local;
  next.odoo_id = r.id;
  const auto changed = merge_remote(next, remote, backlog ? backlog->owned : kNone, *page.stages);
  const bool dates_changed = next.request_date != local->request_date || next.close_date != local->close_date;
  if (changed.empty() && !dates_changed && !linking) return;
  next.updated_at = now;
  tx.tasks().update(next, local->version);
  if (std::find(changed.begin(), changed.end(), TaskField::instructions) != changed.end()) {
    const ParsedInstructions parsed = parse_instructions(next.instructions);
    tx.tasks().replace_steps(next.id, merge_steps(tx.tasks().steps(next.id), parsed.steps));
  }
  ++page.stats.updated;
  page.tasks.push_back({next.id, "task.changed", next.assignee_id, local->assignee_id, next.team_id});
}

void OdooPuller::publish(storage::Tx& tx, Page& page) {
  if (page.catalog) {
    tx.after_commit([&bus = bus_, model = page.stats.model] {
      events::Audience everyone;
      everyone.everyone = true;
      bus.publish("catalog.changed", json::serialize(json::object{{"model", model}}), everyone);
    });
  }
  if (page.tasks.empty()) return;
  if (page.tasks.size() > options_.max_task_events) {
    tx.after_commit([&bus = bus_, n = page.tasks.size()] {
      events::Audience everyone;
      everyone.everyone = true;
      bus.publish("sync.reload",
                  json::serialize(json::object{{"model", "maintenance.request"}, {"changed", n}}), everyone);
    });
    return;
  }
  const TimePoint now = clock_.now();
  for (const TaskEvent& e : page.tasks) {
    json::object data;
    if (e.type == "task.deleted") {
      data = json::object{{"id", e.id.value}};
    } else {
      auto row = tx.tasks().get_row(e.id);
      if (!row) continue;
      data = api::to_json(*row, now);
    }
    data["source"] = "cmms";
    tx.after_commit([&bus = bus_, type = e.type, payload = json::serialize(data), audience = audience_of(e)] {
      bus.publish(type, payload, audience);
    });
  }
}

// --- reconcile ---------------------------------------------------------------

std::vector<std::int64_t> OdooPuller::remote_ids(const std::string& model) {
  json::value v = odoo_.call(model, "search", {{"domain", base_domain(model)}, {"context", kAllRecords}});
  if (!v.is_array()) throw CmmsError(CmmsError::Kind::protocol, false, model + " search did not answer a list");
  std::vector<std::int64_t> out;
  out.reserve(v.get_array().size());
  for (const auto& id : v.get_array())
    if (id.is_int64()) out.push_back(id.get_int64());
  std::sort(out.begin(), out.end());
  return out;
}

// (CMMS id, local id) of every local record linked to `model`.
std::vector<std::pair<std::int64_t, std::int64_t>> OdooPuller::local_links(const std::string& model) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  if (model == kRequestModel) {
    storage::TaskQuery q;
    q.include_done = true;
    q.include_archived = true;
    q.limit = 500;
    for (;;) {
      const storage::TaskPage page = store_.read_value([&](storage::Tx& tx) { return tx.tasks().list(q); });
      for (const auto& row : page.rows)
        if (row.task.odoo_id) out.emplace_back(row.task.odoo_id->value, row.task.id.value);
      if (page.next_cursor.empty()) break;
      q.cursor = page.next_cursor;
    }
  } else if (model == kEquipmentModel) {
    storage::EquipmentQuery q;
    q.include_inactive = true;
    q.limit = 500;
    for (;;) {
      const auto rows = store_.read_value([&](storage::Tx& tx) { return tx.equipment().list(q); });
      for (const auto& row : rows)
        if (row.equipment.odoo_id) out.emplace_back(row.equipment.odoo_id->value, row.equipment.id.value);
      if (static_cast<int>(rows.size()) < q.limit) break;
      q.after_id = rows.back().equipment.id.value;
    }
  } else {
    store_.read([&](storage::Tx& tx) {
      if (model == kStageModel) {
        for (const auto& s : tx.catalog().stages())
          if (s.odoo_id) out.emplace_back(s.odoo_id->value, s.id.value);
      } else if (model == kTeamModel) {
        for (const auto& t : tx.catalog().teams())
          if (t.odoo_id) out.emplace_back(t.odoo_id->value, t.id.value);
      } else if (model == kCategoryModel) {
        for (const auto& c : tx.catalog().categories())
          if (c.odoo_id) out.emplace_back(c.odoo_id->value, c.id.value);
      } else if (model == kUserModel) {
        for (const auto& u : tx.users().list(true))
          if (u.odoo_id) out.emplace_back(u.odoo_id->value, u.id.value);
      }
    });
  }
  std::sort(out.begin(), out.end());
  return out;
}

ModelPull OdooPuller::reconcile(const std::string& model) {
  ModelPull out;
  out.model = model;
  const auto calls0 = odoo_.calls();
  const auto wait0 = odoo_.remote_time();
  links_.reset();
  // Local first: a record linked after this snapshot cannot look deleted.
  const auto local = local_links(model);
  const auto remote = remote_ids(model);
  std::vector<std::int64_t> missing;
  std::unordered_set<std::int64_t> remote_set(remote.begin(), remote.end());
  std::unordered_set<std::int64_t> local_set;
  for (const auto& [odoo_id, local_id] : local) {
    local_set.insert(odoo_id);
    if (!remote_set.count(odoo_id)) remove_local(model, local_id, out);
  }
  for (auto id : remote)
    if (!local_set.count(id)) missing.push_back(id);
  for (std::size_t i = 0; i < missing.size(); i += kReadChunk) {
    const std::vector<std::int64_t> chunk(missing.begin() + static_cast<std::ptrdiff_t>(i),
                                          missing.begin() + static_cast<std::ptrdiff_t>(std::min(missing.size(), i + kReadChunk)));
    const json::array rows = read(model, chunk);
    out.fetched += static_cast<std::int64_t>(rows.size());
    ModelPull delta;
    store_.write([&](storage::Tx& tx) {
      delta = ModelPull{model};
      Page page{delta};
      apply(tx, model, rows, page);
      publish(tx, page);
    });
    add_counts(out, delta);
  }
  out.calls = odoo_.calls() - calls0;
  out.remote_time = odoo_.remote_time() - wait0;
  return out;
}

// A record Odoo no longer has. Tasks with execution data in Visor are kept
// (archived, unlinked, with a conflict row for the managers); the rest go.
void OdooPuller::remove_local(const std::string& model, std::int64_t local_id, ModelPull& out) {
  const TimePoint now = clock_.now();
  try {
    store_.write([&](storage::Tx& tx) {
      if (model == kRequestModel) {
        auto task = tx.tasks().get(TaskId(local_id));
        if (!task) return;
        const Undelivered pending = load_undelivered(tx);
        const bool has_work = !tx.tasks().work_log(task->id).empty() || pending.task(task->id) != nullptr;
        TaskEvent ev{task->id, "task.deleted", task->assignee_id, std::nullopt, task->team_id};
        if (has_work) {
          const std::int64_t version = task->version;
          task->odoo_id.reset();
          task->archived = true;
          task->updated_at = now;
          tx.tasks().update(*task, version);
          storage::Conflict c;
          c.task_id = task->id;
          c.field = "deleted";
          c.local_value = "work recorded in Visor kept";
          c.remote_value = "deleted in the CMMS";
          c.resolution = "local_kept";
          c.at = now;
          tx.sync().add_conflict(c);
          if (metrics_) metrics_->conflicts.with({"deleted", "local_kept"}).inc();
          ev.type = "task.changed";
        } else {
          tx.tasks().remove(task->id);
        }
        Page page{out};
        page.tasks.push_back(ev);
        publish(tx, page);
      } else if (model == kEquipmentModel) {
        auto e = tx.equipment().get(EquipmentId(local_id));
        if (!e) return;
        const auto version = e->version;
        e->odoo_id.reset();
        e->active = false;
        e->updated_at = now;
        tx.equipment().update(*e, version);
      } else if (model == kStageModel) {
        tx.catalog().remove_stage(StageId(local_id));
      } else if (model == kTeamModel) {
        if (auto t = tx.catalog().team(TeamId(local_id))) {
          t->odoo_id.reset();
          tx.catalog().save_team(*t);
        }
      } else if (model == kCategoryModel) {
        for (auto c : tx.catalog().categories()) {
          if (c.id.value != local_id) continue;
          c.odoo_id.reset();
          tx.catalog().save_category(c);
        }
      } else if (model == kUserModel) {
        if (auto u = tx.users().get(UserId(local_id))) {
          u->odoo_id.reset();
          tx.users().update(*u);
        }
      }
    });
    ++out.removed;
    if (metrics_) metrics_->records.with({model, "removed"}).inc();
  } catch (const Error& e) {
    // e.g. a stage still used by tasks: keep it, say so.
    log::warn("sync", "cannot remove a record deleted in the CMMS",
              {{"model", model}, {"id", std::to_string(local_id)}, {"error", e.detail()}});
  }
}

}  // namespace visor::sync
