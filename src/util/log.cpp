#include "util/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "util/time.hpp"

namespace visor::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;

std::string_view name(Level l) {
  switch (l) {
    case Level::debug: return "DEBUG";
    case Level::info: return "INFO";
    case Level::warn: return "WARN";
    case Level::error: return "ERROR";
    case Level::off: return "OFF";
  }
  return "?";
}

// Values with spaces or quotes are quoted so that lines stay parseable.
void append_value(std::string& line, std::string_view v) {
  const bool quote = v.empty() || v.find_first_of(" \"=\t\n") != std::string_view::npos;
  if (!quote) {
    line.append(v);
    return;
  }
  line.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') line.push_back('\\');
    if (c == '\n') {
      line.append("\\n");
      continue;
    }
    line.push_back(c);
  }
  line.push_back('"');
}

}  // namespace

void set_level(Level l) { g_level = l; }
Level level() { return g_level.load(std::memory_order_relaxed); }

bool parse_level(std::string_view t, Level& out) {
  if (t == "debug") out = Level::debug;
  else if (t == "info") out = Level::info;
  else if (t == "warn") out = Level::warn;
  else if (t == "error") out = Level::error;
  else if (t == "off") out = Level::off;
  else return false;
  return true;
}

void write(Level l, std::string_view component, std::string_view message, std::initializer_list<Field> fields) {
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::string line = format_iso8601(std::chrono::floor<std::chrono::seconds>(now));
  line.append(" ").append(name(l)).append(" ").append(component).append(" ");
  append_value(line, message);
  for (const auto& [k, v] : fields) {
    line.append(" ").append(k).append("=");
    append_value(line, v);
  }
  line.push_back('\n');
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace visor::log
