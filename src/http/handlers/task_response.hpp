#pragma once
// What every handler that answers with a task card shares (task_handlers.cpp).
#include <boost/json/object.hpp>

#include "http/handlers/api_context.hpp"
#include "services/tasks.hpp"

namespace visor::handlers {

/// The task card with its ETag (201 adds Location).
http::Response task_card(const Call& call, const services::TaskDetail& detail, int status = 200);

/// The optional {at, client_action_id} of a floor action.
services::ActionOptions parse_action(const boost::json::object& body);

}  // namespace visor::handlers
