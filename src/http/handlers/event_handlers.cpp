// GET /api/v1/events: Server-Sent Events. Each stream is a subscription to
// the event bus filtered for the principal; the HTTP session drains it when
// woken and sends heartbeats in between. A reconnecting browser sends
// Last-Event-ID and resumes where it left off.
//
// A stream holds a place in auth::LiveStreams for as long as it is open:
// admission is capped per user and in total, and the stream ends — sending
// nothing more — as soon as its credential stops allowing it (logout,
// revoked device, disabled account, password reset, role or team change).
#include <charconv>
#include <mutex>

#include "auth/live_streams.hpp"
#include "http/handlers/routes.hpp"
#include "http/problem.hpp"
#include "http/stream.hpp"
#include "util/error.hpp"

namespace visor::handlers {
using http::Method;
using P = auth::Permission;

namespace {

constexpr std::chrono::seconds kRetryStreams{30};

class EventStream final : public http::StreamSource {
 public:
  EventStream(events::EventBus& bus, const Actor& actor, std::uint64_t last_id) {
    subscription_ = bus.subscribe(actor, last_id, [this] { wake(); });
    pending_ = "retry: 3000\n\n";
    if (last_id > bus.last_id()) pending_ += "event: resync\ndata: {}\n\n";
  }
  ~EventStream() override {
    ticket_.reset();  // first: after this, end() is never called again
    subscription_.reset();
  }

  void hold(std::unique_ptr<auth::LiveStreams::Ticket> ticket) { ticket_ = std::move(ticket); }

  /// The credential no longer allows this stream: nothing more is sent,
  /// not even what is pending, and the session closes it.
  void end() {
    {
      std::lock_guard lock(drain_mutex_);
      ended_ = true;
    }
    wake();
  }

  // Checking `ended_` and draining happen under one lock, so no event is
  // drained after end() returned.
  std::optional<std::string> next_chunk() override {
    std::lock_guard lock(drain_mutex_);
    if (ended_) return std::nullopt;
    std::string out;
    out.swap(pending_);
    const auto batch = subscription_->drain();
    if (batch.gap) out += "event: resync\ndata: {}\n\n";
    for (const auto& e : batch.events) {
      out += "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + e.data + "\n\n";
    }
    if (out.empty()) return std::nullopt;
    return out;
  }

  bool finished() const override {
    std::lock_guard lock(drain_mutex_);
    return ended_;
  }

  void on_wake(std::function<void()> wake) override {
    std::lock_guard lock(wake_mutex_);
    wake_ = std::move(wake);
  }

  void on_close() override {
    std::lock_guard lock(wake_mutex_);
    wake_ = nullptr;
  }

 private:
  void wake() {
    std::lock_guard lock(wake_mutex_);
    if (wake_) wake_();
  }

  // Two locks: the bus wakes a stream under its own lock (wake_mutex_ only),
  // while draining takes the bus's lock under drain_mutex_.
  std::mutex wake_mutex_;
  std::function<void()> wake_;
  mutable std::mutex drain_mutex_;
  bool ended_ = false;
  std::string pending_;
  std::unique_ptr<events::Subscription> subscription_;
  std::unique_ptr<auth::LiveStreams::Ticket> ticket_;
};

std::uint64_t last_event_id(const Call& call) {
  if (const auto h = call.req.header("Last-Event-ID")) {
    std::uint64_t id = 0;
    const auto [p, ec] = std::from_chars(h->data(), h->data() + h->size(), id);
    if (ec != std::errc{} || p != h->data() + h->size()) invalid("Last-Event-ID must be an event id (a number).");
    return id;
  }
  return std::uint64_t(call.query.integer("last_event_id", 0, INT64_MAX).value_or(0));
}

http::Response stream(Call& call) {
  if (!call.ctx.streams || !call.credential) fail(ErrorCode::unavailable, "Live events are not available here.");
  auto source = std::make_shared<EventStream>(call.ctx.deps.bus, call.who().actor(), last_event_id(call));
  auto admission = call.ctx.streams->admit(call.who(), *call.credential,
                                           [weak = std::weak_ptr<EventStream>(source)] {
                                             if (auto s = weak.lock()) s->end();
                                           });
  // A refusal closes its connection: a client opening streams in a loop
  // must not keep the descriptors as idle connections instead.
  if (admission.refused) {
    const bool user = admission.refused == auth::LiveStreams::Refusal::user_full;
    http::Response res =
        user ? http::problem(auth::RateLimited("You already have " +
                                                   std::to_string(call.ctx.streams->limits().per_user) +
                                                   " live streams open. Close a tab or a device's app, then try again.",
                                               kRetryStreams),
                             call.req, kRetryStreams)
             : http::problem(503, "Service Unavailable",
                             "The server holds as many live streams as it can. Try again shortly.", call.req.path,
                             call.req.request_id);
    res.set_header("Retry-After", std::to_string(kRetryStreams.count()));
    res.close_connection = true;
    return res;
  }
  source->hold(std::move(admission.ticket));
  http::Response res = status_only(200);
  res.set_header("Content-Type", "text/event-stream");
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  res.stream = std::move(source);
  return res;
}

}  // namespace

void add_event_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/events", "events.stream", P::events_read, stream, {"last_event_id"}});
}

}  // namespace visor::handlers
