#pragma once
// Server-pushed streams (Server-Sent Events) without Asio in sight.
//
// A handler returns `Response::event_stream(source)`. The session then writes
// the response headers and loops: it drains `next_chunk()` and writes what it
// gets; when nothing is pending it sleeps until the source calls the `wake`
// function it was given, or until the heartbeat interval passes (it then sends
// the SSE comment ": hb\n\n" so that proxies and clients keep the line open).
// The loop ends when the source is `finished()`, the client goes away or the
// server stops; `on_close()` is called in every case.
//
// No thread is held per stream: an idle stream costs its source plus a few
// hundred bytes of session state.
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace visor::http {

class StreamSource {
 public:
  virtual ~StreamSource() = default;

  /// Called once by the session, before the first next_chunk(). The source
  /// calls `wake` (from any thread, any number of times, also after the
  /// stream ended — it is then a no-op) whenever new data may be pending.
  virtual void on_wake(std::function<void()> wake) = 0;

  /// Pending data to send as is (already SSE-framed, e.g.
  /// "id: 7\nevent: task.changed\ndata: {...}\n\n"), or nullopt when nothing
  /// is pending now. Never blocks. Called on the session's thread.
  virtual std::optional<std::string> next_chunk() = 0;

  /// True when the source has nothing more to send, ever: the session then
  /// ends the response after draining what is pending.
  virtual bool finished() const = 0;

  /// The stream is over, whatever the reason: the source finished, the
  /// client disconnected, a write failed, the server is stopping, or the
  /// request was a HEAD that never streams. Called once, on the session's
  /// thread; release subscriptions here. `wake` may still be called
  /// afterwards (it is then a no-op).
  virtual void on_close() {}

  /// Sent as is when the server stops while the stream is open (a rolling
  /// restart), before the response ends: e.g. SSE `retry:` so that the
  /// client reconnects — to another instance — at once. Empty: nothing.
  virtual std::string closing_chunk() const { return {}; }
};

/// A ready-made thread-safe source: producers `push()` framed chunks from any
/// thread and `finish()` when done. Useful for simple streams and tests.
class QueueStream final : public StreamSource {
 public:
  /// Appends a chunk and wakes the session. Chunks pushed between two
  /// reads are delivered together by one next_chunk().
  void push(std::string chunk);
  /// Marks the end; pending chunks are still delivered.
  void finish();
  /// True once the session reported the client gone.
  bool closed() const;

  void on_wake(std::function<void()> wake) override;
  std::optional<std::string> next_chunk() override;
  bool finished() const override;
  void on_close() override;

 private:
  void wake_locked(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  std::string pending_;  // chunks joined: an idle queue holds no buffer
  std::function<void()> wake_;
  bool finished_ = false;
  bool closed_ = false;
};

/// Frames one SSE event: "id: <id>\nevent: <type>\ndata: <line>\n…\n\n".
/// Empty `id`/`type` are left out; multi-line data becomes several `data:`
/// lines. CR and LF in id/type are dropped so that they cannot forge fields.
std::string sse_event(std::string_view id, std::string_view type, std::string_view data);

}  // namespace visor::http
