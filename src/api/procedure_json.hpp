#pragma once
// The JSON form of issue 14's records: typed steps, procedures and their
// versions, the procedure part of a task card, failure codes, meters,
// readings and rules. Decimal values are JSON numbers.
#include <optional>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_writer.hpp"
#include "domain/failure_codes.hpp"
#include "domain/meters.hpp"
#include "domain/instructions.hpp"
#include "domain/step_tags.hpp"
#include "services/procedure_detail.hpp"

namespace visor::api {

/// A task's step on its card: what it asks for, its answer, its flag and
/// the follow-up raised from it. Members that do not apply are left out
/// (min/max for other than numbers, options for other than choices).
void write_step(JsonWriter& w, const Step& step, std::optional<TaskId> follow_up, int photos);

/// The card's "procedure", "failure" and "follow_up_of" members (null when
/// there is nothing to say).
void write_procedure_members(JsonWriter& w, const services::ProcedureDetail& d);

/// Steps as a procedure or the instructions' preview declare them.
boost::json::array to_json(const std::vector<StepSpec>& steps);
/// Parsed instructions or procedure text: {summary, steps, safety, signoff, warnings}.
boost::json::object parsed_json(const ParsedInstructions& parsed);
boost::json::object to_json(const Procedure& p);
boost::json::object to_json(const ProcedureVersion& v);
boost::json::object to_json(const FailureCode& c);
boost::json::object to_json(const Meter& m, const std::vector<MeterRule>& rules);
boost::json::object to_json(const MeterRule& r);
boost::json::object to_json(const MeterReading& r);

}  // namespace visor::api
