// Photos: upload to a task (raw image body) and download for people who may
// see the task.
#include <cctype>
#include <fstream>
#include <sstream>

#include "api/json_write.hpp"
#include "http/handlers/routes.hpp"
#include "services/media.hpp"
#include "util/error.hpp"

namespace visor::handlers {
using http::Method;
using P = auth::Permission;

namespace {

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
  const Media m = services::attach_photo(call.ctx.deps, call.caller(), TaskId{call.id_param("id")}, u,
                                         call.ctx.media_dir);
  http::Response res = json_response(201, api::to_json(m));
  res.set_header("Location", "/api/v1/media/" + std::to_string(m.id.value));
  return res;
}

http::Response download(Call& call) {
  const auto file = services::find_media(call.ctx.deps, call.caller(), MediaId{call.id_param("id")}, call.ctx.media_dir);
  const std::string etag = "\"" + file.media.sha256 + "\"";
  if (call.req.header("If-None-Match") == std::optional<std::string_view>(etag)) return not_modified(etag);
  std::ifstream in(file.path, std::ios::binary);
  if (!in) fail(ErrorCode::unavailable, "The photo file is missing from the media folder.");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  http::Response res = status_only(200);
  res.body = bytes.str();
  res.set_header("Content-Type", file.media.content_type);
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
