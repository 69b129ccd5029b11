// Photos: upload to a task (raw image body) and download for people who may
// see the task — streamed from the media store, decrypted a chunk at a time,
// whole or one byte range.
#include <cctype>

#include "api/json_write.hpp"
#include "http/body.hpp"
#include "http/handlers/routes.hpp"
#include "http/problem.hpp"
#include "http/range.hpp"
#include "services/media.hpp"
#include "util/error.hpp"

namespace visor::handlers {
using http::Method;
using P = auth::Permission;

namespace {

// The bytes [first, first + length) of a stored file, read as they are sent.
class StoredBody final : public http::BodySource {
 public:
  StoredBody(std::unique_ptr<media::MediaReader> reader, std::uint64_t first, std::uint64_t length)
      : reader_(std::move(reader)), next_(first), left_(length) {}

  std::uint64_t size() const override { return size_; }

  /// Reads (and so verifies) the first part now, while a failure can still
  /// be answered with an error response.
  void prime() { read(primed_, 64 * 1024); }

  void next(std::string& out, std::size_t max) override {
    if (!primed_.empty()) {
      const std::size_t n = std::min(max, primed_.size());
      out.append(primed_, 0, n);
      primed_.erase(0, n);
      return;
    }
    read(out, max);
  }

 private:
  void read(std::string& out, std::size_t max) {
    if (left_ == 0) return;
    const std::size_t n = reader_->read(next_, std::size_t(std::min<std::uint64_t>(max, left_)), out);
    if (n == 0) fail(ErrorCode::internal, "The stored file ended early.");
    next_ += n;
    left_ -= n;
  }

  std::unique_ptr<media::MediaReader> reader_;
  std::uint64_t next_;
  std::uint64_t left_;
  const std::uint64_t size_ = left_;
  std::string primed_;
};

http::Response upload(Call& call) {
  services::PhotoUpload u;
  u.content_type = std::string(call.req.header("Content-Type").value_or(""));
  u.bytes = call.req.body;
  if (u.bytes.empty()) invalid("The request body must be the photo.");
  if (const auto v = call.query.integer("step", 1, 10'000)) u.step = int(*v);
  u.opts.at = call.query.time("at");
  if (const auto v = call.query.text("client_action_id", 64)) {
    for (char c : *v)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
        invalid("client_action_id may hold only letters, digits, '-' and '_'.");
    u.opts.client_action_id = *v;
  }
  const Media m = services::attach_photo(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, u, call.ctx.media);
  http::Response res = json_response(201, api::to_json(m));
  res.set_header("Location", "/api/v1/media/" + std::to_string(m.id.value));
  return res;
}

http::Response download(Call& call) {
  auto file = services::open_media(call.ctx.deps, call.caller(), MediaId{call.id_param("id")}, call.ctx.media);
  const std::string etag = "\"" + file.media.sha256 + "\"";
  if (call.req.header("If-None-Match") == std::optional<std::string_view>(etag)) return not_modified(etag);
  const std::uint64_t size = file.reader->size();
  const auto range = http::select_range(call.req.header("Range"), call.req.header("If-Range"), etag, size);
  if (range.kind == http::RangeAnswer::Kind::unsatisfiable) {
    http::Response res = http::problem(416, "Range Not Satisfiable",
                                       "The photo has " + std::to_string(size) + " bytes; the range asked lies beyond.",
                                       call.req.path, call.req.request_id);
    res.set_header("Content-Range", http::content_range(range, size));
    return res;
  }
  const bool partial = range.kind == http::RangeAnswer::Kind::partial;
  auto body = std::make_shared<StoredBody>(std::move(file.reader), partial ? range.range.first : 0,
                                           partial ? range.range.length() : size);
  if (call.req.method != http::Method::head) body->prime();
  http::Response res = status_only(partial ? 206 : 200);
  res.body_source = std::move(body);
  if (partial) res.set_header("Content-Range", http::content_range(range, size));
  res.set_header("Content-Type", file.media.content_type);
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "private, max-age=86400, immutable");
  return res;
}

}  // namespace

void add_media_routes(std::vector<ApiRoute>& r) {
  r.push_back({Method::post, "/api/v1/tasks/{id}/photos", "tasks.photo", P::task_execute, upload,
               {"step", "at", "client_action_id"}, true, Work::bulk});
  r.push_back({Method::get, "/api/v1/media/{id}", "media.get", P::task_read, download});
}

}  // namespace visor::handlers
