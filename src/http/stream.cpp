#include "http/stream.hpp"

namespace visor::http {

void QueueStream::push(std::string chunk) {
  std::unique_lock lock(mutex_);
  pending_.append(chunk);
  wake_locked(lock);
}

void QueueStream::finish() {
  std::unique_lock lock(mutex_);
  finished_ = true;
  wake_locked(lock);
}

bool QueueStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void QueueStream::on_wake(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

std::optional<std::string> QueueStream::next_chunk() {
  std::lock_guard lock(mutex_);
  if (pending_.empty()) return std::nullopt;
  std::string chunk;
  chunk.swap(pending_);
  return chunk;
}

bool QueueStream::finished() const {
  std::lock_guard lock(mutex_);
  return finished_ && pending_.empty();
}

void QueueStream::on_close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  wake_ = nullptr;
}

// The wake function is called outside the lock: it may take the session's
// own locks, and it must never be able to call back into this source.
void QueueStream::wake_locked(std::unique_lock<std::mutex>& lock) {
  auto wake = wake_;
  lock.unlock();
  if (wake) wake();
}

std::string sse_event(std::string_view id, std::string_view type, std::string_view data) {
  const auto append_clean = [](std::string& out, std::string_view field, std::string_view value) {
    out.append(field);
    for (char c : value) {
      if (c != '\r' && c != '\n') out.push_back(c);
    }
    out.push_back('\n');
  };
  std::string out;
  out.reserve(data.size() + id.size() + type.size() + 32);
  if (!id.empty()) append_clean(out, "id: ", id);
  if (!type.empty()) append_clean(out, "event: ", type);
  // CR, LF and CRLF all end an SSE line: each becomes its own `data:` line.
  out.append("data: ");
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (c != '\r' && c != '\n') {
      out.push_back(c);
      continue;
    }
    if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
    out.append("\ndata: ");
  }
  out.push_back('\n');
  out.push_back('\n');
  return out;
}

}  // namespace visor::http
