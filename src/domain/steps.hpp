#pragma once
// What a typed step accepts, what its answer means, and what completing a
// procedure needs. Plain functions over the model (no I/O); violations throw
// visor::Error(invalid_input / conflict) with a message a technician can act on.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"
#include "domain/step_tags.hpp"

namespace visor {

/// The longest answers kept: a value of a number, check or choice step, a text answer.
inline constexpr std::size_t kMaxValue = 100;
inline constexpr std::size_t kMaxTextAnswer = 1000;

/// The answer to keep for `step` given what was entered, normalised:
///   check   "pass" | "flag" | "fail" (any case); FLAG and FAIL need a comment:
///           `note` (sent with it) or the note the step already has
///   number  a number, optionally followed by a unit ("3,2 bar"), as entered
///   choice  one of the options (any case), stored as the option is written
///   text    1..1000 bytes
///   photo   never: a photo step is answered by a photo
///   plain   anything up to 100 bytes (steps without a type)
/// An empty value clears the answer. Throws Error(invalid_input).
std::string normalise_answer(const Step& step, std::string_view value, const std::optional<std::string>& note);

/// The verdict of a step's current answer: a check's FLAG or FAIL, a number
/// outside its expected range.
StepFlag step_flag(const Step& step);

/// A FAIL, or a value out of range, proposes a corrective follow-up.
bool proposes_follow_up(const Step& step);

/// Whether the step has its answer (a photo step: `photos` taken for it).
bool answered(const Step& step, int photos);

/// The steps that block completion: required and not answered.
/// `photos_of(number)` counts the photos taken for a step.
template <class PhotosOf>
std::vector<const Step*> missing_answers(const std::vector<Step>& steps, PhotosOf photos_of) {
  std::vector<const Step*> out;
  for (const Step& s : steps)
    if (s.required && s.kind != StepKind::instruction && !answered(s, photos_of(s.number))) out.push_back(&s);
  return out;
}

/// The steps of a task: its instructions' steps first, then the procedure's.
/// A task that has started keeps the procedure steps it has, and gains none
/// (the snapshot: editing a procedure never changes work in progress); one
/// that has not takes `procedure` as it is now. Results survive where a step's text and
/// kind are unchanged.
std::vector<Step> assemble_steps(const std::vector<Step>& current, const std::vector<StepSpec>& instruction_steps,
                                 const std::optional<std::vector<StepSpec>>& procedure, bool started);

/// Which procedure applies to a task: one for its machine before one for the
/// machine's category, one for its kind of work (preventive / corrective)
/// before one for any, then the lowest id. Inactive ones never apply.
const Procedure* choose_procedure(const std::vector<Procedure>& candidates, const Task& task,
                                  std::optional<CategoryId> category);

/// The title and description (HTML) of a follow-up raised from `step` of
/// `origin`, in `locale` ("en" or "fr"): what failed, the value and range,
/// the comment. `title` may be given by the technician.
struct FollowUpText {
  std::string title;
  std::string description;
};
FollowUpText follow_up_text(const Task& origin, const Step& step, const std::string& locale);

}  // namespace visor
