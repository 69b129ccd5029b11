#pragma once
// sql::Session over one SQLite connection.
#include "storage/sql/session.hpp"
#include "storage/sqlite/db.hpp"

namespace visor::storage::sqlite {

class SqliteSession final : public sql::Session {
 public:
  explicit SqliteSession(Connection& connection) : connection_(connection) {}
  sql::Backend backend() const override { return sql::Backend::sqlite; }

 protected:
  sql::Rows run_query(std::string_view sql, const sql::Param* params, std::size_t count) override;
  std::int64_t run_execute(std::string_view sql, const sql::Param* params, std::size_t count) override;

 private:
  Connection& connection_;
};

}  // namespace visor::storage::sqlite
