#include "storage/sql/tx.hpp"

#include <exception>

#include "util/log.hpp"

namespace visor::storage::sql {

namespace {
constexpr std::string_view kBumpRevision = "UPDATE revision SET value = value + 1 WHERE id = 1";
constexpr std::string_view kBumpCredentials = "UPDATE credential_revision SET value = value + 1 WHERE id = 1";
}

void TxContext::require_writable() const {
  if (!writable_) throw Error(ErrorCode::internal, "Write attempted in a read-only transaction.");
}

void TxContext::flush_credentials() {
  if (!credentials_pending_) return;
  session_.execute(kBumpCredentials);
  credentials_pending_ = false;
}

void TxContext::flush_revision() {
  if (!revision_pending_) return;
  session_.execute(kBumpRevision);
  revision_pending_ = false;
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
