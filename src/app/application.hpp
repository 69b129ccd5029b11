#pragma once
// The composition root: builds every part of a running Visor from the
// configuration — store, event bus, authentication, use cases, API routes,
// web apps, CMMS sync — and owns them. `visor serve` runs one; integration
// tests run one in-process on port 0 with their own clock.
#include <memory>

#include "app/config.hpp"
#include "util/clock.hpp"

namespace visor::storage {
class Store;
}
namespace visor::events {
class EventBus;
}

namespace visor::app {

class Application {
 public:
  /// Opens the store (applying migrations) and wires everything; does not
  /// listen yet. `clock` must outlive the application.
  Application(Config config, const IClock& clock);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  /// Binds the listener and starts the worker threads and the sync engine.
  void start();
  /// The bound port (after start; useful with port 0).
  std::uint16_t port() const;
  /// Blocks until SIGINT/SIGTERM, then shuts down gracefully.
  void run_until_signal();
  /// Graceful shutdown: stops accepting, finishes in-flight requests.
  void stop();

  const Config& config() const;
  storage::Store& store();
  events::EventBus& bus();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace visor::app
