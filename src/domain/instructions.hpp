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
//  - A line that starts with a tag ("[check]", "[number 3.0–3.5 bar]", …,
//    step_tags.hpp) is a typed step; "[sign-off]" alone asks for a sign-off.
//  - An untagged step that asks to measure, record or read a value is a
//    number step (not required); a unit in parentheses ("(bar)") or after
//    "in" ("in litres") is kept, and a range in its words ("between 3 and
//    3.5 bar") is its expected range.
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"
#include "domain/step_tags.hpp"

namespace visor {

struct ParsedInstructions {
  std::string summary;
  std::vector<StepSpec> steps;
  std::vector<std::string> safety;
  /// A "[sign-off]" line: the work is signed off at completion.
  SignOff signoff = SignOff::none;
  /// Tags that were not understood ("step 3: unknown tag [chek] …").
  std::vector<std::string> warnings;
};

ParsedInstructions parse_instructions(const Instructions& instructions);

/// The steps of a procedure's text (the same rules, and the same tags).
ParsedInstructions parse_procedure_text(std::string_view text);

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
/// (done, note, value) of steps whose text and kind did not change. The
/// steps are numbered from `first` and marked with `origin`.
std::vector<Step> merge_steps(const std::vector<Step>& old_steps, const std::vector<StepSpec>& specs,
                              StepOrigin origin = StepOrigin::instructions, int first = 1);

}  // namespace visor
