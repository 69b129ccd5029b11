#pragma once
// What a rendered body — a task-list page, a task card, a report — depends
// on, in units the store tracks (decision 0018). Every committed transaction
// moves the stamp of each scope its changes touched; a body kept under the
// stamps of its scopes is therefore never stale, and a change elsewhere
// (another technician's task, another team) leaves it cached.
#include <cstdint>
#include <string>
#include <vector>

#include "domain/ids.hpp"

namespace visor::storage {

struct ChangeScope {
  enum class Kind : char {
    tasks = 'a',    // any task row: the store's revision (unfiltered planner lists)
    names = 'n',    // stages, teams, categories, machines and users as task rows name them
    reports = 'r',  // what the KPI reports aggregate: task rows, starts and completions, names
    user = 'u',     // the tasks assigned to one user (before or after a change)
    team = 't',     // the tasks of one team (before or after a change)
    task = 'k',     // one task's card: its row, steps and work log
  };
  Kind kind = Kind::tasks;
  std::int64_t id = 0;  // the user, team or task; 0 for the others

  static ChangeScope all_tasks() { return {Kind::tasks, 0}; }
  static ChangeScope names() { return {Kind::names, 0}; }
  static ChangeScope reports() { return {Kind::reports, 0}; }
  static ChangeScope of(UserId u) { return {Kind::user, u.value}; }
  static ChangeScope of(TeamId t) { return {Kind::team, t.value}; }
  static ChangeScope of(TaskId t) { return {Kind::task, t.value}; }

  /// The stored key: "u12", "k7", "n" …
  std::string key() const {
    std::string k(1, static_cast<char>(kind));
    if (id != 0) k += std::to_string(id);
    return k;
  }
  friend bool operator==(const ChangeScope&, const ChangeScope&) = default;
};

/// The scopes a body depends on, with the stamps read in one snapshot.
struct Stamps {
  std::vector<ChangeScope> scopes;
  std::vector<std::int64_t> values;  // same order

  /// "u12=40;t3=38;n=2": what cache keys and validators carry.
  std::string text() const {
    std::string out;
    for (std::size_t i = 0; i < scopes.size(); ++i) {
      if (i) out += ';';
      out += scopes[i].key();
      out += '=';
      out += std::to_string(i < values.size() ? values[i] : 0);
    }
    return out;
  }
};

}  // namespace visor::storage
