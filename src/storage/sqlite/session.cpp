#include "storage/sqlite/session.hpp"

namespace visor::storage::sqlite {
namespace {

class SqliteCursor final : public sql::Cursor {
 public:
  explicit SqliteCursor(StatementLease stmt) : stmt_(std::move(stmt)) {}
  bool next() override { return stmt_->step(); }
  bool is_null(int col) const override { return stmt_->is_null(col); }
  std::int64_t integer(int col) const override { return stmt_->integer(col); }
  bool boolean(int col) const override { return stmt_->integer(col) != 0; }
  std::string text(int col) const override { return stmt_->text(col); }

 private:
  StatementLease stmt_;
};

}  // namespace

sql::Rows SqliteSession::run_query(std::string_view sql, const sql::Param* params, std::size_t count) {
  StatementLease stmt = connection_.prepare(sql);
  stmt->bind_all(params, count);
  return sql::Rows(std::make_unique<SqliteCursor>(std::move(stmt)));
}

std::int64_t SqliteSession::run_execute(std::string_view sql, const sql::Param* params, std::size_t count) {
  StatementLease stmt = connection_.prepare(sql);
  stmt->bind_all(params, count);
  while (stmt->step()) {
  }
  return connection_.changes();
}

}  // namespace visor::storage::sqlite
