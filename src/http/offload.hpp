#pragma once
// Private to session.cpp: how the session calls the handler. A handler that
// may block runs on the worker pool `ServerOptions::pool_for` names; the
// session coroutine waits without holding its I/O thread and resumes on its
// own strand with the response. A full pool answers 503 at once.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>

#include "http/problem.hpp"
#include "http/server_state.hpp"
#include "util/work_pool.hpp"

namespace visor::http::detail {

/// Moves the calling coroutine onto one of `pool`'s threads; false (and
/// still on the caller's executor) when the pool refused the job.
inline boost::asio::awaitable<bool> enter_pool(WorkPool& pool, boost::asio::io_context& ioc) {
  namespace asio = boost::asio;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(bool)>(
      [&pool, &ioc](auto completion) {
        // The pool's jobs are copyable std::functions; the completion is not.
        auto shared = std::make_shared<decltype(completion)>(std::move(completion));
        // Outstanding work on the io_context while the coroutine is away, so
        // that Server::run() (and a graceful stop) waits for it to come back.
        auto work = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(ioc.get_executor());
        const bool queued = pool.try_post([shared, work]() mutable {
          auto h = std::move(shared);
          (*h)(true);
          work->reset();
        });
        if (!queued) {
          const auto ex = asio::get_associated_executor(*shared);
          asio::post(ex, [shared] { (*shared)(false); });
        }
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

/// The response to `req`: the handler run where `pool_for` says. A pooled
/// handler runs with the session's coroutine moved onto a pool thread; the
/// coroutine then moves back onto its strand before touching the socket.
inline boost::asio::awaitable<Response> respond(ServerState& server, Request& req) {
  namespace asio = boost::asio;
  const auto& pool_for = server.options.pool_for;
  WorkPool* pool = pool_for ? pool_for(req.method, req.path) : nullptr;
  if (!pool) co_return call_handler(server.handler, req);
  const auto& quick_first = server.options.quick_first;
  if (quick_first && quick_first(req.method, req.path)) {
    req.quick = true;
    Response quick = call_handler(server.handler, req);
    req.quick = false;
    if (!quick.deferred()) co_return quick;
    req.params.clear();  // the router fills them again
  }
  const auto strand = co_await asio::this_coro::executor;
  if (!co_await enter_pool(*pool, server.ioc)) co_return busy_response(req, *pool);
  Response res = call_handler(server.handler, req);
  co_await asio::post(strand, asio::use_awaitable);
  co_return res;
}

}  // namespace visor::http::detail
