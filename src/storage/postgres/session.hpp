#pragma once
// sql::Session over one PostgreSQL connection.
#include "storage/postgres/pg.hpp"
#include "storage/sql/session.hpp"

namespace visor::storage::postgres {

class PgSession final : public sql::Session {
 public:
  explicit PgSession(Connection& connection) : connection_(connection) {}
  sql::Backend backend() const override { return sql::Backend::postgres; }

 protected:
  sql::Rows run_query(std::string_view sql, const sql::Param* params, std::size_t count) override;
  std::int64_t run_execute(std::string_view sql, const sql::Param* params, std::size_t count) override;

 private:
  Connection& connection_;
};

}  // namespace visor::storage::postgres
