#pragma once
// The API suites' server: one in-process Visor (app::Application) per test
// process on 127.0.0.1:0, with a ManualClock, a temporary data directory and
// a small demo plant (cheap Argon2 hashes). It also mints the credentials
// the tests act with — browser sessions (cookie + CSRF token) and device
// tokens — written to the store exactly as login and pairing write them, so
// that no test pays for Argon2; the login and pairing endpoints themselves
// are exercised over HTTP by the access suite.
#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/application.hpp"
#include "app/demo_data.hpp"
#include "client.hpp"
#include "domain/model.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"

namespace visor::apitest {

/// Who sends a request.
enum class Who {
  anonymous,
  technician,         // alice (team Mechanical), browser session
  technician_device,  // alice, device token (glasses)
  manager,            // browser session
  admin,              // browser session
  other_technician,   // bruno (team Electrical), browser session
  team_mate,          // chen (team Mechanical, like alice), browser session
};
std::string_view to_string(Who who);

/// The identities of the access matrix, in its column order.
inline constexpr Who kMatrixColumns[] = {Who::anonymous, Who::technician, Who::technician_device, Who::manager,
                                         Who::admin};

struct Session {
  std::string cookie;  // "visor_session=<token>"
  std::string csrf;
};

struct Identity {
  UserId user;
  Role role = Role::technician;
  std::optional<TeamId> team;
  std::string login;
  std::string password;  // from the demo data
  Session session;
  std::string device_token;
  DeviceId device;
};

/// Options of one request.
struct Req {
  Headers headers;      // extra headers
  bool csrf = true;     // send the session's X-CSRF-Token on unsafe methods
  std::string content_type = "application/json";
};

class TestServer {
 public:
  /// The process's server, started on first use.
  static TestServer& get();
  /// Adjusts the configuration of the server get() starts; false (and
  /// nothing done) when it already runs. The data directory exists when
  /// `adjust` runs. Suites may call it from their static initialisers.
  static bool configure(std::function<void(app::Config&)> adjust);
  /// Stops the server and removes its data directory (at exit).
  static void shutdown();

  std::uint16_t port() const { return port_; }
  ManualClock& clock() { return clock_; }
  app::Application& app() { return *app_; }
  storage::Store& store();
  const Identity& identity(Who who) const;

  /// Sends a request as `who` (cookie + CSRF header or bearer token).
  Reply call(Who who, std::string_view method, std::string_view target, std::string_view body = {},
             const Req& opts = {});
  /// The authentication headers `who` sends (none for anonymous).
  Headers auth_headers(Who who, std::string_view method, bool csrf = true) const;
  /// Sends with explicit headers only (nothing added but Host and framing).
  Reply raw_call(std::string_view method, std::string_view target, const Headers& headers,
                 std::string_view body = {});

  /// A fresh browser session of `user`, as Authenticator::login writes it.
  Session new_session(UserId user);
  /// A fresh device token of `user`, as pairing writes it; returns the token.
  std::string new_device(UserId user, DeviceId* id = nullptr);

  /// Moves the clock; sessions of the standard identities that would have
  /// expired are re-minted, so later tests are unaffected.
  void advance(std::chrono::milliseconds d);

  /// A task created through the API by the manager: assigned to `assignee`
  /// (if any), in `team`, optionally with numbered instructions (2 steps).
  TaskId create_task(std::optional<UserId> assignee, std::optional<TeamId> team, bool with_steps = false,
                     std::string_view title = "API suite task");
  /// Reads a task straight from the store (to check nothing was half-written).
  std::optional<Task> task(TaskId id);
  /// An active machine's code and id.
  Equipment any_equipment();
  /// Team ids of the demo plant (Mechanical, Electrical).
  TeamId mechanical() const { return identity(Who::technician).team.value(); }
  TeamId electrical() const { return identity(Who::other_technician).team.value(); }

 private:
  TestServer();
  ~TestServer();
  void mint_credentials();

  std::string dir_;
  ManualClock clock_;
  std::unique_ptr<app::Application> app_;
  std::thread runner_;
  std::uint16_t port_ = 0;
  std::vector<Identity> identities_;  // indexed by Who
};

/// A 1×1 PNG (a valid photo body).
std::string tiny_png();
/// Body of a problem reply's JSON as an object (empty when not JSON).
boost::json::object object_of(const Reply& r);

}  // namespace visor::apitest
