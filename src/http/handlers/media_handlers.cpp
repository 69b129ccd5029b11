// Photos: upload to a task (raw image body) and download for people who may
// see the task.
#include <cctype>
#include <charconv>
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

int step_number(const std::string& text) {
  int n = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || p != text.data() + text.size() || n < 1 || n > 10'000) invalid("step must be a step number.");
  return n;
}

http::Response upload(Call& call) {
  services::PhotoUpload u;
  u.content_type = std::string(call.req.header("Content-Type").value_or(""));
  u.bytes = call.req.body;
  if (u.bytes.empty()) invalid("The request body must be the photo.");
  for (const auto& [key, value] : call.req.query_pairs()) {
    if (key == "step") u.step = step_number(value);
    else if (key == "at") {
      u.opts.at = parse_iso8601(value);
      if (!u.opts.at) invalid("at must be an ISO 8601 date-time.");
    } else if (key == "client_action_id") {
      if (value.size() > 64) invalid("client_action_id must be at most 64 characters.");
      for (char c : value)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
          invalid("client_action_id may hold only letters, digits, '-' and '_'.");
      u.opts.client_action_id = value;
    } else invalid("Unknown query parameter '" + key + "'. Use step, at or client_action_id.");
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
  r.push_back({Method::post, "/api/v1/tasks/{id}/photos", "tasks.photo", P::task_execute, upload, true, Work::bulk});
  r.push_back({Method::get, "/api/v1/media/{id}", "media.get", P::task_read, download});
}

}  // namespace visor::handlers
