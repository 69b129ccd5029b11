#include "sync/odoo_push.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_write.hpp"
#include "sync/odoo_mapping.hpp"
#include "sync/odoo_pull.hpp"
#include "sync/task_fields.hpp"
#include "sync/task_merge.hpp"
#include "sync/undelivered.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace visor::sync {
namespace json = boost::json;
using namespace odoo_map;

namespace {

const json::object kAllRecords{{"active_test", false}};

Delivery done(std::string note = {}) { return Delivery{Delivery::Outcome::delivered, std::move(note)}; }
Delivery skipped(std::string note) { return Delivery{Delivery::Outcome::skipped, std::move(note)}; }
Delivery wait_for(std::string note) { return Delivery{Delivery::Outcome::wait, std::move(note)}; }

[[noreturn]] void malformed(const std::string& what) {
  throw CmmsError(CmmsError::Kind::protocol, false, "malformed outbox message: " + what);
}

std::int64_t id_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_int64() || v->get_int64() <= 0) malformed(std::string(key) + " missing");
  return v->get_int64();
}

std::optional<std::int64_t> first_id(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_array() && !v.get_array().empty() && v.get_array()[0].is_int64()) return v.get_array()[0].get_int64();
  return std::nullopt;
}

// A local reference that Odoo does not know yet. When a create of that
// record waits in the outbox, the message waits too; otherwise (a record
// that exists only in Visor) the field is left out.
struct Unlinked {
  std::string what;
  bool pending = false;
};

}  // namespace

OdooPusher::OdooPusher(OdooSession& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock,
                       SyncMetrics* metrics)
    : odoo_(odoo), store_(store), bus_(bus), clock_(clock), metrics_(metrics) {}

bool OdooPusher::needs_intent(const storage::OutboxMessage& m) const {
  return m.operation == "create" || m.operation == "message_post";
}

Delivery OdooPusher::deliver(const storage::OutboxMessage& m, bool uncertain) {
  boost::system::error_code ec;
  const json::value payload = json::parse(m.payload, ec);
  if (ec || !payload.is_object()) malformed("payload is not a JSON object");
  const auto& p = payload.get_object();
  links_.reset();  // links change as users and tasks get created
  if (m.model == "maintenance.request") {
    if (m.operation == "create") return create_request(m, p, uncertain);
    if (m.operation == "write") return write_request(m, p);
    if (m.operation == "unlink") return unlink_request(p);
    if (m.operation == "message_post") return post_note(m, p, uncertain);
  }
  if (m.model == "res.users" && m.operation == "create") return create_user(p);
  malformed("unknown operation " + m.model + " " + m.operation);
}

std::optional<std::int64_t> OdooPusher::find_by_ref(const std::string& ref) {
  const json::value v = odoo_.call(kRequestModel, "search",
                                   {{"domain", json::array{json::array{"description", "ilike", ref}}},
                                    {"limit", 2},
                                    {"context", kAllRecords}});
  if (!v.is_array() || v.get_array().empty()) return std::nullopt;
  if (v.get_array().size() > 1) log::warn("sync", "several Odoo requests carry one Visor reference", {{"ref", ref}});
  return first_id(v);
}

void OdooPusher::link_task(TaskId id, OdooId odoo) {
  for (int attempt = 0;; ++attempt) {
    try {
      store_.write([&](storage::Tx& tx) {
        auto task = tx.tasks().get(id);
        if (!task || task->odoo_id == odoo) return;
        const auto version = task->version;
        task->odoo_id = odoo;
        tx.tasks().update(*task, version);
      });
      return;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::precondition_failed || attempt >= 3) throw;
    }
  }
}

Delivery OdooPusher::create_request(const storage::OutboxMessage& m, const json::object& p, bool uncertain) {
  const TaskId id(id_member(p, "task_id"));
  const std::string ref = make_visor_ref('T', id.value, m.idempotency_key);
  std::optional<Task> task;
  std::optional<Unlinked> waiting;
  json::object vals;
  store_.read([&](storage::Tx& tx) {
    task = tx.tasks().get(id);
    if (!task || task->odoo_id) return;
    links_.load(tx);
    const Undelivered pending = load_undelivered(tx);
    std::string description = task->description;
    if (!task->reporter_contact.empty())
      description += "<p>Reported through the machine's QR page; contact: " + task->reporter_contact + "</p>";
    vals["name"] = task->title;
    vals["description"] = description + visor_ref_paragraph(ref);
    if (auto s = links_.odoo_stage(task->stage_id)) vals["stage_id"] = s->value;
    if (task->assignee_id) {
      if (auto u = links_.odoo_user(*task->assignee_id)) {
        vals["user_id"] = u->value;
      } else if (pending.users.count(task->assignee_id->value)) {
        waiting = Unlinked{"the assignee's Odoo account", true};
      }
    }
    if (task->equipment_id)
      if (auto e = links_.odoo_equipment(tx, *task->equipment_id)) vals["equipment_id"] = e->value;
    if (task->team_id)
      if (auto t = links_.odoo_team(*task->team_id)) vals["maintenance_team_id"] = t->value;
    vals["priority"] = priority_value(task->priority);
    vals["maintenance_type"] = to_string(task->type);
    if (task->schedule_start) vals["schedule_date"] = datetime_value(task->schedule_start);
    if (task->schedule_end) vals["schedule_end"] = datetime_value(task->schedule_end);
    if (task->request_date) vals["request_date"] = date_value(task->request_date);
    if (task->instructions.kind == InstructionKind::text) {
      vals["instruction_type"] = "text";
      vals["instruction_text"] = task->instructions.text;
    } else if (task->instructions.kind == InstructionKind::google_slide) {
      vals["instruction_type"] = "google_slide";
      vals["instruction_google_slide"] = task->instructions.url;
    }
    if (task->recurrence.enabled) {
      vals["recurring_maintenance"] = true;
      vals["repeat_interval"] = task->recurrence.interval;
      vals["repeat_unit"] = to_string(task->recurrence.unit);
      vals["repeat_type"] = to_string(task->recurrence.type);
      vals["repeat_until"] = date_value(task->recurrence.until);
    }
    if (task->archived) vals["archive"] = true;
  });
  if (!task) {
    // Deleted in Visor before its create was confirmed: undo a create that
    // may have reached Odoo.
    if (uncertain) {
      if (auto found = find_by_ref(ref)) {
        odoo_.call(kRequestModel, "unlink", {{"ids", json::array{*found}}});
        return done("the task was deleted in Visor; its Odoo copy was removed");
      }
    }
    return skipped("the task was deleted in Visor before it reached Odoo");
  }
  if (task->odoo_id) return skipped("already linked to Odoo request " + std::to_string(task->odoo_id->value));
  if (waiting) return wait_for(waiting->what);
  if (uncertain) {
    if (auto found = find_by_ref(ref)) {
      link_task(id, OdooId(*found));
      return done("found after an uncertain attempt");
    }
  }
  const json::value result = odoo_.call(kRequestModel, "create", {{"vals_list", json::array{std::move(vals)}}});
  const auto created = first_id(result);
  if (!created) throw CmmsError(CmmsError::Kind::protocol, false, "create did not answer an id");
  link_task(id, OdooId(*created));
  return done();
}

Delivery OdooPusher::write_request(const storage::OutboxMessage&, const json::object& p) {
  const TaskId id(id_member(p, "task_id"));
  const json::value* values = p.if_contains("values");
  const json::value* base = p.if_contains("base");
  if (!values || !values->is_object() || !base || !base->is_object()) malformed("values/base missing");

  std::optional<Task> task = store_.read_value([&](storage::Tx& tx) { return tx.tasks().get(id); });
  if (!task) return skipped("the task was deleted in Visor");
  if (!task->odoo_id) return skipped("the task exists only in Visor (not linked to Odoo)");
  const OdooId odoo_id = *task->odoo_id;

  // What Odoo holds now, in Visor's terms.
  json::array fields;
  for (const auto& f : request_fields()) fields.push_back(json::string(f));
  const json::value rows =
      odoo_.call(kRequestModel, "read", {{"ids", json::array{odoo_id.value}}, {"fields", std::move(fields)}});
  if (!rows.is_array() || rows.get_array().empty() || !rows.get_array()[0].is_object())
    throw CmmsError(CmmsError::Kind::missing, false, "Odoo request " + std::to_string(odoo_id.value) + " is gone");
  Task remote;
  try {
    const RemoteRequest r = read_request(rows.get_array()[0].get_object(), odoo_.base_url());
    store_.read([&](storage::Tx& tx) { remote = resolve_request(tx, links_, r); });
  } catch (const MappingError& e) {
    throw CmmsError(CmmsError::Kind::mapping, false, e.what());
  }

  json::object vals;
  std::vector<storage::Conflict> conflicts;
  std::vector<std::pair<TaskField, json::value>> take_remote;  // cmms_wins: local becomes Odoo's
  std::string notes;
  std::optional<Unlinked> waiting;
  const TimePoint now = clock_.now();
  store_.read([&](storage::Tx& tx) {
    links_.load(tx);
    const Undelivered pending = load_undelivered(tx);
    for (const auto& kv : values->get_object()) {
      const auto field = parse_payload_key(kv.key());
      if (!field) malformed("unknown field " + std::string(kv.key()));
      const json::value* was = base->get_object().if_contains(kv.key());
      if (!was) malformed("no base for " + std::string(kv.key()));
      const json::value theirs = payload_value(remote, *field);
      const FieldAction action = decide(*field, *was, kv.value(), theirs);
      if (action == FieldAction::already) continue;
      if (action == FieldAction::cmms_wins || action == FieldAction::local_kept) {
        storage::Conflict c;
        c.task_id = id;
        c.field = std::string(kv.key());
        c.local_value = json::serialize(kv.value());
        c.remote_value = json::serialize(theirs);
        c.resolution = std::string(resolution_text(action));
        c.at = now;
        conflicts.push_back(std::move(c));
        if (action == FieldAction::cmms_wins) {
          take_remote.emplace_back(*field, theirs);
          continue;
        }
      }
      // Ours to send: Visor's value in Odoo's terms.
      Task ours = *task;
      set_from_payload(ours, *field, kv.value());
      switch (*field) {
        case TaskField::title: vals["name"] = ours.title; break;
        case TaskField::description: vals["description"] = text_value(ours.description); break;
        case TaskField::schedule_start: vals["schedule_date"] = datetime_value(ours.schedule_start); break;
        case TaskField::schedule_end: vals["schedule_end"] = datetime_value(ours.schedule_end); break;
        case TaskField::assignee:
          if (!ours.assignee_id) {
            vals["user_id"] = false;
          } else if (auto u = links_.odoo_user(*ours.assignee_id)) {
            vals["user_id"] = u->value;
          } else if (pending.users.count(ours.assignee_id->value)) {
            waiting = Unlinked{"the assignee's Odoo account", true};
          } else {
            notes += "assignee exists only in Visor; ";
          }
          break;
        case TaskField::stage:
          if (auto s = links_.odoo_stage(ours.stage_id)) vals["stage_id"] = s->value;
          else notes += "stage exists only in Visor; ";
          break;
        case TaskField::priority: vals["priority"] = priority_value(ours.priority); break;
        case TaskField::type: vals["maintenance_type"] = to_string(ours.type); break;
        case TaskField::equipment:
          if (!ours.equipment_id) {
            vals["equipment_id"] = false;
          } else if (auto e = links_.odoo_equipment(tx, *ours.equipment_id)) {
            vals["equipment_id"] = e->value;
          } else {
            notes += "machine exists only in Visor; ";
          }
          break;
        case TaskField::team:
          if (ours.team_id)
            if (auto t = links_.odoo_team(*ours.team_id)) vals["maintenance_team_id"] = t->value;
          break;
        case TaskField::archived: vals["archive"] = ours.archived; break;
        case TaskField::instructions:
          if (ours.instructions.kind == InstructionKind::google_slide) {
            vals["instruction_type"] = "google_slide";
            vals["instruction_google_slide"] = ours.instructions.url;
          } else if (ours.instructions.kind != InstructionKind::pdf) {
            vals["instruction_type"] = "text";
            vals["instruction_text"] = text_value(ours.instructions.text);
          }
          break;
        case TaskField::recurrence:
          vals["recurring_maintenance"] = ours.recurrence.enabled;
          vals["repeat_interval"] = ours.recurrence.interval;
          vals["repeat_unit"] = to_string(ours.recurrence.unit);
          vals["repeat_type"] = to_string(ours.recurrence.type);
          vals["repeat_until"] = date_value(ours.recurrence.until);
          break;
      }
    }
  });
  if (waiting) return wait_for(waiting->what);
  if (!vals.empty()) odoo_.call(kRequestModel, "write", {{"ids", json::array{odoo_id.value}}, {"vals", vals}});
  if (!conflicts.empty()) {
    store_.write([&](storage::Tx& tx) {
      for (auto c : conflicts) tx.sync().add_conflict(c);
      if (take_remote.empty()) return;
      auto current = tx.tasks().get(id);
      if (!current) return;
      const auto version = current->version;
      bool changed = false;
      for (const auto& [field, theirs] : take_remote) {
        // Only where Visor still holds the value it tried to send: a newer
        // local change has its own message and its own check.
        if (payload_value(*current, field) != values->get_object().at(payload_key(field))) continue;
        set_from_payload(*current, field, theirs);
        changed = true;
      }
      if (!changed) return;
      current->updated_at = now;
      tx.tasks().update(*current, version);
      auto row = tx.tasks().get_row(id);
      if (!row) return;
      json::object data = api::to_json(*row, now);
      data["source"] = "cmms";
      events::Audience a;
      if (current->assignee_id) a.users.push_back(*current->assignee_id);
      a.team = current->team_id;
      tx.after_commit([&bus = bus_, payload = json::serialize(data), a] { bus.publish("task.changed", payload, a); });
    });
    for (const auto& c : conflicts)
      if (metrics_) metrics_->conflicts.with({c.field, c.resolution}).inc();
    events::Audience planners;
    planners.planners_only = true;
    bus_.publish("sync.conflict",
                 json::serialize(json::object{{"task_id", id.value}, {"count", conflicts.size()}}), planners);
  }
  if (vals.empty() && conflicts.empty()) return done("Odoo already held these values");
  return done(notes);
}

Delivery OdooPusher::unlink_request(const json::object& p) {
  const json::value* odoo = p.if_contains("odoo_id");
  if (!odoo || !odoo->is_int64()) return skipped("the task was never in Odoo");
  try {
    odoo_.call(kRequestModel, "unlink", {{"ids", json::array{odoo->get_int64()}}});
  } catch (const CmmsError& e) {
    if (e.kind() == CmmsError::Kind::missing) return done("already deleted in Odoo");
    throw;
  }
  return done();
}

Delivery OdooPusher::post_note(const storage::OutboxMessage& m, const json::object& p, bool uncertain) {
  const TaskId id(id_member(p, "task_id"));
  const json::value* body = p.if_contains("body");
  if (!body || !body->is_string()) malformed("body missing");
  const auto task = store_.read_value([&](storage::Tx& tx) { return tx.tasks().get(id); });
  if (!task) return skipped("the task was deleted in Visor");
  if (!task->odoo_id) return skipped("the task exists only in Visor (not linked to Odoo)");
  const std::int64_t odoo_id = task->odoo_id->value;
  const std::string ref = make_visor_ref('M', m.id, m.idempotency_key);
  if (uncertain) {
    const json::value found =
        odoo_.call("mail.message", "search",
                   {{"domain", json::array{json::array{"model", "=", kRequestModel}, json::array{"res_id", "=", odoo_id},
                                           json::array{"body", "ilike", ref}}},
                    {"limit", 1}});
    if (found.is_array() && !found.get_array().empty()) return done("found after an uncertain attempt");
  }
  odoo_.call(kRequestModel, "message_post",
             {{"ids", json::array{odoo_id}},
              {"body", std::string(body->get_string()) + visor_ref_paragraph(ref)},
              {"body_is_html", true},
              {"message_type", "comment"},
              {"subtype_xmlid", "mail.mt_note"}});
  return done();
}

Delivery OdooPusher::create_user(const json::object& p) {
  const UserId id(id_member(p, "user_id"));
  const auto user = store_.read_value([&](storage::Tx& tx) { return tx.users().get(id); });
  if (!user) return skipped("the user was deleted in Visor");
  if (user->odoo_id) return skipped("already linked to an Odoo user");
  // Logins are unique in Odoo: an existing account is the same person (and
  // makes a retried create harmless).
  const json::value found = odoo_.call(kUserModel, "search",
                                       {{"domain", json::array{json::array{"login", "=", user->login}}},
                                        {"limit", 1},
                                        {"context", kAllRecords}});
  std::optional<std::int64_t> odoo_id = first_id(found);
  if (!odoo_id) {
    json::object vals{{"name", user->name}, {"login", user->login}};
    if (!user->email.empty()) vals["email"] = user->email;
    odoo_id = first_id(odoo_.call(kUserModel, "create", {{"vals_list", json::array{std::move(vals)}}}));
    if (!odoo_id) throw CmmsError(CmmsError::Kind::protocol, false, "create did not answer an id");
  }
  store_.write([&](storage::Tx& tx) {
    auto u = tx.users().get(id);
    if (!u || u->odoo_id) return;
    u->odoo_id = OdooId(*odoo_id);
    tx.users().update(*u);
  });
  return done();
}

}  // namespace visor::sync
