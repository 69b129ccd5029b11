#pragma once
// A thin RAII layer over libpq: Result (owns a PGresult) and Connection (a
// PGconn with per-connection prepared statements and text-format
// parameters). A connection is used by one thread at a time.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sql/param.hpp"

namespace visor::storage::postgres {

/// Why libpq would reject `url` as a connection string ("" when it is fine).
std::string url_problem(const std::string& url);

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& other) noexcept : r_(other.r_) { other.r_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;

  int rows() const { return PQntuples(r_); }
  bool is_null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  std::string_view value(int row, int col) const {
    return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
  }
  /// Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected() const;
  /// The command tag, e.g. "COMMIT" or "ROLLBACK".
  std::string_view command() const { return PQcmdStatus(r_); }

 private:
  PGresult* r_;
};

class Connection {
 public:
  /// Connects; throws Error(unavailable) when the server cannot be reached
  /// or refuses, Error(invalid_input) for a malformed connection URL.
  explicit Connection(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs SQL without parameters (may hold several statements).
  Result exec(std::string_view sql);
  /// Runs one statement with text parameters; it is prepared once per
  /// connection and reused.
  Result exec_params(std::string_view sql, const sql::Param* params, std::size_t count);
  /// The connection is open and not in a transaction.
  bool idle() const;
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  /// Drops every prepared statement (after a schema change).
  void forget_prepared();
  /// The socket, to wait on for notifications (LISTEN).
  int socket() const { return PQsocket(conn_); }
  /// Reads what arrived on the socket; the number of notifications that had
  /// come (their payloads are not needed). Throws Error(unavailable) when
  /// the connection is broken.
  int take_notifications();

 private:
  Result check(PGresult* r, std::string_view sql);
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  int next_name_ = 0;
};

}  // namespace visor::storage::postgres
