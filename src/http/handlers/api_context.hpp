#pragma once
// What API handlers share: the use-case dependencies, authentication, and a
// per-call view of the request with its principal. Handlers parse the
// request, call one use case and serialise its result — nothing more.
#include <boost/json/object.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "api/query.hpp"
#include "auth/authenticator.hpp"
#include "auth/pairing.hpp"
#include "auth/policy.hpp"
#include "auth/principal.hpp"
#include "auth/secret_box.hpp"
#include "http/message.hpp"
#include "services/context.hpp"
#include "util/body_cache.hpp"
#include "util/metrics.hpp"

namespace visor::sync {
struct SyncServices;
}

namespace visor::auth {
class LiveStreams;
}

namespace visor::handlers {

struct ApiContext {
  services::Deps deps;
  auth::Authenticator& auth;
  auth::PairingService& pairing;
  metrics::Registry& metrics;
  std::string public_url;          // for QR codes and pairing links
  std::filesystem::path media_dir;  // photos
  std::string timezone;             // the plant's, for the console
  /// The CMMS sync's use cases (sync/admin.hpp); null when this instance
  /// runs no sync.
  sync::SyncServices* sync = nullptr;
  /// Rendered task-list pages, task cards and KPI reports, keyed by the
  /// store's revision and everything else the body depends on (see
  /// BodyCache): repeated reads between two changes cost no query.
  BodyCache task_lists{metrics, "tasks"};
  BodyCache task_cards{metrics, "cards"};
  BodyCache kpi_reports{metrics, "kpis", std::size_t{4} << 20};
  /// Open live-event streams, their caps and their revocation (set by the
  /// composition root; null: no live events).
  auth::LiveStreams* streams = nullptr;
};

/// One API call: the request, its authenticated principal (if any) and
/// helpers to reach both.
struct Call {
  const http::Request& req;
  ApiContext& ctx;
  std::optional<auth::Principal> principal;
  /// The query, read against the route's declared parameters.
  api::Query query = {};
  /// The raw credential the principal came from: the session cookie's
  /// value or the bearer token (logout ends exactly that session; a live
  /// stream is tied to exactly that credential).
  std::optional<std::string_view> credential = {};

  /// The principal; only called on routes that require one.
  const auth::Principal& who() const { return *principal; }
  services::Caller caller() const;
  /// The path parameter `name` as a positive id (400 when it is not one).
  std::int64_t id_param(std::string_view name) const;
  std::string param(std::string_view name) const;
};

using ApiHandler = std::function<http::Response(Call&)>;

/// The value of the cookie called exactly `name` in the Cookie header
/// (`xvisor_session=…` is not `visor_session`), if present.
std::optional<std::string_view> session_cookie(const http::Request& req, std::string_view name);

/// The minute of `now`, as a number. Lists, cards and reports show
/// `overdue`, which changes with the clock alone, without any write: their
/// validators and cache keys carry the minute they were computed in, so a
/// copy is never served more than a minute after such a change (and 304s
/// still answer repeated polls).
std::string minute_of(TimePoint now);

/// A response with only a status (204, 304).
http::Response status_only(int status);
/// 304 Not Modified, carrying the validator the client already holds.
http::Response not_modified(const std::string& etag);

/// A JSON response with `Cache-Control: no-store` (API data is personal).
http::Response json_response(int status, const boost::json::value& body);
/// The same for a body already serialised.
http::Response json_response(int status, std::string serialized);
/// `If-Match: "v12…"` → 12; nullopt when absent; 400 when malformed.
std::optional<std::int64_t> if_match_version(const http::Request& req);

}  // namespace visor::handlers
