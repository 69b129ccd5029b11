#pragma once
// Pulling Odoo into the store: incremental by write_date (watermark per
// model, see watermark.hpp), page by page, each page and its watermark in
// one transaction — a crash loses at most the page being written, and that
// page is fetched again. Reconcile compares ids on both sides to find what
// Odoo deleted (which write_date cannot show) and fetches what is missing.
//
// Models in dependency order: stages, teams, users, categories, equipment,
// requests. Task changes are published on the event bus after each commit
// (per task, or one "sync.reload" for bulk pages).
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "events/bus.hpp"
#include "storage/store.hpp"
#include "sync/connector.hpp"
#include "sync/links.hpp"
#include "sync/odoo_mapping.hpp"
#include "sync/odoo_session.hpp"
#include "sync/sync_metrics.hpp"
#include "util/clock.hpp"

namespace visor::sync {

struct PullOptions {
  int page_size = 500;
  /// Ids kept at the watermark's second before it falls back to "after id N".
  std::size_t max_ids_at_mark = 2000;
  /// Pages changing more tasks than this publish one "sync.reload" event.
  std::size_t max_task_events = 50;
  /// How long after Visor first saw the watermark's second it stops fetching
  /// that second again: longer than any Odoo transaction lasts.
  std::chrono::seconds settle{60};
};

class OdooPuller {
 public:
  OdooPuller(OdooSession& odoo, storage::Store& store, events::EventBus& bus, const IClock& clock,
             SyncMetrics* metrics, PullOptions options = {});

  static const std::vector<std::string>& models();

  ModelPull pull(const std::string& model);
  ModelPull reconcile(const std::string& model);

 private:
  struct Page;
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
  std::vector<std::int64_t> remote_ids(const std::string& model);
  std::vector<std::pair<std::int64_t, std::int64_t>> local_links(const std::string& model);
  void remove_local(const std::string& model, std::int64_t local_id, ModelPull& out);
  void rejected(const std::string& model, const std::string& field, const std::string& what, Page& page);

  OdooSession& odoo_;
  storage::Store& store_;
  events::EventBus& bus_;
  const IClock& clock_;
  SyncMetrics* metrics_;
  PullOptions options_;
  Links links_;
  std::map<std::string, storage::Watermark> marks_;  // as last committed
  // Per model: the watermark's second and when this process first saw it.
  std::map<std::string, std::pair<TimePoint, std::chrono::steady_clock::time_point>> first_seen_;
};

/// A request as Visor would hold it: relations resolved to local ids (an
/// unknown user, machine or team becomes none; an unknown stage throws
/// odoo_map::MappingError). No local id, version or floor state.
Task resolve_request(storage::Tx& tx, Links& links, const odoo_map::RemoteRequest& r);

/// Fields read per model for this server.
std::vector<std::string> fields_for(const std::string& model, bool equipment_has_location);
/// Extra domain terms per model (users: internal users only).
boost::json::array base_domain(const std::string& model);

}  // namespace visor::sync
