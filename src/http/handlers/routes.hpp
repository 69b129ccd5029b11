#pragma once
// The API's route table: every endpoint with the permission it needs and the
// query parameters it reads. This table is the single place access is
// declared; `install` wraps each handler so that the same-origin check,
// authentication, the permission check, CSRF, the body's media type and the
// query run before it, and the OpenAPI test and the access-matrix test read
// the same table.
#include <string>
#include <vector>

#include "api/query.hpp"
#include "http/handlers/api_context.hpp"
#include "http/router.hpp"

namespace visor::handlers {

/// Where a route's handler runs (decision 0017). The server keeps its I/O
/// threads for sockets; anything that may block runs on a bounded worker
/// pool, and a full pool answers 503 with Retry-After.
enum class Work {
  api,      // the default: store transactions (one pool, sized for waiting on the store)
  auth,     // Argon2id — sign-in, password changes: a small pool of its own, so that a
            // flood of sign-ins cannot take the threads everything else needs
  bulk,     // exports, image processing, uncomputed reports, CMMS round trips
  io_thread,  // never blocks (no store, no hashing): answered on the I/O thread
};

/// Route flags (http::Route::flags): the upload limit, and the work class.
inline constexpr std::uint32_t kUploadRoute = 1;
inline constexpr std::uint32_t kApiWork = 1u << 1;
inline constexpr std::uint32_t kAuthWork = 1u << 2;
inline constexpr std::uint32_t kBulkWork = 1u << 3;
/// The route's handler is first tried on the I/O thread (Request::quick):
/// reads that a cache usually answers.
inline constexpr std::uint32_t kQuickFirst = 1u << 4;
/// The flags of a work class (0 for io_thread: routes without a work flag,
/// static files included, run on the I/O thread).
std::uint32_t work_flags(Work work);

struct ApiRoute {
  http::Method method;
  std::string pattern;  // "/api/v1/tasks/{id}"
  std::string name;     // metrics label and OpenAPI operationId
  auth::Permission permission;
  ApiHandler handler;
  /// The query parameters it accepts (read by the guard into Call::query;
  /// compared with docs/openapi.json by the contract suite).
  api::QueryNames query = {};
  /// Accepts bodies up to the upload limit, of the type the handler checks
  /// (photos); every other body must be `application/json`.
  bool upload = false;
  Work work = Work::api;
  /// Try the handler on the I/O thread first; it must then answer only from
  /// memory (or an in-process store's stamps) and defer otherwise.
  bool quick = false;
};

std::vector<ApiRoute> api_routes();

/// Adds every API route to `router`, guarded, and a GET catch-all that
/// answers 404 (problem+json) for unknown paths under /api/.
void install(http::Router& router, ApiContext& ctx);

// One function per resource file, each appending its routes.
void add_session_routes(std::vector<ApiRoute>& routes);
void add_task_routes(std::vector<ApiRoute>& routes);
void add_equipment_routes(std::vector<ApiRoute>& routes);
void add_people_routes(std::vector<ApiRoute>& routes);
void add_catalog_routes(std::vector<ApiRoute>& routes);
void add_event_routes(std::vector<ApiRoute>& routes);
void add_media_routes(std::vector<ApiRoute>& routes);
void add_ops_routes(std::vector<ApiRoute>& routes);
void add_report_routes(std::vector<ApiRoute>& routes);
void add_planning_routes(std::vector<ApiRoute>& routes);
void add_sync_routes(std::vector<ApiRoute>& routes);  // sync_handlers.cpp (CMMS connector, outbox, conflicts)
void add_procedure_routes(std::vector<ApiRoute>& routes);    // procedures, completion, follow-ups, approval
void add_reliability_routes(std::vector<ApiRoute>& routes);  // meters, failure codes, the failure report
void add_triage_routes(std::vector<ApiRoute>& routes);  // triage_handlers.cpp (reported faults' inbox)

}  // namespace visor::handlers
