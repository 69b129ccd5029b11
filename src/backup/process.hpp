#pragma once
// Running pg_dump and pg_restore: a child process whose standard output (or
// input) is a pipe the caller drains (or fills), with its standard error
// kept for the message when it fails. No shell is involved.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace visor::backup {

struct Command {
  std::string program;            // looked up in PATH
  std::vector<std::string> args;  // without the program name
  std::vector<std::pair<std::string, std::string>> env;  // added to the environment
};

/// Runs `command`, handing each piece of its standard output to `sink`.
/// Error(unavailable) when it cannot start or exits with a failure (its
/// standard error, bounded, in the detail).
void run_reading(const Command& command, const std::function<void(std::string_view)>& sink);

/// Runs `command`, feeding its standard input from `source` (which returns
/// an empty piece at the end). Errors as run_reading.
void run_writing(const Command& command, const std::function<std::string()>& source);

}  // namespace visor::backup
