#pragma once
// Pulling Odoo into the store: incremental by write_date (watermark per
// model, see watermark.hpp), page by page, each page and its watermark in
// one transaction — a crash loses at most the page being written, and that
// page is fetched again.
//
// The newest second of a watermark is fetched again until it is settled:
// Odoo stamps write_date when a transaction starts, so rows of that second
// may still commit. It is settled once Odoo's own clock (the Date header of
// its answers) is `settle` past it — which a second `visor sync --once` on an
// unchanged Odoo sees at once — or, without a Date header, once this process
// has known that second for `settle`.
//
// Reconcile (reconcile.cpp) compares ids on both sides: it fetches what is
// missing locally and reports the linked records Odoo deleted — proved by a
// `read` of their ids (deleted ids are missing from the answer; hidden ones
// make Odoo answer AccessError, which stops the reconcile). Records Odoo
// brings back that Visor once unlinked are linked to the same local record
// (apply.cpp).
//
// Models in dependency order: stages, teams, users, categories, equipment,
// requests. Task changes are published on the event bus after each commit
// (per task, or one "sync.reload" for bulk pages).
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "connectors/odoo/mapping.hpp"
#include "connectors/odoo/session.hpp"
#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/links.hpp"
#include "sync/sync_metrics.hpp"
#include "util/clock.hpp"

namespace visor::odoo {

struct PullOptions {
  int page_size = 500;
  /// Ids kept at the watermark's second before it falls back to "after id N".
  std::size_t max_ids_at_mark = 2000;
  /// Pages changing more tasks than this publish one "sync.reload" event.
  std::size_t max_task_events = 50;
  /// How long after the watermark's second Odoo can no longer commit rows
  /// stamped with it: longer than any Odoo transaction lasts.
  std::chrono::seconds settle{60};
};

class Puller {
 public:
  Puller(Session& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock, sync::SyncMetrics* metrics,
         PullOptions options = {});

  sync::ModelPull pull(const std::string& model);
  sync::Reconciliation reconcile(const std::string& model);

  /// What one page (or one reconcile batch) did, and the events it will publish.
  struct Page;

 private:
  boost::json::array fetch(const std::string& model, const boost::json::array& domain, int limit);
  boost::json::array read(const std::string& model, const std::vector<std::int64_t>& ids);
  void apply(storage::Tx& tx, const std::string& model, const boost::json::array& rows, Page& page);
  void apply_stage(storage::Tx& tx, const boost::json::object& row, Page& page);
  void apply_team(storage::Tx& tx, const boost::json::object& row, Page& page);
  void apply_user(storage::Tx& tx, const boost::json::object& row, Page& page);
  void apply_category(storage::Tx& tx, const boost::json::object& row, Page& page);
  void apply_equipment(storage::Tx& tx, const boost::json::object& row, Page& page);
  void apply_request(storage::Tx& tx, const boost::json::object& row, Page& page);
  void publish(storage::Tx& tx, Page& page);
  bool settled(const std::string& model, TimePoint mark);
  std::vector<std::int64_t> remote_ids(const std::string& model);
  std::vector<std::int64_t> existing(const std::string& model, const std::vector<std::int64_t>& ids);
  std::vector<std::pair<std::int64_t, std::int64_t>> local_links(const std::string& model);
  void rejected(const std::string& model, const std::string& field, const std::string& what, Page& page);

  Session& odoo_;
  storage::Store& store_;
  events::EventBus& bus_;
  const IClock& clock_;
  sync::SyncMetrics* metrics_;
  PullOptions options_;
  sync::Links links_;
  std::map<std::string, storage::Watermark> marks_;  // as last committed
  // Per model: the watermark's second, when this process first saw it, and
  // whether it is settled.
  struct Seen {
    TimePoint mark;
    std::chrono::steady_clock::time_point first;
    bool settled = false;
  };
  std::map<std::string, Seen> first_seen_;
};

/// A request as Visor would hold it: relations resolved to local ids (an
/// unknown user, machine or team becomes none; an unknown stage throws
/// MappingError). No local id, version or floor state.
Task resolve_request(storage::Tx& tx, sync::Links& links, const RemoteRequest& r);

/// Extra domain terms per model (users: internal users only).
boost::json::array base_domain(const std::string& model);

/// What a record kind is called in Odoo, and back.
sync::RecordKind kind_of(std::string_view model);

}  // namespace visor::odoo
