#pragma once
// Internal to engine.cpp and engine_pull.cpp.
#include <string>

#include "events/bus.hpp"

namespace visor::sync::detail {

/// An error on one line, at most 500 bytes (outbox rows, status, events).
inline std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > 500) s.resize(500);
  return s;
}

inline events::Audience admins() {
  events::Audience a;
  a.admins_only = true;
  return a;
}

}  // namespace visor::sync::detail
