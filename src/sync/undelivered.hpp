#pragma once
// What the outbox still holds (pending or parked), as the pull needs to know
// it: fields a local change owns until delivered, tasks whose create has not
// reached the CMMS yet, CMMS records Visor is deleting.
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "storage/store.hpp"
#include "sync/task_fields.hpp"

namespace visor::sync {

struct TaskBacklog {
  std::string create_key;      // idempotency key of an undelivered create
  std::set<TaskField> owned;   // fields of undelivered writes
  bool any = false;            // at least one undelivered message
};

struct Undelivered {
  std::unordered_map<std::int64_t, TaskBacklog> tasks;  // by local task id
  std::unordered_set<std::int64_t> unlinking;           // CMMS ids of undelivered unlinks
  std::unordered_set<std::int64_t> users;               // local user ids with an undelivered create

  const TaskBacklog* task(TaskId id) const;
};

/// Reads the undelivered messages in `tx`.
Undelivered load_undelivered(storage::Tx& tx);

}  // namespace visor::sync
