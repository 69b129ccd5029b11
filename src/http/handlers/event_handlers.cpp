// GET /api/v1/events: Server-Sent Events. Each stream is a subscription to
// the event bus filtered for the principal; the HTTP session drains it when
// woken and sends heartbeats in between. A reconnecting browser sends
// Last-Event-ID and resumes where it left off.
#include <charconv>
#include <mutex>

#include "http/handlers/routes.hpp"
#include "http/stream.hpp"
#include "util/error.hpp"

namespace visor::handlers {
using http::Method;
using P = auth::Permission;

namespace {

class EventStream final : public http::StreamSource {
 public:
  EventStream(events::EventBus& bus, const Actor& actor, std::uint64_t last_id) {
    subscription_ = bus.subscribe(actor, last_id, [this] { wake(); });
    pending_ = "retry: 3000\n\n";
    if (last_id > bus.last_id()) pending_ += "event: resync\ndata: {}\n\n";
  }
  ~EventStream() override { subscription_.reset(); }

  std::optional<std::string> next_chunk() override {
    std::string out;
    {
      std::lock_guard lock(mutex_);
      out.swap(pending_);
    }
    const auto batch = subscription_->drain();
    if (batch.gap) out += "event: resync\ndata: {}\n\n";
    for (const auto& e : batch.events) {
      out += "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + e.data + "\n\n";
    }
    if (out.empty()) return std::nullopt;
    return out;
  }

  bool finished() const override { return false; }

  void on_wake(std::function<void()> wake) override {
    std::lock_guard lock(mutex_);
    wake_ = std::move(wake);
  }

  void on_close() override {
    std::lock_guard lock(mutex_);
    wake_ = nullptr;
  }

 private:
  void wake() {
    std::lock_guard lock(mutex_);
    if (wake_) wake_();
  }

  std::mutex mutex_;
  std::function<void()> wake_;
  std::string pending_;
  std::unique_ptr<events::Subscription> subscription_;
};

std::uint64_t last_event_id(const http::Request& req) {
  std::string_view text;
  if (const auto h = req.header("Last-Event-ID")) text = *h;
  std::string from_query;
  if (text.empty()) {
    const auto q = req.query("last_event_id");
    if (!q) return 0;
    from_query = *q;
    text = from_query;
    if (text.empty()) invalid("last_event_id must be an event id (a number).");
  }
  std::uint64_t id = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || p != text.data() + text.size())
    invalid("Last-Event-ID (or last_event_id) must be an event id (a number).");
  return id;
}

http::Response stream(Call& call) {
  http::Response res = status_only(200);
  res.set_header("Content-Type", "text/event-stream");
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  res.stream = std::make_shared<EventStream>(call.ctx.deps.bus, call.who().actor(), last_event_id(call.req));
  return res;
}

}  // namespace

void add_event_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::get, "/api/v1/events", "events.stream", P::events_read, stream});
}

}  // namespace visor::handlers
