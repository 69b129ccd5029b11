#include "domain/steps.hpp"

#include <algorithm>

#include "domain/instructions.hpp"
#include "domain/value_range.hpp"
#include "util/error.hpp"
#include "util/html.hpp"

namespace visor {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::string trimmed(std::string_view s) {
  std::size_t a = 0;
  std::size_t b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r')) --b;
  return std::string(s.substr(a, b - a));
}

std::string step_name(const Step& s) { return "Step " + std::to_string(s.number); }

bool blank(const std::optional<std::string>& s) {
  return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string range_words(const Step& s, bool fr) {
  const std::string unit = s.unit.empty() ? "" : " " + s.unit;
  if (s.min && s.max) return format_decimal(*s.min) + "\xE2\x80\x93" + format_decimal(*s.max) + unit;
  if (s.max) return (fr ? "au plus " : "at most ") + format_decimal(*s.max) + unit;
  if (s.min) return (fr ? "au moins " : "at least ") + format_decimal(*s.min) + unit;
  return "";
}

std::string verdict_words(const Step& s, bool fr) {
  switch (step_flag(s)) {
    case StepFlag::fail: return "FAIL";
    case StepFlag::flag: return "FLAG";
    case StepFlag::out_of_range: return fr ? "hors plage" : "out of range";
    case StepFlag::none: break;
  }
  return "";
}

}  // namespace

std::string normalise_answer(const Step& step, std::string_view raw, const std::optional<std::string>& note) {
  const std::string value = trimmed(raw);
  if (value.empty()) return value;
  switch (step.kind) {
    case StepKind::check: {
      const std::string v = lower_ascii(value);
      if (v != "pass" && v != "flag" && v != "fail")
        invalid(step_name(step) + " is a check: its value is pass, flag or fail.");
      if (v != "pass" && blank(note) && blank(step.note))
        invalid(step_name(step) + ": a " + (v == "fail" ? std::string("FAIL") : std::string("FLAG")) +
                " needs a comment saying what is wrong (send it as note).");
      return v;
    }
    case StepKind::number:
      if (value.size() > kMaxValue) invalid("value must be at most 100 bytes.");
      if (!parse_measured(value))
        invalid(step_name(step) + " asks for a number (e.g. 3.2" + (step.unit.empty() ? "" : " " + step.unit) +
                "), not '" + value + "'.");
      return value;
    case StepKind::choice: {
      const std::string v = lower_ascii(value);
      for (const std::string& o : step.options)
        if (lower_ascii(o) == v) return o;
      std::string list;
      for (const std::string& o : step.options) list += (list.empty() ? "" : ", ") + o;
      invalid(step_name(step) + " is a choice of: " + list + ".");
    }
    case StepKind::text:
      if (value.size() > kMaxTextAnswer) invalid("value must be at most 1000 bytes for a text step.");
      return value;
    case StepKind::photo: invalid(step_name(step) + " is answered by a photo: upload it with step=" + std::to_string(step.number) + ".");
    case StepKind::instruction:
      if (value.size() > kMaxValue) invalid("value must be at most 100 bytes.");
      return value;
  }
  return value;
}

StepFlag step_flag(const Step& s) {
  if (s.value.empty()) return StepFlag::none;
  if (s.kind == StepKind::check) {
    if (s.value == "fail") return StepFlag::fail;
    if (s.value == "flag") return StepFlag::flag;
    return StepFlag::none;
  }
  if (s.kind == StepKind::number) {
    const auto v = parse_measured(s.value);
    if (v && outside(*v, s.min, s.max)) return StepFlag::out_of_range;
  }
  return StepFlag::none;
}

bool proposes_follow_up(const Step& s) {
  const StepFlag f = step_flag(s);
  return f == StepFlag::fail || f == StepFlag::out_of_range;
}

bool answered(const Step& s, int photos) {
  switch (s.kind) {
    case StepKind::instruction: return s.done;
    case StepKind::photo: return photos > 0;
    default: return !s.value.empty();
  }
}

std::vector<Step> assemble_steps(const std::vector<Step>& current, const std::vector<StepSpec>& instruction_steps,
                                 const std::optional<std::vector<StepSpec>>& procedure, bool started) {
  std::vector<Step> steps = merge_steps(current, instruction_steps, StepOrigin::instructions, 1);
  const int next = int(steps.size()) + 1;
  std::vector<Step> kept;
  for (const Step& s : current)
    if (s.origin == StepOrigin::procedure) kept.push_back(s);
  if (started) {
    for (std::size_t i = 0; i < kept.size(); ++i) {
      kept[i].number = next + int(i);
      steps.push_back(std::move(kept[i]));
    }
    return steps;
  }
  if (procedure) {
    std::vector<Step> from = merge_steps(current, *procedure, StepOrigin::procedure, next);
    steps.insert(steps.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }
  return steps;
}

const Procedure* choose_procedure(const std::vector<Procedure>& candidates, const Task& task,
                                  std::optional<CategoryId> category) {
  if (!task.equipment_id) return nullptr;
  const Procedure* best = nullptr;
  auto rank = [&](const Procedure& p) {
    int r = 0;
    if (p.equipment_id) r += 2;
    if (p.type) r += 1;
    return r;
  };
  for (const Procedure& p : candidates) {
    if (!p.active || p.version < 1) continue;
    const bool machine = p.equipment_id && *p.equipment_id == *task.equipment_id;
    const bool kind = !p.equipment_id && p.category_id && category && *p.category_id == *category;
    if (!machine && !kind) continue;
    if (p.type && *p.type != task.type) continue;
    if (!best || rank(p) > rank(*best) || (rank(p) == rank(*best) && p.id < best->id)) best = &p;
  }
  return best;
}

FollowUpText follow_up_text(const Task& origin, const Step& step, const std::string& locale) {
  const bool fr = locale == "fr";
  FollowUpText out;
  const std::string verdict = verdict_words(step, fr);
  out.title = (fr ? "Suite : " : "Follow-up: ") + step.text;
  if (!verdict.empty()) out.title += " \xE2\x80\x94 " + verdict;
  if (out.title.size() > 200) {
    out.title.resize(197);
    while (!out.title.empty() && (static_cast<unsigned char>(out.title.back()) & 0xC0) == 0x80) out.title.pop_back();
    if (!out.title.empty() && static_cast<unsigned char>(out.title.back()) >= 0xC0) out.title.pop_back();
    out.title += "...";
  }
  std::string d = "<p>" + std::string(fr ? "Relev\xC3\xA9 \xC3\xA0 l\xE2\x80\x99\xC3\xA9tape " : "Raised at step ") +
                  std::to_string(step.number) + (fr ? " de \xC2\xAB" : " of \xE2\x80\x9C") + escape_html(origin.title) +
                  (fr ? "\xC2\xBB" : "\xE2\x80\x9D") + " (#" + std::to_string(origin.id.value) + "): " +
                  escape_html(step.text) + "</p>";
  if (!verdict.empty()) d += "<p>" + std::string(fr ? "R\xC3\xA9sultat : " : "Result: ") + verdict + "</p>";
  if (step.kind == StepKind::number && !step.value.empty()) {
    d += "<p>" + std::string(fr ? "Valeur : " : "Value: ") + escape_html(step.value);
    if (!step.unit.empty() && step.value.find(step.unit) == std::string::npos) d += " " + escape_html(step.unit);
    const std::string range = range_words(step, fr);
    if (!range.empty()) d += " (" + std::string(fr ? "attendu " : "expected ") + escape_html(range) + ")";
    d += "</p>";
  } else if (step.kind != StepKind::check && !step.value.empty()) {
    d += "<p>" + std::string(fr ? "R\xC3\xA9ponse : " : "Answer: ") + escape_html(step.value) + "</p>";
  }
  if (!step.note.empty()) d += "<p>" + std::string(fr ? "Commentaire : " : "Comment: ") + escape_html(step.note) + "</p>";
  out.description = std::move(d);
  return out;
}

}  // namespace visor
