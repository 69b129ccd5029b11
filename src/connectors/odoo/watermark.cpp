#include "connectors/odoo/watermark.hpp"

#include <algorithm>

#include "util/time.hpp"

namespace visor::odoo {
namespace json = boost::json;

json::array after_domain(TimePoint write_date, std::int64_t id) {
  const std::string w = format_odoo_datetime(write_date);
  return json::array{"|", json::array{"write_date", ">", w}, "&", json::array{"write_date", "=", w},
                     json::array{"id", ">", id}};
}

json::array incremental_domain(const storage::Watermark& mark, bool settled) {
  if (!mark.write_date) return {};
  const std::string w = format_odoo_datetime(*mark.write_date);
  const bool truncated = mark.ids_at_mark.size() == 1 && mark.ids_at_mark.front() < 0;
  if (mark.ids_at_mark.empty() || (!settled && !truncated)) return json::array{json::array{"write_date", ">=", w}};
  json::array same_second;
  if (mark.ids_at_mark.size() == 1 && mark.ids_at_mark.front() < 0) {
    same_second = json::array{"id", ">", -mark.ids_at_mark.front()};
  } else {
    json::array ids;
    for (auto id : mark.ids_at_mark) ids.push_back(id);
    same_second = json::array{"id", "not in", std::move(ids)};
  }
  return json::array{"|", json::array{"write_date", ">", w}, "&", json::array{"write_date", "=", w},
                     std::move(same_second)};
}

storage::Watermark advance(storage::Watermark mark, const std::vector<Stamp>& stamps, std::size_t max_ids) {
  bool truncated = mark.ids_at_mark.size() == 1 && mark.ids_at_mark.front() < 0;
  std::int64_t highest = truncated ? -mark.ids_at_mark.front() : 0;
  std::vector<std::int64_t> ids = truncated ? std::vector<std::int64_t>{} : mark.ids_at_mark;
  for (auto id : ids) highest = std::max(highest, id);
  for (const auto& s : stamps) {
    if (!s.write_date) continue;
    if (!mark.write_date || *s.write_date > *mark.write_date) {
      mark.write_date = s.write_date;
      ids.assign(1, s.id);
      truncated = false;
      highest = s.id;
    } else if (*s.write_date == *mark.write_date) {
      highest = std::max(highest, s.id);
      if (!truncated) ids.push_back(s.id);
    }
    if (!truncated && ids.size() > max_ids) {
      truncated = true;
      ids.clear();
    }
  }
  mark.ids_at_mark = truncated ? std::vector<std::int64_t>{-highest} : std::move(ids);
  return mark;
}

}  // namespace visor::odoo
