#pragma once
// What the sync engine asks of a CMMS connector. The engine owns the loop,
// the timing, the outbox bookkeeping (ordering, backoff, parking), status,
// metrics and alerts; a connector knows one CMMS: how to pull its models
// into the store incrementally, how to reconcile (find deletions), and how
// to deliver one outbox message. Odoo is the first (sync/odoo_connector.hpp);
// another CMMS implements the same interface. Failures are CmmsError.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/records.hpp"

namespace visor::sync {

/// What one pull (or reconcile) of one model did.
struct ModelPull {
  std::string model;
  std::int64_t fetched = 0;   // records received
  std::int64_t created = 0;   // new local records
  std::int64_t updated = 0;   // local records changed
  std::int64_t removed = 0;   // deleted, archived or unlinked after a deletion in the CMMS
  std::int64_t rejected = 0;  // records that could not be mapped (see the mapping metric)
  std::int64_t calls = 0;     // CMMS calls made
  std::chrono::nanoseconds remote_time{0};  // time spent waiting on the CMMS
};

/// The outcome of delivering one outbox message.
struct Delivery {
  enum class Outcome {
    delivered,  // the CMMS has it
    skipped,    // nothing to send (the record is gone or was never linked): done
    wait,       // depends on another record not yet in the CMMS: try again later
  };
  Outcome outcome = Outcome::delivered;
  std::string note;  // why skipped / what it waits for
  std::chrono::seconds wait{2};
};

class Connector {
 public:
  virtual ~Connector() = default;

  /// "Odoo 19.0 (json2)": after connect().
  virtual std::string describe() const = 0;
  /// Connects if not connected yet (probing version and schema). Cheap when
  /// connected. Throws CmmsError.
  virtual void connect() = 0;
  /// Forgets the connection (after an outage or a settings change).
  virtual void disconnect() = 0;
  /// Connects and proves the credentials and the read rights on the
  /// maintenance models, changing nothing. Throws CmmsError.
  virtual void probe() = 0;

  /// The models pulled, in dependency order (referenced models first).
  virtual std::vector<std::string> models() const = 0;
  /// Pulls what changed in `model` since the stored watermark into the store,
  /// page by page, each page in one transaction with its watermark.
  virtual ModelPull pull(const std::string& model) = 0;
  /// Compares the records of `model` present in the CMMS with the local
  /// ones: handles deletions in the CMMS and fetches records missing locally.
  virtual ModelPull reconcile(const std::string& model) = 0;

  /// Whether a retry of `m` could repeat an effect the CMMS already applied
  /// (a create, a chatter note): the engine then records the attempt before
  /// sending, so that after a crash the next attempt checks first.
  virtual bool needs_intent(const storage::OutboxMessage& m) const = 0;
  /// Delivers one message. `uncertain`: an earlier attempt may have reached
  /// the CMMS (check before repeating a non-idempotent effect).
  virtual Delivery deliver(const storage::OutboxMessage& m, bool uncertain) = 0;
};

}  // namespace visor::sync
