#pragma once
// Chatter notes: how a note in Visor's terms (sync/changes.hpp — a note, a
// step result, a completion, a photo) reads in Odoo's chatter. The person is
// named (the author's name in Visor), never the device they used. A later
// structured form (a table of step results, attachments) changes only this
// file and push.cpp.
#include <string>

#include <boost/json/object.hpp>

namespace visor::odoo {

/// The HTML body of the chatter note for `payload` written by `author`
/// (a person's name; "" when unknown). Throws std::invalid_argument when the
/// payload is not a note Visor writes.
std::string chatter_html(const boost::json::object& payload, const std::string& author);

}  // namespace visor::odoo
