#include "domain/failure_codes.hpp"

#include "util/error.hpp"

namespace visor {

void validate(const FailureCode& c) {
  if (c.code.empty() || c.code.size() > 16) invalid("code must be 1 to 16 characters.");
  for (char ch : c.code) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
    if (!ok) invalid("code may hold capital letters, digits, '.', '-' and '_' only (e.g. ELP, 2.4, REPL).");
  }
  if (c.label_en.empty() || c.label_en.size() > 80) invalid("label_en must be 1 to 80 characters.");
  if (c.label_fr.empty() || c.label_fr.size() > 80) invalid("label_fr must be 1 to 80 characters.");
  if (c.position < 0 || c.position > 10'000) invalid("position must be between 0 and 10000.");
}

const std::string& label(const FailureCode& c, const std::string& locale) {
  return locale == "fr" ? c.label_fr : c.label_en;
}

}  // namespace visor
