#include <algorithm>
#include <atomic>
#include <deque>
#include <list>
#include <mutex>
#include <shared_mutex>

#include "events/bus.hpp"

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

class LocalBus;

class LocalSubscription final : public Subscription {
 public:
  LocalSubscription(LocalBus& bus, Actor actor, std::uint64_t cursor) : bus_(bus), actor_(actor), cursor_(cursor) {}
  ~LocalSubscription() override;
  Batch drain() override;

  LocalBus& bus_;
  Actor actor_;
  std::uint64_t cursor_;
  std::function<void()> wake_;
  std::list<LocalSubscription*>::iterator self_;
};

class LocalBus final : public EventBus {
 public:
  explicit LocalBus(std::size_t history) : capacity_(std::max<std::size_t>(history, 16)) {}

  std::uint64_t publish(std::string type, std::string data, Audience audience) override {
    std::vector<std::function<void()>*> to_wake;
    std::uint64_t id;
    {
      std::unique_lock lock(mutex_);
      id = ++last_id_;
      ring_.push_back(Event{id, std::move(type), std::move(data), std::move(audience)});
      if (ring_.size() > capacity_) ring_.pop_front();
      // Waking under the lock keeps subscriptions alive while we call them;
      // wake callbacks only post work and return. Only those who may see
      // the event are woken: with many streams open, waking every one for
      // each event (to find nothing to send) cost more than the sends.
      // A subscriber that had read everything before this event (and may
      // not see it) moves past it, so that events it never sees cannot age
      // its cursor out of the history (a spurious "resync").
      const Audience& audience = ring_.back().audience;
      for (LocalSubscription* s : subs_) {
        if (visible_to(audience, s->actor_)) s->wake_();
        else if (s->cursor_ + 1 == id) s->cursor_ = id;
      }
    }
    return id;
  }

  std::unique_ptr<Subscription> subscribe(const Actor& actor, std::uint64_t last_event_id,
                                          std::function<void()> wake) override {
    std::unique_lock lock(mutex_);
    const std::uint64_t cursor = last_event_id == 0 || last_event_id > last_id_ ? last_id_ : last_event_id;
    auto sub = std::make_unique<LocalSubscription>(*this, actor, cursor);
    sub->wake_ = std::move(wake);
    subs_.push_front(sub.get());
    sub->self_ = subs_.begin();
    return sub;
  }

  std::uint64_t last_id() const override {
    std::shared_lock lock(mutex_);
    return last_id_;
  }

  std::size_t subscribers() const override {
    std::shared_lock lock(mutex_);
    return subs_.size();
  }

  Subscription::Batch drain(LocalSubscription& sub) {
    Subscription::Batch batch;
    std::shared_lock lock(mutex_);
    if (ring_.empty() || sub.cursor_ >= last_id_) return batch;
    const std::uint64_t oldest = ring_.front().id;
    if (sub.cursor_ + 1 < oldest) batch.gap = true;
    const std::size_t start = sub.cursor_ + 1 <= oldest ? 0 : std::size_t(sub.cursor_ + 1 - oldest);
    for (std::size_t i = start; i < ring_.size(); ++i) {
      if (visible_to(ring_[i].audience, sub.actor_)) batch.events.push_back(ring_[i]);
    }
    sub.cursor_ = last_id_;
    return batch;
  }

  void unsubscribe(LocalSubscription& sub) {
    std::unique_lock lock(mutex_);
    subs_.erase(sub.self_);
  }

 private:
  const std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::deque<Event> ring_;
  std::uint64_t last_id_ = 0;
  std::list<LocalSubscription*> subs_;
};

LocalSubscription::~LocalSubscription() { bus_.unsubscribe(*this); }
Subscription::Batch LocalSubscription::drain() { return bus_.drain(*this); }

}  // namespace

std::unique_ptr<EventBus> make_local_bus(std::size_t history) { return std::make_unique<LocalBus>(history); }

}  // namespace visor::events
