#include "connectors/odoo/push.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_write.hpp"
#include "connectors/odoo/chatter.hpp"
#include "connectors/odoo/mapping.hpp"
#include "connectors/odoo/pull.hpp"
#include "connectors/odoo/task_values.hpp"
#include "sync/changes.hpp"
#include "sync/task_fields.hpp"
#include "sync/task_merge.hpp"
#include "sync/undelivered.hpp"
#include "util/error.hpp"
#include "util/html.hpp"
#include "util/log.hpp"

namespace visor::odoo {
namespace json = boost::json;
using sync::CmmsError;
using sync::Delivery;
using sync::TaskField;

namespace {

const json::object kAllRecords{{"active_test", false}};

Delivery done(std::string note = {}) { return Delivery{Delivery::Outcome::delivered, std::move(note)}; }
Delivery skipped(std::string note) { return Delivery{Delivery::Outcome::skipped, std::move(note)}; }
Delivery wait_for(std::string note) { return Delivery{Delivery::Outcome::wait, std::move(note)}; }

// "Follow-up of request #12 «Monthly inspection», step 3." (the Odoo id when
// the original is in Odoo).
std::string follow_up_paragraph(const std::optional<Task>& origin, int step) {
  if (!origin) return "<p>Follow-up of a Visor task that no longer exists.</p>";
  std::string where = origin->odoo_id ? "request #" + std::to_string(origin->odoo_id->value)
                                      : "Visor task #" + std::to_string(origin->id.value) + " (not in Odoo)";
  return "<p>Follow-up of " + where + " «" + escape_html(origin->title) + "»" +
         (step > 0 ? ", step " + std::to_string(step) : std::string()) + ".</p>";
}

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

}  // namespace

Pusher::Pusher(Session& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock,
               sync::SyncMetrics* metrics)
    : odoo_(odoo), store_(store), bus_(bus), clock_(clock), metrics_(metrics) {}

bool Pusher::needs_intent(const storage::OutboxMessage& m) const {
  const auto type = sync::message_type(m);
  return type.operation == sync::kCreate || type.operation == sync::kNote;
}

Delivery Pusher::deliver(const storage::OutboxMessage& m, bool uncertain) {
  boost::system::error_code ec;
  const json::value payload = json::parse(m.payload, ec);
  if (ec || !payload.is_object()) malformed("payload is not a JSON object");
  const auto& p = payload.get_object();
  links_.reset();  // links change as users and tasks get created
  const auto type = sync::message_type(m);
  if (type.record == sync::kTaskRecord) {
    if (type.operation == sync::kCreate) return create_request(m, p, uncertain);
    if (type.operation == sync::kUpdate) return write_request(p);
    if (type.operation == sync::kDelete) return unlink_request(p);
    if (type.operation == sync::kNote) return post_note(m, p, uncertain);
  }
  if (type.record == sync::kUserRecord && type.operation == sync::kCreate) return create_user(p);
  malformed("unknown operation " + m.model + " " + m.operation);
}

std::optional<std::int64_t> Pusher::find_by_ref(const std::string& ref) {
  const json::value v = odoo_.call(kRequestModel, "search",
                                   {{"domain", json::array{json::array{"description", "ilike", ref}}},
                                    {"limit", 2},
                                    {"context", kAllRecords}});
  if (!v.is_array() || v.get_array().empty()) return std::nullopt;
  if (v.get_array().size() > 1) log::warn("sync", "several Odoo requests carry one Visor reference", {{"ref", ref}});
  return first_id(v);
}

void Pusher::link_task(TaskId id, OdooId odoo) {
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

Delivery Pusher::create_request(const storage::OutboxMessage& m, const json::object& p, bool uncertain) {
  const TaskId id(id_member(p, "task_id"));
  const std::string ref = make_visor_ref('T', id.value, m.idempotency_key);
  std::optional<Task> task;
  RequestValues values;
  store_.read([&](storage::Tx& tx) {
    task = tx.tasks().get(id);
    if (!task || task->odoo_id) return;
    const sync::Undelivered pending = sync::load_undelivered(tx);
    values = request_values(*task, sync::all_task_fields(), References{tx, links_, pending}, odoo_.dialect(), true);
    std::string description = task->description;
    if (!task->reporter_contact.empty())
      description += "<p>Reported through the machine's QR page; contact: " + task->reporter_contact + "</p>";
    if (const json::value* origin = p.if_contains("origin_task_id"); origin && origin->is_int64()) {
      // A follow-up names the request it came from (its create goes first).
      const auto from = tx.tasks().get(TaskId(origin->get_int64()));
      const auto step = p.if_contains("origin_step");
      const int n = step && step->is_int64() ? int(step->get_int64()) : 0;
      if (from && !from->odoo_id && pending.task(from->id) && !pending.task(from->id)->create_key.empty())
        values.waiting = "the original request's own creation in Odoo";
      else description += follow_up_paragraph(from, n);
    }
    values.vals["description"] = description + visor_ref_paragraph(ref);
    if (task->request_date) values.vals["request_date"] = date_value(task->request_date);
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
  if (values.waiting) return wait_for(*values.waiting);
  if (uncertain) {
    if (auto found = find_by_ref(ref)) {
      link_task(id, OdooId(*found));
      return done("found after an uncertain attempt");
    }
  }
  const json::value result = odoo_.call(kRequestModel, "create", {{"vals_list", json::array{std::move(values.vals)}}});
  const auto created = first_id(result);
  if (!created) throw CmmsError(CmmsError::Kind::protocol, false, "create did not answer an id");
  link_task(id, OdooId(*created));
  return done(values.notes);
}

Delivery Pusher::write_request(const json::object& p) {
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
  for (const auto& f : odoo_.dialect().fields(kRequestModel)) fields.push_back(json::string(f));
  const json::value rows =
      odoo_.call(kRequestModel, "read", {{"ids", json::array{odoo_id.value}}, {"fields", std::move(fields)}});
  if (!rows.is_array() || rows.get_array().empty() || !rows.get_array()[0].is_object())
    throw CmmsError(CmmsError::Kind::missing, false, "Odoo request " + std::to_string(odoo_id.value) + " is gone");
  Task remote;
  try {
    const RemoteRequest r = read_request(rows.get_array()[0].get_object(), odoo_.base_url(), odoo_.dialect());
    store_.read([&](storage::Tx& tx) { remote = resolve_request(tx, links_, r); });
  } catch (const MappingError& e) {
    throw CmmsError(CmmsError::Kind::mapping, false, e.what());
  }

  std::vector<storage::Conflict> conflicts;
  std::vector<std::pair<TaskField, json::value>> take_remote;  // cmms_wins: local becomes Odoo's
  std::vector<TaskField> send;
  Task ours = *task;
  const TimePoint now = clock_.now();
  for (const auto& kv : values->get_object()) {
    const auto field = sync::parse_payload_key(kv.key());
    if (!field) malformed("unknown field " + std::string(kv.key()));
    const json::value* was = base->get_object().if_contains(kv.key());
    if (!was) malformed("no base for " + std::string(kv.key()));
    const json::value theirs = sync::payload_value(remote, *field);
    const sync::FieldAction action = sync::decide(*field, *was, kv.value(), theirs);
    if (action == sync::FieldAction::already) continue;
    if (action == sync::FieldAction::cmms_wins || action == sync::FieldAction::local_kept) {
      storage::Conflict c;
      c.task_id = id;
      c.field = std::string(kv.key());
      c.local_value = json::serialize(kv.value());
      c.remote_value = json::serialize(theirs);
      c.resolution = std::string(sync::resolution_text(action));
      c.at = now;
      conflicts.push_back(std::move(c));
      if (action == sync::FieldAction::cmms_wins) {
        take_remote.emplace_back(*field, theirs);
        continue;
      }
    }
    // Ours to send: Visor's value of this change.
    try {
      sync::set_from_payload(ours, *field, kv.value());
    } catch (const std::invalid_argument& e) {
      malformed(e.what());
    }
    send.push_back(*field);
  }
  RequestValues out;
  store_.read([&](storage::Tx& tx) {
    const sync::Undelivered pending = sync::load_undelivered(tx);
    out = request_values(ours, send, References{tx, links_, pending}, odoo_.dialect(), false);
  });
  if (out.waiting) return wait_for(*out.waiting);
  if (!out.vals.empty()) odoo_.call(kRequestModel, "write", {{"ids", json::array{odoo_id.value}}, {"vals", out.vals}});
  if (!conflicts.empty()) record_conflicts(id, values->get_object(), conflicts, take_remote);
  if (out.vals.empty() && conflicts.empty()) return done("Odoo already held these values");
  return done(out.notes);
}

void Pusher::record_conflicts(TaskId id, const json::object& values, std::vector<storage::Conflict>& conflicts,
                              const std::vector<std::pair<TaskField, json::value>>& take_remote) {
  const TimePoint now = clock_.now();
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
      if (sync::payload_value(*current, field) != values.at(sync::payload_key(field))) continue;
      sync::set_from_payload(*current, field, theirs);
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
  bus_.publish("sync.conflict", json::serialize(json::object{{"task_id", id.value}, {"count", conflicts.size()}}),
               planners);
}

Delivery Pusher::unlink_request(const json::object& p) {
  const json::value* cmms = p.if_contains("cmms_id");
  if (!cmms) cmms = p.if_contains("odoo_id");  // recorded before Visor's own names
  if (!cmms || !cmms->is_int64()) return skipped("the task was never in Odoo");
  try {
    odoo_.call(kRequestModel, "unlink", {{"ids", json::array{cmms->get_int64()}}});
  } catch (const CmmsError& e) {
    if (e.kind() == CmmsError::Kind::missing) return done("already deleted in Odoo");
    throw;
  }
  return done();
}

Delivery Pusher::post_note(const storage::OutboxMessage& m, const json::object& p, bool uncertain) {
  const TaskId id(id_member(p, "task_id"));
  std::optional<Task> task;
  std::string author;
  store_.read([&](storage::Tx& tx) {
    task = tx.tasks().get(id);
    if (const json::value* a = p.if_contains("author_id"); a && a->is_int64())
      if (auto u = tx.users().get(UserId(a->get_int64()))) author = u->name;
  });
  if (!task) return skipped("the task was deleted in Visor");
  if (!task->odoo_id) return skipped("the task exists only in Visor (not linked to Odoo)");
  // A completion names its follow-ups by their Odoo ids where they have them.
  // (A follow-up still on its way to Odoo is waited for.)
  json::object note = p;
  bool follow_up_pending = false;
  if (json::value* steps = note.if_contains("steps"); steps && steps->is_array()) {
    store_.read([&](storage::Tx& tx) {
      const sync::Undelivered pending = sync::load_undelivered(tx);
      for (json::value& item : steps->get_array()) {
        if (!item.is_object()) continue;
        const json::value* f = item.get_object().if_contains("follow_up_id");
        if (!f || !f->is_int64()) continue;
        const auto t = tx.tasks().get(TaskId(f->get_int64()));
        if (t && t->odoo_id) item.get_object()["follow_up_cmms_id"] = t->odoo_id->value;
        else if (t && pending.task(t->id) && !pending.task(t->id)->create_key.empty()) follow_up_pending = true;
      }
    });
  }
  if (follow_up_pending) return wait_for("a follow-up request's own creation in Odoo");
  std::string body;
  try {
    body = chatter_html(note, author);
  } catch (const std::invalid_argument& e) {
    malformed(e.what());
  }
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
  json::object args{{"ids", json::array{odoo_id}},
                    {"body", body + visor_ref_paragraph(ref)},
                    {"message_type", "comment"},
                    {"subtype_xmlid", "mail.mt_note"}};
  if (odoo_.dialect().has_body_is_html()) args["body_is_html"] = true;
  odoo_.call(kRequestModel, "message_post", std::move(args));
  return done();
}

Delivery Pusher::create_user(const json::object& p) {
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

}  // namespace visor::odoo
