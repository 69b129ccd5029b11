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

#include "connectors/odoo/mapping.hpp"
#include "storage/records.hpp"
#include "util/clock.hpp"

namespace visor::odoo {

/// The domain for the first page of a pull from `mark` (empty: everything).
/// Until the mark's second is `settled` — long enough ago that no Odoo
/// transaction can still commit with that write_date — the records of that
/// second are fetched again (a record may be written twice within one
/// second); the pull compares them and applies only real changes. Once
/// settled, the ids already taken at that second are excluded.
boost::json::array incremental_domain(const storage::Watermark& mark, bool settled = true);

/// The domain for the next page: strictly after (write_date, id) of the last
/// row of the previous page, in the pull's order.
boost::json::array after_domain(TimePoint write_date, std::int64_t id);

/// `mark` moved past `stamps` (in write_date, id order, as pulled).
storage::Watermark advance(storage::Watermark mark, const std::vector<Stamp>& stamps, std::size_t max_ids);

}  // namespace visor::odoo
