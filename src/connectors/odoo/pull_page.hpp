#pragma once
// Internal to pull.cpp, apply.cpp and reconcile.cpp: what one page of a pull
// (or one reconcile batch) did, and the events it will publish after commit.
#include <optional>
#include <vector>

#include "connectors/odoo/pull.hpp"
#include "domain/rules.hpp"
#include "sync/undelivered.hpp"

namespace visor::odoo {

struct TaskEvent {
  TaskId id;
  std::string type;  // task.created, task.changed
  std::optional<UserId> assignee;
  std::optional<UserId> previous_assignee;
  std::optional<TeamId> team;
};

struct Puller::Page {
  sync::ModelPull& stats;
  std::vector<TaskEvent> tasks;
  bool catalog = false;
  std::optional<sync::Undelivered> undelivered;
  std::optional<StageSet> stages;
};

}  // namespace visor::odoo
