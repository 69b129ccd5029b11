#include "storage/postgres/session.hpp"

#include <charconv>

namespace visor::storage::postgres {
namespace {

class PgCursor final : public sql::Cursor {
 public:
  explicit PgCursor(Result result) : result_(std::move(result)) {}
  bool next() override { return ++row_ < result_.rows(); }
  bool is_null(int col) const override { return result_.is_null(row_, col); }
  std::int64_t integer(int col) const override {
    if (is_null(col)) return 0;
    const std::string_view v = result_.value(row_, col);
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size())
      throw Error(ErrorCode::internal, "Unexpected value from the database.",
                  "postgresql: column " + std::to_string(col) + " is not an integer: \"" + std::string(v) + "\"");
    return n;
  }
  bool boolean(int col) const override {
    if (is_null(col)) return false;
    const std::string_view v = result_.value(row_, col);
    return v == "t" || v == "true" || v == "1";
  }
  std::string text(int col) const override { return std::string(result_.value(row_, col)); }

 private:
  Result result_;
  int row_ = -1;
};

}  // namespace

sql::Rows PgSession::run_query(std::string_view sql, const sql::Param* params, std::size_t count) {
  return sql::Rows(std::make_unique<PgCursor>(connection_.exec_params(sql, params, count)));
}

std::int64_t PgSession::run_execute(std::string_view sql, const sql::Param* params, std::size_t count) {
  return connection_.exec_params(sql, params, count).affected();
}

}  // namespace visor::storage::postgres
