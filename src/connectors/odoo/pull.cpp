#include "connectors/odoo/pull.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "api/json_write.hpp"
#include "connectors/odoo/pull_page.hpp"
#include "connectors/odoo/watermark.hpp"
#include "util/log.hpp"

namespace visor::odoo {
namespace json = boost::json;
using sync::CmmsError;
using sync::ModelPull;

namespace {

const json::object kAllRecords{{"active_test", false}};

events::Audience audience_of(const TaskEvent& e) {
  events::Audience a;
  if (e.assignee) a.users.push_back(*e.assignee);
  if (e.previous_assignee && e.previous_assignee != e.assignee) a.users.push_back(*e.previous_assignee);
  a.team = e.team;
  return a;
}

void add_counts(ModelPull& out, const ModelPull& d) {
  out.created += d.created;
  out.updated += d.updated;
  out.removed += d.removed;
  out.rejected += d.rejected;
}

json::array field_list(const std::vector<std::string>& fields) {
  json::array out;
  for (const auto& f : fields) out.push_back(json::string(f));
  return out;
}

}  // namespace

json::array base_domain(const std::string& model) {
  if (model == kUserModel) return json::array{json::array{"share", "=", false}};
  return {};
}

sync::RecordKind kind_of(std::string_view model) {
  using K = sync::RecordKind;
  if (model == kStageModel) return K::stage;
  if (model == kTeamModel) return K::team;
  if (model == kUserModel) return K::user;
  if (model == kCategoryModel) return K::category;
  if (model == kEquipmentModel) return K::equipment;
  return K::task;
}

Puller::Puller(Session& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock,
               sync::SyncMetrics* metrics, PullOptions options)
    : odoo_(odoo), store_(store), bus_(bus), clock_(clock), metrics_(metrics), options_(options) {}

json::array Puller::fetch(const std::string& model, const json::array& domain, int limit) {
  json::array full = base_domain(model);
  for (const auto& term : domain) full.push_back(term);
  json::value rows = odoo_.call(model, "search_read",
                                {{"domain", std::move(full)},
                                 {"fields", field_list(odoo_.dialect().fields(model))},
                                 {"order", "write_date asc, id asc"},
                                 {"limit", limit},
                                 {"context", kAllRecords}});
  if (!rows.is_array()) throw CmmsError(CmmsError::Kind::protocol, false, model + " search_read did not answer a list");
  return std::move(rows.get_array());
}

json::array Puller::read(const std::string& model, const std::vector<std::int64_t>& ids) {
  json::array id_list;
  for (auto id : ids) id_list.push_back(id);
  json::value rows = odoo_.call(model, "search_read",
                                {{"domain", json::array{json::array{"id", "in", std::move(id_list)}}},
                                 {"fields", field_list(odoo_.dialect().fields(model))},
                                 {"context", kAllRecords}});
  if (!rows.is_array()) throw CmmsError(CmmsError::Kind::protocol, false, model + " search_read did not answer a list");
  return std::move(rows.get_array());
}

// Whether no Odoo transaction can still commit rows stamped `mark`; once
// settled, a mark stays settled (an idle poll asks nothing more).
bool Puller::settled(const std::string& model, TimePoint mark) {
  const auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = first_seen_.try_emplace(model, Seen{mark, now, false});
  Seen& seen = it->second;
  if (!fresh && seen.mark != mark) seen = Seen{mark, now, false};
  if (seen.settled) return true;
  const auto odoo_now = odoo_.server_time();
  seen.settled = (odoo_now && *odoo_now - mark >= options_.settle) || now - seen.first >= options_.settle;
  return seen.settled;
}

ModelPull Puller::pull(const std::string& model) {
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
  const bool is_settled = mark.write_date && settled(model, *mark.write_date);
  json::array domain = incremental_domain(mark, is_settled);
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

void Puller::publish(storage::Tx& tx, Page& page) {
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
    auto row = tx.tasks().get_row(e.id);
    if (!row) continue;
    json::object data = api::to_json(*row, now);
    data["source"] = "cmms";
    tx.after_commit([&bus = bus_, type = e.type, payload = json::serialize(data), audience = audience_of(e)] {
      bus.publish(type, payload, audience);
    });
  }
}

void Puller::rejected(const std::string& model, const std::string& field, const std::string& what, Page& page) {
  ++page.stats.rejected;
  if (metrics_) {
    metrics_->mapping_errors.with({model, field}).inc();
    metrics_->records.with({model, "rejected"}).inc();
  }
  log::warn("sync", "CMMS record rejected", {{"error", what}});
}

}  // namespace visor::odoo
