#include "storage/postgres/pg.hpp"

#include <charconv>
#include <cstring>
#include <vector>

#include "storage/sql/session.hpp"

namespace visor::storage::postgres {
namespace {

constexpr std::size_t kPreparedLimit = 256;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

sql::DbFailure classify(std::string_view state) {
  if (state == "40001" || state == "40P01") return sql::DbFailure::transient;
  if (state == "23505") return sql::DbFailure::unique;
  if (state == "23503") return sql::DbFailure::foreign_key;
  if (starts_with(state, "23") || starts_with(state, "22")) return sql::DbFailure::invalid_value;
  if (starts_with(state, "08") || starts_with(state, "53") || starts_with(state, "57P") ||
      starts_with(state, "58") || state == "55P03")
    return sql::DbFailure::unavailable;
  return sql::DbFailure::other;
}

[[noreturn]] void throw_error(PGconn* conn, const PGresult* r, std::string_view sql) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const char* constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  std::string message = r ? PQresultErrorMessage(r) : "";
  if (message.empty()) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  std::string internal = "postgresql: " + message;
  if (state) internal += " [" + std::string(state) + "]";
  if (!sql.empty()) internal += " in: " + std::string(sql.substr(0, 300));
  // No SQLSTATE: the connection itself failed.
  const sql::DbFailure failure =
      (!state || PQstatus(conn) != CONNECTION_OK) ? sql::DbFailure::unavailable : classify(state);
  throw sql::db_error(failure, constraint ? constraint : "", std::move(internal));
}

void ignore_notice(void*, const char*) {}

}  // namespace

std::string url_problem(const std::string& url) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &message);
  std::string why;
  if (!options) why = message ? message : "libpq cannot parse it";
  PQconninfoFree(options);
  PQfreemem(message);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return why;
}

std::int64_t Result::affected() const {
  const char* text = PQcmdTuples(r_);
  std::int64_t n = 0;
  std::from_chars(text, text + std::strlen(text), n);
  return n;
}

Connection::Connection(const std::string& url) {
  // Keywords before "dbname" are defaults the URL may override.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "visor", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_) throw Error(ErrorCode::unavailable, "Cannot connect to PostgreSQL.", "postgresql: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw Error(ErrorCode::unavailable, "Cannot connect to PostgreSQL.", "postgresql: " + message);
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Result Connection::check(PGresult* r, std::string_view sql) {
  const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) return Result(r);
  Result owned(r);  // freed after the error is built
  throw_error(conn_, r, sql);
}

Result Connection::exec(std::string_view sql) {
  const std::string text(sql);
  return check(PQexec(conn_, text.c_str()), sql);
}

Result Connection::exec_params(std::string_view sql, const sql::Param* params, std::size_t count) {
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    if (prepared_.size() >= kPreparedLimit) forget_prepared();
    std::string name = "v" + std::to_string(++next_name_);
    check(PQprepare(conn_, name.c_str(), key.c_str(), static_cast<int>(count), nullptr), sql);
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  std::vector<std::string> storage(count);
  std::vector<const char*> values(count, nullptr);
  for (std::size_t i = 0; i < count; ++i) {
    const sql::Param& p = params[i];
    switch (p.kind()) {
      case sql::Param::Kind::null: break;
      case sql::Param::Kind::integer: storage[i] = std::to_string(p.as_integer()), values[i] = storage[i].c_str(); break;
      case sql::Param::Kind::boolean: values[i] = p.as_boolean() ? "true" : "false"; break;
      case sql::Param::Kind::text:
        if (std::memchr(p.as_text().data(), '\0', p.as_text().size()))
          invalid("Text must not contain NUL characters.");
        values[i] = p.as_text().c_str();
        break;
    }
  }
  return check(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(count), values.data(), nullptr, nullptr, 0),
               sql);
}

bool Connection::idle() const { return ok() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

int Connection::take_notifications() {
  if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw Error(ErrorCode::unavailable, "Lost the connection to PostgreSQL.", "postgresql: " + message);
  }
  int count = 0;
  while (PGnotify* n = PQnotifies(conn_)) {
    PQfreemem(n);
    ++count;
  }
  return count;
}

void Connection::forget_prepared() {
  prepared_.clear();
  PQclear(PQexec(conn_, "DEALLOCATE ALL"));
}

}  // namespace visor::storage::postgres
