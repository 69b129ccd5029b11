// Reconcile: what Odoo has that Visor lacks is fetched; what Visor has linked
// that Odoo's search no longer shows is read by id — absent from a search
// never proves deleted (a key whose user may not see the records gets empty
// answers). Ids missing from the read's answer are deleted; a record hidden
// by Odoo's access rules makes the read fail with AccessError, and then
// nothing is reported gone.
#include <algorithm>
#include <unordered_set>

#include "connectors/odoo/pull.hpp"
#include "connectors/odoo/pull_page.hpp"

namespace visor::odoo {
namespace json = boost::json;
using sync::CmmsError;

namespace {

constexpr std::size_t kReadChunk = 500;
const json::object kAllRecords{{"active_test", false}};

template <class T>
std::vector<std::vector<T>> chunks(const std::vector<T>& all, std::size_t size) {
  std::vector<std::vector<T>> out;
  for (std::size_t i = 0; i < all.size(); i += size)
    out.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(i),
                     all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), i + size)));
  return out;
}

}  // namespace

std::vector<std::int64_t> Puller::remote_ids(const std::string& model) {
  json::value v = odoo_.call(model, "search", {{"domain", base_domain(model)}, {"context", kAllRecords}});
  if (!v.is_array()) throw CmmsError(CmmsError::Kind::protocol, false, model + " search did not answer a list");
  std::vector<std::int64_t> out;
  out.reserve(v.get_array().size());
  for (const auto& id : v.get_array())
    if (id.is_int64()) out.push_back(id.get_int64());
  std::sort(out.begin(), out.end());
  return out;
}

// The ids of `ids` that exist in Odoo, by reading them.
std::vector<std::int64_t> Puller::existing(const std::string& model, const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> out;
  for (const auto& chunk : chunks(ids, kReadChunk)) {
    json::array id_list;
    for (auto id : chunk) id_list.push_back(id);
    json::value rows;
    try {
      rows = odoo_.call(model, "read", {{"ids", std::move(id_list)}, {"fields", json::array{"display_name"}}});
    } catch (const CmmsError& e) {
      if (e.kind() != CmmsError::Kind::access) throw;
      throw CmmsError(CmmsError::Kind::access, true, e.what(),
                      "The Odoo user of this API key may not see some " + model +
                          " records that Visor has, so Visor cannot tell which ones Odoo deleted: nothing was "
                          "removed. Give that user the Maintenance rights, or use another key.");
    }
    if (!rows.is_array()) throw CmmsError(CmmsError::Kind::protocol, false, model + " read did not answer a list");
    for (const auto& r : rows.get_array())
      if (const auto* o = r.if_object())
        if (const auto* id = o->if_contains("id"); id && id->is_int64()) out.push_back(id->get_int64());
  }
  return out;
}

// (Odoo id, local id) of every local record linked to `model`.
std::vector<std::pair<std::int64_t, std::int64_t>> Puller::local_links(const std::string& model) {
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

sync::Reconciliation Puller::reconcile(const std::string& model) {
  sync::Reconciliation out;
  out.kind = kind_of(model);
  sync::ModelPull& stats = out.pull;
  stats.model = model;
  const auto calls0 = odoo_.calls();
  const auto wait0 = odoo_.remote_time();
  links_.reset();
  // Local first: a record linked after this snapshot cannot look deleted.
  const auto local = local_links(model);
  const auto remote = remote_ids(model);
  out.linked = static_cast<std::int64_t>(local.size());
  const std::unordered_set<std::int64_t> remote_set(remote.begin(), remote.end());
  std::unordered_set<std::int64_t> local_set;
  std::vector<std::int64_t> candidates;
  for (const auto& [odoo_id, local_id] : local) {
    local_set.insert(odoo_id);
    if (!remote_set.count(odoo_id)) candidates.push_back(odoo_id);
  }
  if (!candidates.empty()) {
    const auto found = existing(model, candidates);
    // Users outside the base domain (no longer internal) are unlinked too;
    // any other record that exists is not gone.
    const std::unordered_set<std::int64_t> alive =
        model == kUserModel ? std::unordered_set<std::int64_t>{} : std::unordered_set<std::int64_t>(found.begin(), found.end());
    for (const auto& [odoo_id, local_id] : local)
      if (!remote_set.count(odoo_id) && !alive.count(odoo_id)) out.gone.push_back({odoo_id, local_id});
  }
  std::vector<std::int64_t> missing;
  for (auto id : remote)
    if (!local_set.count(id)) missing.push_back(id);
  for (const auto& chunk : chunks(missing, kReadChunk)) {
    const json::array rows = read(model, chunk);
    stats.fetched += static_cast<std::int64_t>(rows.size());
    sync::ModelPull delta;
    store_.write([&](storage::Tx& tx) {
      delta = sync::ModelPull{model};
      Page page{delta};
      apply(tx, model, rows, page);
      publish(tx, page);
    });
    stats.created += delta.created;
    stats.updated += delta.updated;
    stats.removed += delta.removed;
    stats.rejected += delta.rejected;
  }
  stats.calls = odoo_.calls() - calls0;
  stats.remote_time = odoo_.remote_time() - wait0;
  return out;
}

}  // namespace visor::odoo
