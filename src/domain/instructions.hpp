#pragma once
// Turns a task's instructions, as the CMMS sends them (HTML from Odoo's rich
// text editor, or plain text), into what the glasses show: a short summary,
// numbered steps and safety notes.
//
// The rules, in order:
//  - If the text holds a list (<ol>/<ul>), each list item is a step; the
//    paragraphs before the first list form the summary.
//  - Otherwise each paragraph, and each line of a paragraph split by <br> or
//    a newline, is a step; leading enumerators ("1.", "2)", "-", "•",
//    "Step 3:") are dropped.
//  - A paragraph that starts with a safety keyword (Safety, Warning, Caution,
//    Danger, Sécurité, Attention, Danger) or a ⚠ sign is a safety note, not a
//    step, wherever it stands.
//  - A step that asks to measure, record or read a value wants a value; a unit
//    in parentheses ("(bar)") or after "in" ("in litres") is kept.
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"

namespace visor {

struct StepSpec {
  std::string text;
  bool wants_value = false;
  std::string unit;
};

struct ParsedInstructions {
  std::string summary;
  std::vector<StepSpec> steps;
  std::vector<std::string> safety;
};

ParsedInstructions parse_instructions(const Instructions& instructions);

/// The visible text of an HTML fragment: tags dropped, entities decoded,
/// white space folded. Block ends become newlines.
std::string html_to_text(std::string_view html);

/// The rule for an instruction link: "an https:// link or a path on this
/// server". A link is https://, a non-empty host and no user part; a path
/// starts with one '/' — never "//host" or "/\\host", which browsers
/// follow to another site. Neither may hold a backslash, a space or a
/// control character. Empty is valid (no link).
bool valid_instruction_url(std::string_view url);

/// Builds the steps of a task from new instructions, keeping the results
/// (done, note, value) of steps whose text did not change.
std::vector<Step> merge_steps(const std::vector<Step>& old_steps, const std::vector<StepSpec>& specs);

}  // namespace visor
