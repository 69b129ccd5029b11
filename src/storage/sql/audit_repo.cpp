// AuditRepository: who changed what, newest first.
#include <string>

#include "storage/sql/repositories.hpp"

namespace visor::storage::sql {
namespace {

constexpr std::string_view kAppend =
    "INSERT INTO audit (at, actor_id, actor_label, action, target_type, target_id, detail, remote_addr) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr std::string_view kListHead =
    "SELECT id, at, actor_id, actor_label, action, target_type, target_id, detail, remote_addr FROM audit";

}  // namespace

void SqlAuditRepository::append(AuditEntry& e) {
  ctx_.require_writable();
  e.id = returned_id(ctx_.db().query(kAppend, {arg(e.at), arg(e.actor), arg(e.actor_label), arg(e.action),
                                               arg(e.target_type), arg(e.target_id), arg(e.detail),
                                               arg(e.remote_addr)}));
}

std::vector<AuditEntry> SqlAuditRepository::list(const AuditQuery& q) {
  if (q.limit < 1 || q.limit > 1000) invalid("limit must be between 1 and 1000.");
  Params params;
  const auto param = [&](Param p) {
    params.push_back(std::move(p));
    return "$" + std::to_string(params.size());
  };
  std::string where;
  const auto add = [&](const std::string& clause) { where += (where.empty() ? " WHERE " : " AND ") + clause; };
  if (q.actor) add("actor_id = " + param(arg(*q.actor)));
  if (!q.action.empty()) {
    if (q.action.back() == '.') {  // a prefix: "task." matches "task.create", …
      const std::string p = param(arg(q.action));
      add("substr(action, 1, " + param(arg(static_cast<int>(q.action.size()))) + ") = " + p);
    } else {
      add("action = " + param(arg(q.action)));
    }
  }
  if (!q.target_type.empty()) add("target_type = " + param(arg(q.target_type)));
  if (!q.target_id.empty()) add("target_id = " + param(arg(q.target_id)));
  if (q.since) add("at >= " + param(arg(*q.since)));
  if (q.until) add("at < " + param(arg(*q.until)));
  if (q.before_id > 0) add("id < " + param(arg(q.before_id)));
  const std::string sql = std::string(kListHead) + where + " ORDER BY id DESC LIMIT " + param(arg(q.limit));

  std::vector<AuditEntry> out;
  Rows rows = ctx_.db().query(sql, params);
  while (rows.next()) {
    Fields f(rows);
    AuditEntry e;
    e.id = f.i64();
    e.at = f.time();
    e.actor = f.opt_id<UserId>();
    e.actor_label = f.str();
    e.action = f.str();
    e.target_type = f.str();
    e.target_id = f.str();
    e.detail = f.str();
    e.remote_addr = f.str();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace visor::storage::sql
