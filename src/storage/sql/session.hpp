#pragma once
// One connection inside one transaction, as the repositories see it. The
// SQLite and PostgreSQL stores each implement it; the repositories are
// written once against it (one model, one SQL shape for both backends).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "storage/sql/param.hpp"
#include "storage/sql/rows.hpp"
#include "util/error.hpp"

namespace visor::storage::sql {

enum class Backend { sqlite, postgres };

/// Why a statement failed, beyond the client-facing ErrorCode.
enum class DbFailure {
  transient,      // SQLITE_BUSY, serialization failure, deadlock: retry the transaction
  unique,         // a unique key is taken
  foreign_key,    // a reference to a missing row, or a delete of a referenced one
  invalid_value,  // NOT NULL, CHECK, value out of range
  unavailable,    // the database cannot be reached or written (I/O, disk full, connection)
  other,          // anything else: a bug
};

/// A database failure, already mapped to a visor::Error (the database's own
/// message goes to `internal()` only).
class DbError : public Error {
 public:
  DbError(DbFailure failure, ErrorCode code, std::string detail, std::string internal)
      : Error(code, std::move(detail), std::move(internal)), failure_(failure) {}
  DbFailure failure() const { return failure_; }
  bool transient() const { return failure_ == DbFailure::transient; }

 private:
  DbFailure failure_;
};

/// Builds the DbError for a failure. `constraint` names the violated
/// constraint or index when the backend tells (e.g. "equipment_code_key",
/// "users.login"); it picks the client-facing detail.
DbError db_error(DbFailure failure, std::string_view constraint, std::string internal);

class Session {
 public:
  virtual ~Session() = default;
  virtual Backend backend() const = 0;

  /// Runs a statement that returns rows (SELECT, … RETURNING).
  Rows query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return run_query(sql, params.begin(), params.size());
  }
  Rows query(std::string_view sql, const Params& params) { return run_query(sql, params.data(), params.size()); }

  /// Runs a statement; returns the number of rows it changed.
  std::int64_t execute(std::string_view sql, std::initializer_list<Param> params = {}) {
    return run_execute(sql, params.begin(), params.size());
  }
  std::int64_t execute(std::string_view sql, const Params& params) {
    return run_execute(sql, params.data(), params.size());
  }

  /// The first column of the first row, if there is a row.
  std::optional<std::int64_t> scalar(std::string_view sql, std::initializer_list<Param> params = {}) {
    Rows rows = query(sql, params);
    if (!rows.next()) return std::nullopt;
    return rows.opt_i64(0);
  }

 protected:
  virtual Rows run_query(std::string_view sql, const Param* params, std::size_t count) = 0;
  virtual std::int64_t run_execute(std::string_view sql, const Param* params, std::size_t count) = 0;
};

}  // namespace visor::storage::sql

namespace visor::storage::sql {

/// The id an `INSERT … RETURNING id` produced.
inline std::int64_t returned_id(Rows rows) {
  if (!rows.next()) throw Error(ErrorCode::internal, "An insert returned no id.");
  return rows.i64(0);
}

}  // namespace visor::storage::sql
