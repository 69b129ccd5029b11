#pragma once
// The structured chatter entry of a completion: who completed the work and
// how long it took, a table of every step (its type, the answer, the flag,
// the comment, photos and the follow-up raised), the failure codes and the
// sign-off — readable in Odoo's chatter as it is, and parseable by anyone
// who wants the numbers (one row per step, fixed columns).
#include <string>

#include <boost/json/object.hpp>

namespace visor::odoo {

/// The completion note's HTML. `who` is the author's name, escaped.
/// Steps may carry "follow_up_cmms_id" (resolved at delivery) to name the
/// follow-up request in Odoo.
std::string completion_html(const boost::json::object& payload, const std::string& who);

/// "PASS", "FLAG", "FAIL" for a check's value.
std::string check_words(const std::string& value);
/// "FLAG", "FAIL", "Out of range" for a step flag ("" for none).
std::string flag_words(const std::string& flag);

}  // namespace visor::odoo
