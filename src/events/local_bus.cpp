#include <algorithm>

#include "events/bus.hpp"
#include "events/fanout.hpp"

namespace visor::events {

bool visible_to(const Audience& a, const Actor& actor) {
  if (a.admins_only) return actor.role == Role::admin;
  if (actor.plans()) return true;
  if (a.planners_only) return false;
  if (a.everyone) return true;
  if (std::find(a.users.begin(), a.users.end(), actor.user) != a.users.end()) return true;
  return a.team.has_value() && actor.team == a.team;
}

namespace {

// One process: the fan-out numbers the events itself.
class LocalBus final : public EventBus {
 public:
  explicit LocalBus(std::size_t history) : fanout_(history) {}

  std::uint64_t publish(std::string type, std::string data, Audience audience) override {
    return fanout_.publish_next(std::move(type), std::move(data), std::move(audience));
  }
  std::unique_ptr<Subscription> subscribe(const Actor& actor, std::uint64_t last_event_id,
                                          std::function<void()> wake) override {
    return fanout_.subscribe(actor, last_event_id, std::move(wake));
  }
  std::uint64_t last_id() const override { return fanout_.last_id(); }
  std::size_t subscribers() const override { return fanout_.subscribers(); }

 private:
  Fanout fanout_;
};

}  // namespace

std::unique_ptr<EventBus> make_local_bus(std::size_t history) { return std::make_unique<LocalBus>(history); }

}  // namespace visor::events
