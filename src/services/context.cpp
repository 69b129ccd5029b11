#include "services/context.hpp"

namespace visor::services {

void audit(storage::Tx& tx, const Caller& caller, TimePoint at, std::string action, std::string target_type,
           std::string target_id, std::string detail_json) {
  storage::AuditEntry e;
  e.at = at;
  if (caller.actor.user.value != 0) e.actor = caller.actor.user;
  e.actor_label = caller.label;
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.detail = std::move(detail_json);
  e.remote_addr = caller.remote_addr;
  tx.audit().append(e);
}

}  // namespace visor::services
