// The engine's pull and reconcile steps (the loop, the lease and delivery
// are in engine.cpp): models pulled in the connector's order, outcomes
// recorded when they change, and the deletion policy of decision 0011 —
// every model compared first, then only what the connector proved gone
// removed, through the mass-deletion guard.
#include <algorithm>
#include <set>

#include <boost/json/serialize.hpp>

#include "sync/connector_settings.hpp"
#include "sync/deletion_guard.hpp"
#include "sync/engine.hpp"
#include "sync/engine_internal.hpp"
#include "sync/removal.hpp"
#include "util/log.hpp"

namespace visor::sync {
namespace json = boost::json;
using detail::admins;
using detail::one_line;

void Engine::pull_all(CycleReport& report) {
  const TimePoint at = clock_.now();
  std::vector<std::pair<std::string, std::string>> outcomes;  // model, error ("" = ok)
  bool stopped = false;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& model : connector_->models()) {
    if (stopped) break;
    try {
      ModelPull r = connector_->pull(model);
      metrics_.pulls.with({model, "ok"}).inc();
      if (r.created) metrics_.records.with({model, "created"}).inc(double(r.created));
      if (r.updated) metrics_.records.with({model, "updated"}).inc(double(r.updated));
      report.pulls.push_back(std::move(r));
      outcomes.emplace_back(model, "");
    } catch (const CmmsError& e) {
      metrics_.pulls.with({model, "error"}).inc();
      failed(e, report);
      outcomes.emplace_back(model, one_line(e.what()));
      stopped = e.is_outage() || e.kind() == CmmsError::Kind::server;
      // A CMMS that cannot answer a plain read is down as a whole.
      if (e.retryable()) outage_ = true;
    }
  }
  metrics_.cycle_seconds.with({"pull"})
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  // Outcomes are written when they change, and at least every 30 s (the
  // status shows the last success per model; an idle poll writes nothing).
  std::vector<std::pair<std::string, std::string>> to_write;
  for (const auto& o : outcomes) {
    auto it = recorded_.find(o.first);
    if (it == recorded_.end() || it->second.first != o.second || at - it->second.second >= std::chrono::seconds(30)) {
      to_write.push_back(o);
    }
  }
  if (!to_write.empty()) {
    store_.write([&](storage::Tx& tx) {
      for (const auto& [model, error] : to_write) tx.sync().record_pull(model, at, error.empty(), error);
    });
    for (const auto& [model, error] : to_write) recorded_[model] = {error, at};
  }
  if (report.errors.empty()) {
    // An alert about deletions stays until a reconcile goes through.
    bool from_reconcile = false;
    {
      std::lock_guard lock(mutex_);
      from_reconcile = state_.alert && state_.alert->kind == "access";
    }
    if (!from_reconcile) clear_alert();
    if (outage_) expedite_retries();
  }
}

// Two phases: every model is compared first; only when all comparisons went
// through is anything removed, so an access error anywhere deletes nothing.
void Engine::reconcile_all(CycleReport& report) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Reconciliation> results;
  for (const std::string& model : connector_->models()) {
    try {
      results.push_back(connector_->reconcile(model));
    } catch (const CmmsError& e) {
      failed(e, report);
      log::warn("sync", "reconcile stopped: nothing is removed", {{"model", model}, {"error", e.what()}});
      return;
    }
  }
  ConnectorSettings settings;
  std::vector<HeldDeletion> held;
  Approvals approved;
  store_.read([&](storage::Tx& tx) {
    settings = load_connector(tx);
    held = load_held(tx);
    approved = load_approved(tx);
  });
  const std::vector<HeldDeletion> held_before = held;
  const Approvals approved_before = approved;
  const TimePoint now = clock_.now();
  for (Reconciliation& r : results) {
    ModelPull& out = r.pull;
    std::vector<GoneRecord> go;
    std::vector<GoneRecord> rest;
    std::set<std::int64_t>& ok = approved[out.model];
    for (const GoneRecord& g : r.gone) (ok.count(g.cmms_id) ? go : rest).push_back(g);
    ok.clear();  // consumed (or no longer gone)
    auto it = std::find_if(held.begin(), held.end(), [&](const HeldDeletion& h) { return h.model == out.model; });
    if (!rest.empty() && must_hold(settings.guard, rest.size(), r.linked)) {
      HeldDeletion h{out.model, r.kind, r.linked, rest, it == held.end() ? now : it->since};
      if (it == held.end()) {
        held.push_back(std::move(h));
      } else {
        *it = std::move(h);
      }
      report.held += static_cast<std::int64_t>(rest.size());
      log::warn("sync", "mass deletion held for an admin",
                {{"model", out.model}, {"gone", std::to_string(rest.size())}, {"linked", std::to_string(r.linked)}});
    } else {
      go.insert(go.end(), rest.begin(), rest.end());
      if (it != held.end()) held.erase(it);
    }
    remove_gone(store_, bus_, clock_, &metrics_, out.model, r.kind, go, out);
    report.reconciles.push_back(std::move(out));
  }
  std::erase_if(approved, [](const auto& kv) { return kv.second.empty(); });
  const auto key = [](const std::vector<HeldDeletion>& v) {
    std::vector<std::pair<std::string, std::size_t>> k;
    for (const auto& h : v) k.emplace_back(h.model, h.records.size());
    return k;
  };
  held_ = held.size();
  if (key(held) != key(held_before) || approved != approved_before) {
    store_.write([&](storage::Tx& tx) {
      save_held(tx, held);
      save_approved(tx, approved);
    });
    if (!held.empty())
      bus_.publish("sync.alert",
                   json::serialize(json::object{{"kind", "deletions_held"}, {"message", held_message(held)}}), admins());
  }
  last_reconcile_ = std::chrono::steady_clock::now();
  report.reconciled = true;
  metrics_.cycle_seconds.with({"reconcile"})
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  // The reconcile went through: an access alert it raised is over.
  bool access_alert = false;
  {
    std::lock_guard lock(mutex_);
    access_alert = state_.alert && state_.alert->kind == "access";
  }
  if (access_alert) clear_alert();
}

}  // namespace visor::sync
