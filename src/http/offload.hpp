#pragma once
// Private to session.cpp: how the session calls the handler. A handler that
// may block runs on the worker pool `ServerOptions::pool_for` names; the
// session coroutine waits without holding its I/O thread and resumes on its
// own strand with the response. A full pool answers 503 at once.
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>

#include "http/problem.hpp"
#include "http/server_state.hpp"
#include "util/work_pool.hpp"

namespace visor::http::detail {

/// The handler's response computed on `pool`, or nullopt when the pool
/// refused the job (queue full). The I/O threads keep running until the
/// response is back on the session's strand, so a graceful stop waits for
/// handlers in flight.
inline boost::asio::awaitable<std::optional<Response>> run_on_pool(WorkPool& pool, const Handler& handler,
                                                                   Request& req) {
  namespace asio = boost::asio;
  const auto strand = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::optional<Response>)>(
      [&pool, &handler, &req, strand](auto completion) {
        // The pool's jobs are copyable std::functions; the completion is not.
        auto shared = std::make_shared<decltype(completion)>(std::move(completion));
        auto tracked = asio::prefer(strand, asio::execution::outstanding_work.tracked);
        const bool queued = pool.try_post([shared, tracked, &handler, &req] {
          Response res = call_handler(handler, req);
          asio::post(tracked, [shared, res = std::move(res)]() mutable { (*shared)(std::move(res)); });
        });
        if (!queued) asio::post(strand, [shared] { (*shared)(std::nullopt); });
      },
      asio::use_awaitable);
}

/// 503 problem+json with `Retry-After`: the pool is saturated. Cheap, so
/// that a flood is told to come back instead of piling up.
inline Response busy_response(const Request& req, const WorkPool& pool) {
  Response res = problem(503, "Service Unavailable",
                         "The server is busy (" + pool.name() + " work); retry in a moment.", req.path,
                         req.request_id);
  res.set_header("Retry-After", "1");
  return res;
}

/// The response to `req`: the handler run where `pool_for` says.
inline boost::asio::awaitable<Response> respond(ServerState& server, Request& req) {
  const auto& pool_for = server.options.pool_for;
  WorkPool* pool = pool_for ? pool_for(req.method, req.path) : nullptr;
  if (!pool) co_return call_handler(server.handler, req);
  std::optional<Response> res = co_await run_on_pool(*pool, server.handler, req);
  if (res) co_return std::move(*res);
  co_return busy_response(req, *pool);
}

}  // namespace visor::http::detail
