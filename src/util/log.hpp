#pragma once
// Line-oriented structured logging to stderr: one event per line,
// `ts level component message key=value ...`. Thread-safe; cheap when the
// level is filtered out. Never pass a Secret's value here.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace visor::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

using Field = std::pair<std::string_view, std::string_view>;

void set_level(Level level);
Level level();
bool parse_level(std::string_view text, Level& out);

void write(Level level, std::string_view component, std::string_view message,
           std::initializer_list<Field> fields = {});

inline void debug(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  if (level() <= Level::debug) write(Level::debug, c, m, f);
}
inline void info(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  if (level() <= Level::info) write(Level::info, c, m, f);
}
inline void warn(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  if (level() <= Level::warn) write(Level::warn, c, m, f);
}
inline void error(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  if (level() <= Level::error) write(Level::error, c, m, f);
}

}  // namespace visor::log
