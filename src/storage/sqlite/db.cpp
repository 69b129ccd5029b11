#include "storage/sqlite/db.hpp"

#include <cstring>

#include "storage/sql/session.hpp"
#include "storage/sql/text.hpp"

namespace visor::storage::sqlite {
namespace {

constexpr std::size_t kCacheLimit = 256;

sql::DbFailure classify(int extended) {
  switch (extended & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return sql::DbFailure::transient;
    case SQLITE_CONSTRAINT:
      switch (extended) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: return sql::DbFailure::unique;
        case SQLITE_CONSTRAINT_FOREIGNKEY: return sql::DbFailure::foreign_key;
        default: return sql::DbFailure::invalid_value;
      }
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH: return sql::DbFailure::invalid_value;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_NOLFS: return sql::DbFailure::unavailable;
    default: return sql::DbFailure::other;
  }
}

// visor_fold(text): see sql::fold_case.
void fold_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int bytes = sqlite3_value_bytes(argv[0]);
  const std::string folded = sql::fold_case(std::string_view(text ? text : "", static_cast<std::size_t>(bytes)));
  sqlite3_result_text64(ctx, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace

void throw_error(sqlite3* db, int rc, std::string_view sql) {
  const int extended = db ? sqlite3_extended_errcode(db) : rc;
  const int code = (extended & 0xFF) == (rc & 0xFF) ? extended : rc;
  const std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  // SQLite names the violated key in its message: "UNIQUE constraint failed: equipment.code".
  const std::size_t colon = message.find(": ");
  const std::string_view constraint =
      colon == std::string::npos ? std::string_view() : std::string_view(message).substr(colon + 2);
  std::string internal = "sqlite: " + message + " (code " + std::to_string(code) + ")";
  if (!sql.empty()) internal += " in: " + std::string(sql.substr(0, 300));
  throw sql::db_error(classify(code), constraint, std::move(internal));
}

std::string sqlite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '?';
      continue;
    }
    out += c;
  }
  return out;
}

void Statement::bind_all(const sql::Param* params, std::size_t count) {
  if (static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt_)) != count)
    throw Error(ErrorCode::internal, "Statement parameter count mismatch.",
                "sqlite: statement takes " + std::to_string(sqlite3_bind_parameter_count(stmt_)) +
                    " parameters, got " + std::to_string(count) + ": " + sqlite3_sql(stmt_));
  for (std::size_t i = 0; i < count; ++i) {
    const sql::Param& p = params[i];
    const int index = static_cast<int>(i + 1);
    int rc = SQLITE_OK;
    switch (p.kind()) {
      case sql::Param::Kind::null: rc = sqlite3_bind_null(stmt_, index); break;
      case sql::Param::Kind::integer:
      case sql::Param::Kind::boolean: rc = sqlite3_bind_int64(stmt_, index, p.as_integer()); break;
      case sql::Param::Kind::text: {
        const std::string& s = p.as_text();
        if (std::memchr(s.data(), '\0', s.size())) invalid("Text must not contain NUL characters.");
        rc = sqlite3_bind_text64(stmt_, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
      }
    }
    if (rc != SQLITE_OK) throw_error(db_, rc, sqlite3_sql(stmt_));
  }
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(db_, rc, sqlite3_sql(stmt_));
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

StatementLease::~StatementLease() {
  if (!stmt_) return;
  stmt_->reset();
  stmt_->in_use = false;
}

Connection::Connection(const ConnectionOptions& options) {
  const bool memory = options.path == ":memory:";
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (memory) flags |= SQLITE_OPEN_MEMORY;
  const int rc = sqlite3_open_v2(options.path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(ErrorCode::unavailable, "Cannot open the SQLite database.",
                "sqlite: cannot open " + options.path + ": " + message);
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
    exec("PRAGMA foreign_keys = ON");
    if (!memory) {
      if (!options.reader) exec("PRAGMA journal_mode = WAL");
      exec("PRAGMA synchronous = NORMAL");
      // No memory-mapped I/O: under a steady write load, mapped readers cost
      // twice the CPU per note of plain reads (page faults and remapping as
      // the database file grows at each checkpoint; docs/performance.md).
    }
    exec("PRAGMA temp_store = MEMORY");
    if (options.reader) exec("PRAGMA query_only = ON");
    // The writer's page cache survives from one transaction to the next (a
    // reader's is dropped whenever another connection wrote): make it large
    // enough for the pages writes keep touching.
    else if (!memory) exec("PRAGMA cache_size = -32768");
    const int frc = sqlite3_create_function_v2(db_, "visor_fold", 1,
                                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                               fold_function, nullptr, nullptr, nullptr);
    if (frc != SQLITE_OK) throw_error(db_, frc, "create_function visor_fold");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  cache_.clear();  // finalize statements before closing
  if (db_) sqlite3_close_v2(db_);
}

void Connection::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text is available from sqlite3_errmsg
  if (rc != SQLITE_OK) throw_error(db_, rc, sql);
}

void Connection::run(std::string_view sql) {
  StatementLease stmt = prepare(sql);
  while (stmt->step()) {
  }
}

std::unique_ptr<Statement> Connection::compile(std::string_view sql) {
  const std::string text = sqlite_placeholders(sql);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw_error(db_, rc, sql);
  }
  return std::make_unique<Statement>(db_, stmt);
}

StatementLease Connection::prepare(std::string_view sql) {
  const auto it = cache_.find(sql);
  if (it != cache_.end()) {
    if (it->second->in_use) return StatementLease(nullptr, compile(sql));
    it->second->in_use = true;
    return StatementLease(it->second.get(), nullptr);
  }
  if (cache_.size() >= kCacheLimit) std::erase_if(cache_, [](const auto& e) { return !e.second->in_use; });
  auto stmt = compile(sql);
  Statement* raw = stmt.get();
  raw->in_use = true;
  cache_.emplace(std::string(sql), std::move(stmt));
  return StatementLease(raw, nullptr);
}

}  // namespace visor::storage::sqlite
