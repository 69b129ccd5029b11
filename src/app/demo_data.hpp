#pragma once
// A believable plant for first runs, demos and benchmarks: stages as in
// Odoo's demo data, two teams, five machine categories, machines across two
// halls, three technicians, a manager and an admin, and tasks spread over
// the stages and the weeks around today — some with step-by-step
// instructions, some started, some done with their work logs.
#include <string>
#include <vector>

#include "auth/password.hpp"
#include "storage/store.hpp"
#include "util/clock.hpp"

namespace visor::app {

struct DemoSize {
  int equipment = 30;
  int tasks = 200;
  /// Technicians beyond the three named ones ("tech-004" …, in crews of
  /// about ten) and managers beyond "manager" ("manager-2" …): a
  /// plant-sized staff for benchmarks. They have no password (they use
  /// device tokens: `visor token create`) and take their share of the tasks.
  int technicians = 3;
  int managers = 1;
};

struct DemoLogin {
  std::string login;
  std::string role;
  std::string password;  // generated; shown once to the operator
};

/// Loads the demo plant into an empty store (Error(conflict) if it already
/// holds users or tasks). Returns the generated logins.
std::vector<DemoLogin> load_demo_data(storage::Store& store, const IClock& clock, DemoSize size,
                                      const auth::PasswordCost& cost);

}  // namespace visor::app
