#pragma once
// Writing audit entries from the auth module: who (user id + label), what
// (action, target), when, from where. `detail` never holds a password, a
// token or a token hash.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/store.hpp"

namespace visor::auth {

/// Who acts and from where. `user` is empty for anonymous callers
/// (label "public") and the CLI (label "system").
struct AuditSource {
  std::optional<UserId> user;
  std::string label;
  std::string remote_addr;
};

/// Appends an entry; `detail` is a flat list of string fields, written as a
/// JSON object.
void audit(storage::Tx& tx, TimePoint at, const AuditSource& source, std::string action, std::string target_type,
           std::string target_id, const std::vector<std::pair<std::string_view, std::string>>& detail = {});

}  // namespace visor::auth
