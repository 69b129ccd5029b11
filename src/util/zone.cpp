#include "util/zone.hpp"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>
#include <cstdio>

#include "util/error.hpp"

namespace visor {

struct PlantZone::Impl {
  cctz::time_zone tz;
};

PlantZone::PlantZone(std::string name, std::shared_ptr<const Impl> impl) : name_(std::move(name)), impl_(std::move(impl)) {}

bool PlantZone::exists(std::string_view name) {
  cctz::time_zone tz;
  return !name.empty() && cctz::load_time_zone(std::string(name), &tz);
}

PlantZone PlantZone::load(std::string_view name) {
  auto impl = std::make_shared<Impl>();
  if (name == "UTC") impl->tz = cctz::utc_time_zone();
  else if (name.empty() || !cctz::load_time_zone(std::string(name), &impl->tz))
    throw Error(ErrorCode::invalid_input, "The timezone '" + std::string(name) + "' is unknown; use an IANA name like Europe/Paris.",
                "unknown timezone " + std::string(name));
  return PlantZone(std::string(name), std::move(impl));
}

namespace {

cctz::civil_second civil(const cctz::time_zone& tz, TimePoint t) {
  return cctz::convert(std::chrono::time_point_cast<cctz::seconds>(
                           std::chrono::system_clock::time_point(std::chrono::seconds(to_unix(t)))),
                       tz);
}

}  // namespace

std::string PlantZone::wall_clock(TimePoint t) const {
  const cctz::civil_second c = civil(impl_->tz, t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", int(c.year()), c.month(), c.day(), c.hour(), c.minute());
  return buf;
}

std::string PlantZone::date(TimePoint t) const { return wall_clock(t).substr(0, 10); }

std::string PlantZone::iso(TimePoint t) const {
  const auto tp = std::chrono::time_point_cast<cctz::seconds>(
      std::chrono::system_clock::time_point(std::chrono::seconds(to_unix(t))));
  const cctz::time_zone::absolute_lookup al = impl_->tz.lookup(tp);
  const cctz::civil_second c = al.cs;
  const int off = al.offset;
  const int m = (off < 0 ? -off : off) / 60;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", int(c.year()), c.month(), c.day(), c.hour(),
                c.minute(), c.second(), off < 0 ? '-' : '+', m / 60, m % 60);
  return buf;
}

}  // namespace visor
