#include "domain/step_tags.hpp"

#include <algorithm>
#include <array>

#include "domain/value_range.hpp"

namespace visor {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  // The capital accented letters of the French keywords.
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"\xC3\x94", "\xC3\xB4"}, {"\xC3\x89", "\xC3\xA9"}}) {
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at)) out.replace(at, 2, to);
  }
  return out;
}

std::string trim(std::string_view s) {
  std::size_t a = 0;
  std::size_t b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == ':')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return std::string(s.substr(a, b - a));
}

struct Keyword {
  std::string_view word;
  StepKind kind;
  bool signoff = false;
};

constexpr std::array<Keyword, 21> kKeywords{{
    {"check", StepKind::check},       {"contrôle", StepKind::check},    {"controle", StepKind::check},
    {"number", StepKind::number},     {"measure", StepKind::number},    {"nombre", StepKind::number},
    {"mesure", StepKind::number},     {"choice", StepKind::choice},     {"choix", StepKind::choice},
    {"text", StepKind::text},         {"texte", StepKind::text},        {"photo", StepKind::photo},
    {"meter", StepKind::number},      {"compteur", StepKind::number},   {"sign-off", StepKind::instruction, true},
    {"signoff", StepKind::instruction, true}, {"sign off", StepKind::instruction, true},
    {"signature", StepKind::instruction, true}, {"visa", StepKind::instruction, true},
    {"approval", StepKind::instruction, true}, {"validation", StepKind::instruction, true},
}};

bool is_meter_word(std::string_view w) { return w == "meter" || w == "compteur"; }

// Removes the words optional/facultatif/required/obligatoire from `args`;
// returns the requirement they set, if any.
std::optional<bool> take_requirement(std::string& args) {
  std::optional<bool> required;
  std::string out;
  std::size_t i = 0;
  const std::string low = lower_ascii(args);
  while (i < args.size()) {
    const std::size_t end = std::min(args.find(' ', i), args.size());
    const std::string word = low.substr(i, end - i);
    if (word == "optional" || word == "facultatif" || word == "optionnel" || word == "optionnelle") {
      required = false;
    } else if (word == "required" || word == "obligatoire") {
      required = true;
    } else if (!word.empty()) {
      if (!out.empty()) out.push_back(' ');
      out.append(args.substr(i, end - i));
    }
    i = end + 1;
  }
  args = out;
  return required;
}

std::vector<std::string> split_options(std::string_view args) {
  char sep = ',';
  for (char c : {'/', '|', ';'})
    if (args.find(c) != std::string_view::npos) {
      sep = c;
      break;
    }
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= args.size()) {
    const std::size_t end = std::min(args.find(sep, i), args.size());
    std::string option = trim(args.substr(i, end - i));
    if (!option.empty()) out.push_back(std::move(option));
    i = end + 1;
  }
  return out;
}

bool valid_meter_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxMeterName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
}

TaggedLine warn(std::string text) { return TaggedLine{std::nullopt, std::nullopt, std::move(text)}; }

}  // namespace

TaggedLine read_step_tag(std::string_view line) {
  std::size_t start = 0;
  while (start < line.size() && line[start] == ' ') ++start;
  if (start >= line.size() || line[start] != '[') return {};
  const std::size_t close = line.find(']', start);
  if (close == std::string_view::npos) return {};
  const std::string inner = trim(line.substr(start + 1, close - start - 1));
  const std::string text = trim(line.substr(close + 1));
  const std::string low = lower_ascii(inner);
  const Keyword* found = nullptr;
  for (const Keyword& k : kKeywords) {
    if (low.rfind(k.word, 0) != 0) continue;
    const std::size_t after = k.word.size();
    if (after < low.size() && low[after] != ' ' && low[after] != ':') continue;
    if (!found || k.word.size() > found->word.size()) found = &k;
  }
  if (!found) return warn("unknown tag [" + inner + "]: the step stays a plain step");
  std::string args = trim(inner.substr(found->word.size()));

  if (found->signoff) {
    const std::string a = lower_ascii(args);
    if (a.empty() || a == "technician" || a == "technicien") return TaggedLine{std::nullopt, SignOff::technician, ""};
    if (a == "supervisor" || a == "superviseur" || a == "manager" || a == "responsable")
      return TaggedLine{std::nullopt, SignOff::supervisor, ""};
    return warn("[" + inner + "]: a sign-off is [sign-off] or [sign-off supervisor]");
  }

  StepSpec spec;
  spec.kind = found->kind;
  spec.required = found->kind != StepKind::instruction;
  std::string options_part = args;
  if (found->kind == StepKind::choice) {
    // Modifiers of a choice stand before a colon: [choice optional: a / b].
    const std::size_t colon = args.find(':');
    if (colon != std::string::npos) {
      std::string head = args.substr(0, colon);
      const auto req = take_requirement(head);
      if (req && head.empty()) {
        spec.required = *req;
        options_part = trim(args.substr(colon + 1));
      }
    }
    spec.options = split_options(options_part);
    if (spec.options.size() < 2) return warn("[" + inner + "]: a choice needs at least two answers, e.g. [choice OK / worn]");
    if (spec.options.size() > kMaxOptions) return warn("[" + inner + "]: a choice offers at most 12 answers");
    for (const auto& o : spec.options)
      if (o.size() > kMaxOptionBytes) return warn("[" + inner + "]: an answer is longer than 60 characters");
  } else {
    if (const auto req = take_requirement(args)) spec.required = *req;
  }
  if (is_meter_word(low.substr(0, found->word.size()))) {
    const std::size_t space = args.find(' ');
    spec.meter = args.substr(0, space);
    args = space == std::string::npos ? std::string() : trim(args.substr(space + 1));
    if (!valid_meter_name(spec.meter))
      return warn("[" + inner + "]: a meter tag names the meter first, e.g. [meter hours h]");
  }
  if (spec.kind == StepKind::number) {
    const auto range = range_in_tag(args);
    if (!range) return warn("[" + inner + "]: a number tag reads [number 3.0–3.5 bar], [number ≤ 0.5 mm] or [number bar]");
    if (range->min && range->max && *range->min > *range->max)
      return warn("[" + inner + "]: the smallest value comes first");
    spec.min = range->min;
    spec.max = range->max;
    spec.unit = range->unit;
    spec.wants_value = true;
  } else if (spec.kind != StepKind::choice && !args.empty()) {
    return warn("[" + inner + "]: unexpected words after the type");
  }
  spec.text = text.empty() ? inner : text;
  TaggedLine out{spec, std::nullopt, ""};
  if (text.empty()) out.warning = "[" + inner + "] has no words after it: the tag itself is the step's text";
  return out;
}

std::string tag_of(const StepSpec& s) {
  std::string tag;
  switch (s.kind) {
    case StepKind::instruction: return "";
    case StepKind::check: tag = "[check"; break;
    case StepKind::text: tag = "[text"; break;
    case StepKind::photo: tag = "[photo"; break;
    case StepKind::choice: {
      tag = s.required ? "[choice " : "[choice optional: ";
      for (std::size_t i = 0; i < s.options.size(); ++i) tag += (i ? " / " : "") + s.options[i];
      return tag + "]";
    }
    case StepKind::number: {
      tag = s.meter.empty() ? "[number" : "[meter " + s.meter;
      if (s.min && s.max) tag += " " + format_decimal(*s.min) + "\xE2\x80\x93" + format_decimal(*s.max);
      else if (s.max) tag += " \xE2\x89\xA4 " + format_decimal(*s.max);
      else if (s.min) tag += " \xE2\x89\xA5 " + format_decimal(*s.min);
      if (!s.unit.empty()) tag += " " + s.unit;
      break;
    }
  }
  if (!s.required) tag += " optional";
  return tag + "]";
}

}  // namespace visor
