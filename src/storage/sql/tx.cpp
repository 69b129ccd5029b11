#include "storage/sql/tx.hpp"

#include <algorithm>
#include <exception>

#include "util/log.hpp"

namespace visor::storage::sql {

namespace {

constexpr std::string_view kBumpRevision = "UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value";
constexpr std::string_view kBumpCredentials = "UPDATE credential_revision SET value = value + 1 WHERE id = 1";
constexpr std::string_view kPlacement = "SELECT assignee_id, team_id FROM tasks WHERE id = $1";

// "INSERT … VALUES ($2, $1), ($3, $1) … ON CONFLICT …" for `n` scopes: the
// statement text depends only on n, so each stays in the statement cache.
const std::string& upsert_stamps(std::size_t n) {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out(17);
    for (std::size_t k = 1; k < out.size(); ++k) {
      std::string sql = "INSERT INTO change_stamps (scope, value) VALUES ";
      for (std::size_t i = 0; i < k; ++i) {
        if (i) sql += ", ";
        sql += "($" + std::to_string(i + 2) + ", CAST($1 AS BIGINT))";
      }
      out[k] = sql + " ON CONFLICT (scope) DO UPDATE SET value = excluded.value";
    }
    return out;
  }();
  return texts.at(n);
}

// One primary-key lookup per scope: cheaper than an IN list (which builds
// an ephemeral table) for the two or three scopes a body depends on.
constexpr std::string_view kSelectStamp = "SELECT value FROM change_stamps WHERE scope = $1";

}  // namespace

void TxContext::require_writable() const {
  if (!writable_) throw Error(ErrorCode::internal, "Write attempted in a read-only transaction.");
}

void TxContext::touch(ChangeScope scope) {
  if (std::find(touched_.begin(), touched_.end(), scope) == touched_.end()) touched_.push_back(scope);
}

void TxContext::task_row_changed(TaskId id, std::optional<UserId> assignee, std::optional<TeamId> team) {
  touch(ChangeScope::of(id));
  touch(ChangeScope::all_tasks());
  touch(ChangeScope::reports());
  if (assignee) touch(ChangeScope::of(*assignee));
  if (team) touch(ChangeScope::of(*team));
}

void TxContext::task_shown_changed(TaskId id) {
  const auto [assignee, team] = placement(id);
  touch(ChangeScope::of(id));
  touch(ChangeScope::all_tasks());
  if (assignee) touch(ChangeScope::of(*assignee));
  if (team) touch(ChangeScope::of(*team));
}

void TxContext::names_changed() {
  touch(ChangeScope::names());
  touch(ChangeScope::reports());
}

void TxContext::remember(const Task& t) {
  for (Placement& p : known_) {
    if (p.id == t.id) {
      p.assignee = t.assignee_id;
      p.team = t.team_id;
      return;
    }
  }
  if (known_.size() >= 64) known_.erase(known_.begin());
  known_.push_back({t.id, t.assignee_id, t.team_id});
}

void TxContext::forget(TaskId id) {
  std::erase_if(known_, [&](const Placement& p) { return p.id == id; });
}

std::pair<std::optional<UserId>, std::optional<TeamId>> TxContext::placement(TaskId id) {
  for (const Placement& p : known_) {
    if (p.id == id) return {p.assignee, p.team};
  }
  Rows rows = session_.query(kPlacement, {arg(id)});
  if (!rows.next()) return {};
  Placement p{id, rows.opt_id<UserId>(0), rows.opt_id<TeamId>(1)};
  if (known_.size() >= 64) known_.erase(known_.begin());
  known_.push_back(p);
  return {p.assignee, p.team};
}

void TxContext::flush_changes() {
  if (touched_.empty()) return;
  const std::int64_t revision = returned_id(session_.query(kBumpRevision));
  // Scopes in one order in every transaction: concurrent PostgreSQL writers
  // lock their stamp rows in the same order (after the revision row).
  std::vector<std::string> keys;
  keys.reserve(touched_.size());
  for (const ChangeScope& s : touched_) keys.push_back(s.key());
  std::sort(keys.begin(), keys.end());
  for (std::size_t from = 0; from < keys.size(); from += 16) {
    const std::size_t n = std::min<std::size_t>(16, keys.size() - from);
    Params p;
    p.reserve(n + 1);
    p.push_back(arg(revision));
    for (std::size_t i = 0; i < n; ++i) p.push_back(arg(keys[from + i]));
    session_.execute(upsert_stamps(n), p);
  }
  touched_.clear();
}

std::vector<std::int64_t> TxContext::stamps(const std::vector<ChangeScope>& scopes) {
  if (writable_) flush_changes();
  std::vector<std::int64_t> values;
  values.reserve(scopes.size());
  for (const ChangeScope& s : scopes) values.push_back(session_.scalar(kSelectStamp, {arg(s.key())}).value_or(0));
  return values;
}

void TxContext::flush_credentials() {
  if (!credentials_pending_) return;
  session_.execute(kBumpCredentials);
  credentials_pending_ = false;
}

SqlTx::SqlTx(Session& session, bool writable) : ctx_(session, writable) {}

void SqlTx::after_commit(std::function<void()> fn) {
  after_commit_.push_back(std::move(fn));
}

void SqlTx::run_after_commit() {
  std::vector<std::function<void()>> callbacks = std::move(after_commit_);
  after_commit_.clear();
  for (auto& fn : callbacks) {
    try {
      fn();
    } catch (const std::exception& e) {
      log::error("storage", "after_commit callback failed", {{"error", e.what()}});
    } catch (...) {
      log::error("storage", "after_commit callback failed", {{"error", "unknown exception"}});
    }
  }
}

}  // namespace visor::storage::sql
