#pragma once
// Reading query results the same way from both backends: a forward-only
// cursor (implemented per backend) and typed getters on top of it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "domain/ids.hpp"
#include "util/time.hpp"

namespace visor::storage::sql {

/// One backend's result cursor. Column indexes start at 0.
class Cursor {
 public:
  virtual ~Cursor() = default;
  /// Moves to the next row; false when there is none.
  virtual bool next() = 0;
  virtual bool is_null(int col) const = 0;
  /// NULL reads as 0.
  virtual std::int64_t integer(int col) const = 0;
  /// NULL reads as false.
  virtual bool boolean(int col) const = 0;
  /// NULL reads as "".
  virtual std::string text(int col) const = 0;
};

/// A result set with typed getters.
class Rows {
 public:
  explicit Rows(std::unique_ptr<Cursor> cursor) : cursor_(std::move(cursor)) {}

  bool next() { return cursor_->next(); }
  bool is_null(int c) const { return cursor_->is_null(c); }
  std::int64_t i64(int c) const { return cursor_->integer(c); }
  int i32(int c) const { return static_cast<int>(cursor_->integer(c)); }
  bool flag(int c) const { return cursor_->boolean(c); }
  std::string str(int c) const { return cursor_->text(c); }
  TimePoint time(int c) const { return from_unix(i64(c)); }
  Date date(int c) const { return from_days(i64(c)); }

  std::optional<std::int64_t> opt_i64(int c) const {
    if (is_null(c)) return std::nullopt;
    return i64(c);
  }
  std::optional<int> opt_i32(int c) const {
    if (is_null(c)) return std::nullopt;
    return i32(c);
  }
  std::optional<TimePoint> opt_time(int c) const {
    if (is_null(c)) return std::nullopt;
    return time(c);
  }
  std::optional<Date> opt_date(int c) const {
    if (is_null(c)) return std::nullopt;
    return date(c);
  }
  template <class Id>
  Id id(int c) const {
    return Id(i64(c));
  }
  template <class Id>
  std::optional<Id> opt_id(int c) const {
    if (is_null(c)) return std::nullopt;
    return Id(i64(c));
  }

 private:
  std::unique_ptr<Cursor> cursor_;
};

/// Reads the columns of the current row left to right, so that a SELECT list
/// and the code that reads it stay in step without index arithmetic.
class Fields {
 public:
  explicit Fields(const Rows& rows, int first = 0) : rows_(rows), col_(first) {}

  std::int64_t i64() { return rows_.i64(col_++); }
  int i32() { return rows_.i32(col_++); }
  bool flag() { return rows_.flag(col_++); }
  std::string str() { return rows_.str(col_++); }
  TimePoint time() { return rows_.time(col_++); }
  std::optional<int> opt_i32() { return rows_.opt_i32(col_++); }
  std::optional<TimePoint> opt_time() { return rows_.opt_time(col_++); }
  std::optional<Date> opt_date() { return rows_.opt_date(col_++); }
  template <class Id>
  Id id() {
    return rows_.id<Id>(col_++);
  }
  template <class Id>
  std::optional<Id> opt_id() {
    return rows_.opt_id<Id>(col_++);
  }
  int column() const { return col_; }

 private:
  const Rows& rows_;
  int col_;
};

}  // namespace visor::storage::sql
