#include "auth/audit.hpp"

#include <boost/json.hpp>

namespace visor::auth {

void audit(storage::Tx& tx, TimePoint at, const AuditSource& source, std::string action, std::string target_type,
           std::string target_id, const std::vector<std::pair<std::string_view, std::string>>& detail) {
  boost::json::object obj;
  for (const auto& [key, value] : detail) obj[key] = value;
  storage::AuditEntry entry;
  entry.at = at;
  entry.actor = source.user;
  entry.actor_label = source.label;
  entry.action = std::move(action);
  entry.target_type = std::move(target_type);
  entry.target_id = std::move(target_id);
  entry.detail = boost::json::serialize(obj);
  entry.remote_addr = source.remote_addr;
  tx.audit().append(entry);
}

}  // namespace visor::auth
