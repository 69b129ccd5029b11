#include "events/fanout.hpp"

#include <algorithm>
#include <mutex>

namespace visor::events {

class Fanout::Sub final : public Subscription {
 public:
  Sub(Fanout& owner, Actor actor, std::uint64_t cursor, std::function<void()> wake)
      : owner_(owner), actor_(actor), cursor_(cursor), wake_(std::move(wake)) {}
  ~Sub() override { owner_.unsubscribe(*this); }
  Batch drain() override { return owner_.drain(*this); }

  Fanout& owner_;
  Actor actor_;
  std::uint64_t cursor_;
  std::function<void()> wake_;
  std::list<Sub*>::iterator self_;
};

Fanout::Fanout(std::size_t history) : capacity_(std::max<std::size_t>(history, 16)) {}
Fanout::~Fanout() = default;

void Fanout::push(Event event) {
  last_id_ = event.id;
  ring_.push_back(std::move(event));
  if (ring_.size() > capacity_) ring_.pop_front();
}

std::uint64_t Fanout::publish_next(std::string type, std::string data, Audience audience) {
  std::unique_lock lock(mutex_);
  const std::uint64_t id = last_id_ + 1;
  push(Event{id, std::move(type), std::move(data), std::move(audience)});
  std::vector<Sub*> to_wake;
  route_newest(id - 1, to_wake);
  // Waking under the lock keeps subscriptions alive while we call them;
  // wake callbacks only post work and return. Only those who may see the
  // event are woken: with many streams open, waking every one for each
  // event (to find nothing to send) cost more than the sends.
  for (Sub* s : to_wake) s->wake_();
  return id;
}

void Fanout::route_newest(std::uint64_t previous_last, std::vector<Sub*>& to_wake) {
  const Event& newest = ring_.back();
  for (Sub* s : subs_) {
    if (visible_to(newest.audience, s->actor_)) {
      if (std::find(to_wake.begin(), to_wake.end(), s) == to_wake.end()) to_wake.push_back(s);
    } else if (s->cursor_ >= previous_last) {
      s->cursor_ = newest.id;
    }
  }
}

void Fanout::append(std::vector<Event> events) {
  std::unique_lock lock(mutex_);
  std::vector<Sub*> to_wake;
  for (Event& e : events) {
    if (e.id <= last_id_) continue;
    const std::uint64_t previous_last = last_id_;
    push(std::move(e));
    route_newest(previous_last, to_wake);
  }
  for (Sub* s : to_wake) s->wake_();
}

void Fanout::skip_to(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  if (id <= last_id_) return;
  last_id_ = id;
  ring_.clear();  // what it held is older than the part that is missing
}

std::unique_ptr<Subscription> Fanout::subscribe(const Actor& actor, std::uint64_t last_event_id,
                                                std::function<void()> wake) {
  std::unique_lock lock(mutex_);
  const std::uint64_t cursor = last_event_id == 0 || last_event_id > last_id_ ? last_id_ : last_event_id;
  auto sub = std::make_unique<Sub>(*this, actor, cursor, std::move(wake));
  subs_.push_front(sub.get());
  sub->self_ = subs_.begin();
  return sub;
}

std::uint64_t Fanout::last_id() const {
  std::shared_lock lock(mutex_);
  return last_id_;
}

std::size_t Fanout::subscribers() const {
  std::shared_lock lock(mutex_);
  return subs_.size();
}

Subscription::Batch Fanout::drain(Sub& sub) {
  Subscription::Batch batch;
  std::shared_lock lock(mutex_);
  if (sub.cursor_ >= last_id_) return batch;
  // The ring holds consecutive ids when they were published here; ids read
  // from the shared table may skip numbers, so find the start by id.
  const auto first = std::upper_bound(ring_.begin(), ring_.end(), sub.cursor_,
                                      [](std::uint64_t id, const Event& e) { return id < e.id; });
  const std::uint64_t oldest = ring_.empty() ? last_id_ + 1 : ring_.front().id;
  if (sub.cursor_ + 1 < oldest) batch.gap = true;
  for (auto it = first; it != ring_.end(); ++it) {
    if (visible_to(it->audience, sub.actor_)) batch.events.push_back(*it);
  }
  sub.cursor_ = last_id_;
  return batch;
}

void Fanout::unsubscribe(Sub& sub) {
  std::unique_lock lock(mutex_);
  subs_.erase(sub.self_);
}

}  // namespace visor::events
