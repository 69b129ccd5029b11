#include "domain/meters.hpp"

#include <algorithm>
#include <cmath>

#include "domain/value_range.hpp"
#include "util/error.hpp"
#include "util/html.hpp"

namespace visor {
namespace {

constexpr double kLimit = 1e12;

std::string with_unit(double v, const std::string& unit) {
  return format_decimal(v) + (unit.empty() ? "" : " " + unit);
}

std::string rule_words(const MeterRule& r, const Meter& m, bool fr) {
  switch (r.kind) {
    case MeterRuleKind::above: return (fr ? "\xE2\x89\xA5 " : "\xE2\x89\xA5 ") + with_unit(r.value, m.unit);
    case MeterRuleKind::below: return (fr ? "\xE2\x89\xA4 " : "\xE2\x89\xA4 ") + with_unit(r.value, m.unit);
    case MeterRuleKind::every: return (fr ? "tous les " : "every ") + with_unit(r.value, m.unit);
  }
  return "";
}

}  // namespace

void validate(const Meter& m) {
  if (m.name.empty() || m.name.size() > 40) invalid("name must be 1 to 40 characters.");
  for (char c : m.name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || static_cast<unsigned char>(c) >= 0x80;
    if (!ok) invalid("name may hold letters, digits, '_' and '-' only (e.g. hours, cycles, oil_temp).");
  }
  if (m.unit.size() > 16) invalid("unit must be at most 16 characters.");
}

void validate(const MeterRule& r) {
  if (!std::isfinite(r.value) || std::fabs(r.value) > kLimit) invalid("value must be a finite number.");
  if (r.kind == MeterRuleKind::every && r.value <= 0) invalid("An every-N rule needs a value above 0.");
  if (r.title.size() > 200) invalid("title must be at most 200 characters.");
  if (r.priority < kMinPriority || r.priority > kMaxPriority) invalid("priority must be between 0 and 3.");
}

double first_due(double interval, std::optional<double> last_value) {
  if (!last_value) return interval;
  return (std::floor(*last_value / interval) + 1) * interval;
}

RuleOutcome evaluate(const MeterRule& rule, double reading, bool open_task) {
  RuleOutcome out;
  if (!rule.active) return out;
  switch (rule.kind) {
    case MeterRuleKind::above: out.create_task = reading >= rule.value && !open_task; break;
    case MeterRuleKind::below: out.create_task = reading <= rule.value && !open_task; break;
    case MeterRuleKind::every: {
      const double due = rule.next_due.value_or(first_due(rule.value, std::nullopt));
      if (reading < due) break;
      out.create_task = !open_task;
      out.next_due = (std::floor(reading / rule.value) + 1) * rule.value;
      break;
    }
  }
  return out;
}

std::string rule_task_title(const MeterRule& rule, const Meter& meter, const std::string& locale) {
  if (!rule.title.empty()) return rule.title;
  const bool fr = locale == "fr";
  return std::string(fr ? "Entretien au compteur " : "Meter service: ") + meter.name + " " + rule_words(rule, meter, fr);
}

std::string rule_task_description(const MeterRule& rule, const Meter& meter, double reading,
                                  const std::string& locale) {
  const bool fr = locale == "fr";
  return "<p>" + std::string(fr ? "Créée par la règle du compteur " : "Created by the rule of meter ") +
         escape_html(meter.name) + " (" + escape_html(rule_words(rule, meter, fr)) + "): " +
         std::string(fr ? "relev\xC3\xA9 " : "reading ") + escape_html(with_unit(reading, meter.unit)) + ".</p>";
}

}  // namespace visor
