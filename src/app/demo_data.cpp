#include "app/demo_data.hpp"

#include <sodium.h>

#include <array>

#include "domain/instructions.hpp"
#include "services/equipment.hpp"
#include "util/error.hpp"

namespace visor::app {
namespace {

using namespace std::chrono;

struct MachineKind {
  const char* category;
  const char* name;
  const char* model;
};

constexpr std::array<MachineKind, 10> kKinds{{{"Presses", "Hydraulic press", "HP-250"},
                                              {"Presses", "Stamping press", "SP-80"},
                                              {"Compressors", "Air compressor", "GA 37"},
                                              {"Compressors", "Screw compressor", "SC-55"},
                                              {"Conveyors", "Belt conveyor", "BC-1200"},
                                              {"Conveyors", "Roller conveyor", "RC-600"},
                                              {"Pumps", "Centrifugal pump", "CP-40"},
                                              {"Pumps", "Coolant pump", "KP-12"},
                                              {"CNC", "CNC lathe", "CL-2000"},
                                              {"CNC", "Milling centre", "VMC-850"}}};

constexpr std::array<const char*, 8> kFaults{"Oil leak under the main cylinder", "Unusual noise at start-up",
                                             "Emergency stop does not reset",    "Belt slipping under load",
                                             "Pressure drops during cycle",      "Overheating alarm",
                                             "Vibration above threshold",        "Guard sensor intermittent"};

constexpr std::array<const char*, 5> kPreventive{"Monthly inspection", "Quarterly service", "Lubrication round",
                                                 "Filter replacement", "Safety check"};

const char* kInspection =
    "<p>Routine inspection of the machine.</p><ol><li>Lock out and tag out the main power (LOTO).</li>"
    "<li>Check the hydraulic oil level; record it in litres.</li><li>Inspect hoses for cracks or leaks.</li>"
    "<li>Measure the pump pressure at idle (bar).</li><li>Remove the lock and run a test cycle.</li></ol>"
    "<p><b>Safety:</b> wear gloves and eye protection.</p>";
const char* kLubrication =
    "<ol><li>Stop the machine and wait for it to stand still.</li><li>Clean the grease nipples.</li>"
    "<li>Grease each bearing with two strokes.</li><li>Measure the bearing temperature after 10 minutes "
    "(°C).</li></ol><p>Warning: hot surfaces.</p>";
const char* kFilter =
    "<p>1. Close the inlet valve<br>2. Replace the filter cartridge<br>3. Record the differential pressure "
    "(bar)<br>4. Open the valve and check for leaks</p>";

std::string random_password() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  std::string p;
  for (int i = 0; i < 14; ++i) p.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
  return p;
}

// A small deterministic generator so that demo plants look alike between runs.
struct Rng {
  std::uint64_t state;
  std::uint32_t next(std::uint32_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return std::uint32_t(state >> 33) % bound;
  }
};

}  // namespace

std::vector<DemoLogin> load_demo_data(storage::Store& store, const IClock& clock, DemoSize size,
                                      const auth::PasswordCost& cost) {
  const TimePoint now = clock.now();
  const TimePoint today = floor<days>(now);
  std::vector<DemoLogin> logins{{"admin", "admin", random_password()},
                                {"manager", "manager", random_password()},
                                {"alice", "technician", random_password()},
                                {"bruno", "technician", random_password()},
                                {"chen", "technician", random_password()}};
  std::vector<std::string> hashes;
  for (const DemoLogin& l : logins) hashes.push_back(auth::hash_password(Secret(l.password), cost));

  store.write([&](storage::Tx& tx) {
    if (!tx.users().list(true).empty()) fail(ErrorCode::conflict, "The store already holds users; demo data is for an empty store.");
    std::vector<Stage> stages{{StageId{}, std::nullopt, "New Request", 1, false, false},
                              {StageId{}, std::nullopt, "In Progress", 2, false, false},
                              {StageId{}, std::nullopt, "Repaired", 3, true, true},
                              {StageId{}, std::nullopt, "Scrap", 4, true, true}};
    for (Stage& s : stages) tx.catalog().save_stage(s);
    std::vector<Team> teams{{TeamId{}, std::nullopt, "Mechanical"}, {TeamId{}, std::nullopt, "Electrical"}};
    for (Team& t : teams) tx.catalog().save_team(t);
    // A plant-sized staff works in crews of about ten.
    std::vector<Team> crews;
    for (int i = 1; i <= (size.technicians - 3) / 10; ++i) {
      Team crew{TeamId{}, std::nullopt, "Crew " + std::to_string(i)};
      tx.catalog().save_team(crew);
      crews.push_back(crew);
    }

    const std::array<const char*, 5> names{"Ada Admin", "Maria Manager", "Alice Martin", "Bruno Lefèvre", "Chen Wei"};
    const std::array<int, 5> team_of{-1, -1, 0, 1, 0};
    std::vector<User> users;
    for (std::size_t i = 0; i < logins.size(); ++i) {
      User u;
      u.login = logins[i].login;
      u.name = names[i];
      u.email = logins[i].login + "@plant.example";
      u.role = *parse_role(logins[i].role);
      if (team_of[i] >= 0) u.team_id = teams[std::size_t(team_of[i])].id;
      u.locale = i == 3 ? "fr" : "en";
      u.created_at = now;
      tx.users().insert(u, hashes[i]);
      users.push_back(u);
    }
    std::vector<UserId> techs{users[2].id, users[3].id, users[4].id};
    std::vector<std::optional<TeamId>> team_of_tech{users[2].team_id, users[3].team_id, users[4].team_id};
    for (int i = 4; i <= size.technicians; ++i) {
      User u;
      u.login = "tech-" + std::string(i < 10 ? "00" : i < 100 ? "0" : "") + std::to_string(i);
      u.name = "Technician " + std::to_string(i);
      u.email = u.login + "@plant.example";
      u.role = Role::technician;
      u.team_id = crews.empty() ? teams[std::size_t(i) % 2].id : crews[std::size_t(i - 4) % crews.size()].id;
      u.locale = "en";
      u.created_at = now;
      tx.users().insert(u, "");
      techs.push_back(u.id);
      team_of_tech.push_back(u.team_id);
    }
    for (int i = 2; i <= size.managers; ++i) {
      User u;
      u.login = "manager-" + std::to_string(i);
      u.name = "Manager " + std::to_string(i);
      u.email = u.login + "@plant.example";
      u.role = Role::manager;
      u.locale = "en";
      u.created_at = now;
      tx.users().insert(u, "");
    }

    std::vector<Category> categories;
    for (const char* name : {"Presses", "Compressors", "Conveyors", "Pumps", "CNC"}) {
      Category c{CategoryId{}, std::nullopt, name, std::nullopt};
      tx.catalog().save_category(c);
      categories.push_back(c);
    }
    auto category_id = [&](const char* name) {
      for (const Category& c : categories)
        if (c.name == name) return c.id;
      return categories.front().id;
    };

    Rng rng{42};
    std::vector<Equipment> machines;
    for (int i = 0; i < size.equipment; ++i) {
      const MachineKind& kind = kKinds[std::size_t(i) % kKinds.size()];
      Equipment e;
      e.name = std::string(kind.name) + " " + std::to_string(i / int(kKinds.size()) + 1);
      e.model = kind.model;
      e.serial_no = "SN-" + std::to_string(100000 + i * 37);
      e.category_id = category_id(kind.category);
      e.location = std::string(i % 2 == 0 ? "Hall A" : "Hall B") + " / Line " + std::to_string(i % 5 + 1);
      e.team_id = teams[std::size_t(i) % 4 == 3 ? 1 : 0].id;
      e.technician_id = techs[std::size_t(i) % 3];
      e.code = "M-" + std::to_string(1000 + i);
      e.updated_at = now;
      tx.equipment().insert(e);
      machines.push_back(e);
    }

    for (int i = 0; i < size.tasks; ++i) {
      const Equipment& machine = machines[rng.next(std::uint32_t(machines.size()))];
      Task t;
      const bool preventive = rng.next(10) < 4;
      t.type = preventive ? MaintenanceType::preventive : MaintenanceType::corrective;
      t.title = preventive ? std::string(kPreventive[rng.next(kPreventive.size())]) + " — " + machine.name
                           : std::string(kFaults[rng.next(kFaults.size())]) + " — " + machine.name;
      t.description = preventive ? "" : "<p>Reported by the line operator.</p>";
      t.equipment_id = machine.id;
      t.team_id = machine.team_id;
      t.priority = int(rng.next(4));
      const int day_offset = int(rng.next(21)) - 7;  // a week back to two weeks ahead
      t.schedule_start = today + days(day_offset) + hours(6 + rng.next(10));
      t.schedule_end = *t.schedule_start + minutes(30 * (1 + rng.next(6)));
      t.request_date = floor<days>(*t.schedule_start - days(rng.next(5) + 1));
      if (rng.next(10) < 8) {
        const std::size_t tech = rng.next(std::uint32_t(techs.size()));
        t.assignee_id = techs[tech];
        // In a plant-sized staff a technician works in their own team.
        if (techs.size() > 3) t.team_id = team_of_tech[tech];
      }
      const std::uint32_t pick = rng.next(3);
      if (preventive || rng.next(2) == 0) {
        t.instructions.kind = InstructionKind::text;
        t.instructions.text = pick == 0 ? kInspection : pick == 1 ? kLubrication : kFilter;
      }
      if (preventive && rng.next(2) == 0) {
        t.recurrence = Recurrence{true, int(1 + rng.next(3)), RepeatUnit::month, RepeatType::forever, std::nullopt};
      }
      // Past work is mostly done, today's is under way, future work is new.
      const std::uint32_t roll = rng.next(100);
      if (day_offset < 0 && roll < 75 && t.assignee_id) {
        t.stage_id = roll < 72 ? stages[2].id : stages[3].id;
        t.execution = Execution::completed;
        t.close_date = floor<days>(*t.schedule_end);
      } else if (day_offset <= 0 && roll < 40 && t.assignee_id) {
        t.stage_id = stages[1].id;
        t.execution = roll < 30 ? Execution::in_progress : Execution::paused;
      } else {
        t.stage_id = stages[0].id;
      }
      // Nothing in the demo happened after "now": creation, starts and steps.
      t.created_at = std::min(*t.schedule_start - days(3), now);
      t.updated_at = now;
      tx.tasks().insert(t);
      const ParsedInstructions parsed = parse_instructions(t.instructions);
      std::vector<Step> steps = merge_steps({}, parsed.steps);
      if (t.execution == Execution::not_started) {
        if (!steps.empty()) tx.tasks().replace_steps(t.id, steps);
        continue;
      }
      // A plausible work log: started, steps done a few minutes apart, finished.
      TimePoint at = std::min(*t.schedule_start + minutes(rng.next(20)), now - hours(2));
      auto log = [&](WorkLogKind kind, std::optional<int> step, std::string value = {}) {
        WorkLogEntry e;
        e.task_id = t.id;
        e.user_id = t.assignee_id;
        e.kind = kind;
        e.at = std::min(at, now);
        e.step = step;
        e.value = std::move(value);
        tx.tasks().append_log(e);
      };
      log(WorkLogKind::started, std::nullopt);
      const std::size_t done_steps = t.execution == Execution::completed ? steps.size() : steps.size() / 2;
      for (std::size_t s = 0; s < done_steps; ++s) {
        at += minutes(3 + rng.next(12));
        steps[s].done = true;
        steps[s].done_at = std::min(at, now);
        steps[s].done_by = t.assignee_id;
        if (steps[s].wants_value) steps[s].value = std::to_string(2 + rng.next(40)) + "." + std::to_string(rng.next(10));
        log(WorkLogKind::step_done, int(s) + 1, steps[s].value);
      }
      if (t.execution == Execution::paused) {
        at += minutes(5);
        log(WorkLogKind::paused, std::nullopt);
      }
      if (t.execution == Execution::completed) {
        at += minutes(5 + rng.next(20));
        log(WorkLogKind::completed, std::nullopt);
      }
      if (!steps.empty()) tx.tasks().replace_steps(t.id, steps);
    }
  });
  return logins;
}

}  // namespace visor::app
