#pragma once
// The API's JSON form of Visor's records, in one place. Conventions: ids are
// integers, absent values are null, times are ISO 8601 UTC
// ("2026-11-25T08:30:00Z"), dates "2026-11-25", enums their text forms.
// Secrets and hashes never appear.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/json_writer.hpp"
#include "services/task_detail.hpp"
#include "storage/catalog.hpp"
#include "storage/records.hpp"
#include "storage/users.hpp"

namespace visor::api {

boost::json::value time_or_null(const std::optional<TimePoint>& t);
boost::json::value date_or_null(const std::optional<Date>& d);
template <class Id>
boost::json::value id_or_null(const std::optional<Id>& id) {
  if (!id) return nullptr;
  return boost::json::value(id->value);
}

/// A task as lists show it (also the payload of task events).
boost::json::object to_json(const storage::TaskRow& row, TimePoint now);
/// The same, written straight into `out` (the list endpoint's hot path).
void write_json(JsonWriter& out, const storage::TaskRow& row, TimePoint now);
/// A task event's payload: the row as lists show it, and `extra` members
/// (which must not repeat the row's). Written without a document tree.
std::string event_json(const storage::TaskRow& row, TimePoint now, const boost::json::object& extra);
/// A work-log entry (cards and the work-log pages).
void write_json(JsonWriter& out, const WorkLogEntry& entry);
/// The task card: a task with steps, the newest work-log entries (and the
/// cursor to older ones), instructions and time on tool, serialised
/// (written straight into the body, no document tree).
std::string card_json(const services::TaskDetail& detail, TimePoint now);

boost::json::object to_json(const Equipment& e);
boost::json::object to_json(const storage::EquipmentRow& row);
boost::json::object to_json(const Stage& s);
boost::json::object to_json(const Team& t);
boost::json::object to_json(const Category& c);
boost::json::object to_json(const User& u);
boost::json::object to_json(const storage::DeviceRecord& d);
boost::json::object to_json(const storage::AuditEntry& a);
boost::json::object to_json(const storage::Conflict& c);
boost::json::object to_json(const Media& m);

}  // namespace visor::api
