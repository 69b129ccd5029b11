#pragma once
// Text helpers for the store's searches.
#include <string>
#include <string_view>

namespace visor::storage::sql {

/// Lower-cases ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters
/// in UTF-8 text; anything else (including invalid bytes) is kept as is.
/// SQLite's own lower() and LIKE fold ASCII only; the store registers this as
/// the SQL function visor_fold() so that "ÉTAT" finds "état".
std::string fold_case(std::string_view text);

/// Escapes LIKE metacharacters (`%`, `_` and the escape `\`) so that a user's
/// text matches literally; use with `ESCAPE '\'`.
std::string escape_like(std::string_view text);

/// "%<escaped text>%": a LIKE pattern for "contains".
std::string contains_pattern(std::string_view text);

}  // namespace visor::storage::sql

#include "storage/sql/session.hpp"

namespace visor::storage::sql {

/// The case-insensitive "contains" test of `column` against the pattern
/// parameter `placeholder` (search_pattern of `text`): ILIKE on PostgreSQL;
/// on SQLite its built-in LIKE when `text` is ASCII (LIKE folds ASCII, and
/// an ASCII pattern cannot match other letters), else visor_fold(column) LIKE.
std::string contains_clause(Backend backend, std::string_view column, std::string_view placeholder,
                            std::string_view text);
/// The pattern parameter for contains_clause: the user's text, escaped.
std::string search_pattern(Backend backend, std::string_view text);

}  // namespace visor::storage::sql
