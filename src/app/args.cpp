#include "app/args.hpp"

#include <charconv>

#include "util/error.hpp"

namespace visor::app {

std::optional<std::string> Args::option(const std::string& name) const {
  const auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

std::string Args::required(const std::string& name) const {
  const auto v = option(name);
  if (!v || v->empty()) invalid(name + " is required.");
  return *v;
}

long long to_number(const std::string& text, const std::string& what, long long min, long long max) {
  long long n = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || p != text.data() + text.size() || n < min || n > max)
    invalid(what + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ".");
  return n;
}

Args parse_args(const std::vector<std::string>& argv, const std::set<std::string>& switch_names) {
  Args args;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (word.rfind("--", 0) != 0 || word == "--") {
      args.positional.push_back(word);
      continue;
    }
    const auto eq = word.find('=');
    const std::string name = word.substr(0, eq);
    if (switch_names.count(name)) {
      if (eq != std::string::npos) invalid(name + " takes no value.");
      args.switches.insert(name);
      continue;
    }
    if (eq != std::string::npos) {
      args.options[name] = word.substr(eq + 1);
      continue;
    }
    if (i + 1 >= argv.size()) invalid(name + " needs a value.");
    args.options[name] = argv[++i];
  }
  return args;
}

void check_allowed(const Args& args, const std::set<std::string>& allowed, const std::string& command) {
  auto complain = [&](const std::string& name) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    invalid("'" + command + "' does not take " + name + ". It takes: " + list + ".");
  };
  for (const auto& [name, value] : args.options)
    if (!allowed.count(name)) complain(name);
  for (const auto& name : args.switches)
    if (!allowed.count(name)) complain(name);
}

}  // namespace visor::app
