#include "app/operator.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace visor::app {
namespace {

// Only what a login name may hold, at most 64 characters: the label lands
// in the audit log as it is.
std::string printable(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 64)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == '@' || c == '$';
    out.push_back(ok ? c : '?');
  }
  return out;
}

std::string user_name(uid_t uid) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_name &&
      *found->pw_name)
    return printable(found->pw_name);
  return "uid " + std::to_string(uid);
}

}  // namespace

std::string operator_label() {
  std::string label = "cli:" + user_name(::geteuid());
  if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo) label += " (sudo by " + printable(sudo) + ")";
  return label;
}

auth::Acting operator_acting() { return auth::Acting{std::nullopt, operator_label(), {}}; }

}  // namespace visor::app
