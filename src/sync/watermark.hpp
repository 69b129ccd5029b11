#pragma once
// The incremental pull's position in one CMMS model, and the Odoo domain
// that asks for what comes after it.
//
// Odoo stamps write_date in whole seconds and treats `write_date > X` as
// `>= X + 1 s`, so the pull asks `write_date >= mark` and skips the ids it
// already took at exactly the mark's second (`ids_at_mark`). When more
// records than `max_ids` share one second (bulk imports), keeping them all
// would make every poll heavy; the mark then keeps only the highest id,
// stored negated ([-N]), and the pull resumes after id N within that second.
#include <cstddef>
#include <vector>

#include <boost/json/array.hpp>

#include "sync/odoo_mapping.hpp"
#include "storage/records.hpp"

namespace visor::sync {

/// The domain for records after `mark` (empty: everything).
boost::json::array incremental_domain(const storage::Watermark& mark);

/// `mark` moved past `stamps` (in write_date, id order, as pulled).
storage::Watermark advance(storage::Watermark mark, const std::vector<odoo_map::Stamp>& stamps, std::size_t max_ids);

}  // namespace visor::sync
