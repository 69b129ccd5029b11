#pragma once
// Command-line words: positional arguments, `--flag value` / `--flag=value`
// options and switches. Each command declares the options it accepts; any
// other is an error naming the ones it knows.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace visor::app {

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--db" → "sqlite://…"
  std::set<std::string> switches;               // "--demo", "--once", "--help"

  std::optional<std::string> option(const std::string& name) const;
  std::string required(const std::string& name) const;
  bool has(const std::string& name) const { return switches.count(name) > 0; }
};

/// A whole number in [min, max] or Error(invalid_input) naming `what`.
long long to_number(const std::string& text, const std::string& what, long long min, long long max);

/// Splits argv. `switch_names` take no value; everything else starting with
/// "--" takes one.
Args parse_args(const std::vector<std::string>& argv, const std::set<std::string>& switch_names);

/// Throws Error(invalid_input) for options/switches outside `allowed`.
void check_allowed(const Args& args, const std::set<std::string>& allowed, const std::string& command);

}  // namespace visor::app
