#include <array>
#include <utility>

#include "storage/sql/session.hpp"

namespace visor::storage::sql {
namespace {

// Client-facing details for the unique keys a client can run into. Matched
// against the constraint/index name (PostgreSQL) or the "table.column" list
// (SQLite), so both backends give the same detail.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kUniqueDetails{{
    {"login", "This login is already taken."},
    {"code_hash", "This pairing code is already in use."},
    {"equipment_code", "This equipment code is already in use."},
    {"equipment.code", "This equipment code is already in use."},
    {"odoo_id", "This CMMS record is already linked to another local record."},
    {"token_hash", "This token is already registered."},
    {"number", "Step numbers must be unique within a task."},
    {"steps_pkey", "Step numbers must be unique within a task."},
}};

std::string_view unique_detail(std::string_view constraint) {
  for (const auto& [needle, detail] : kUniqueDetails)
    if (constraint.find(needle) != std::string_view::npos) return detail;
  return "A record with the same key already exists.";
}

}  // namespace

DbError db_error(DbFailure failure, std::string_view constraint, std::string internal) {
  switch (failure) {
    case DbFailure::transient:
      return DbError(failure, ErrorCode::unavailable, "The database is busy; try again.", std::move(internal));
    case DbFailure::unique:
      return DbError(failure, ErrorCode::conflict, std::string(unique_detail(constraint)), std::move(internal));
    case DbFailure::foreign_key:
      return DbError(failure, ErrorCode::conflict,
                     "The change refers to a record that does not exist, or removes one that is still in use.",
                     std::move(internal));
    case DbFailure::invalid_value:
      return DbError(failure, ErrorCode::invalid_input, "A value is missing or out of range.", std::move(internal));
    case DbFailure::unavailable:
      return DbError(failure, ErrorCode::unavailable, "The database is not available.", std::move(internal));
    case DbFailure::other:
      break;
  }
  return DbError(failure, ErrorCode::internal, "Unexpected database error.", std::move(internal));
}

}  // namespace visor::storage::sql
