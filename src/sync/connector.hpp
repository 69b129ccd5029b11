#pragma once
// What the sync engine asks of a CMMS connector, and what it knows of one:
// nothing CMMS-specific. The engine owns the loop, the timing, the outbox
// bookkeeping (ordering, backoff, parking), the deletion policy (what the
// CMMS no longer has is removed locally only after a read proved it, and a
// mass deletion waits for an admin), status, metrics and alerts.
//
// A connector knows one CMMS: how to pull its models into the store
// incrementally, how to tell which linked records it deleted, and how to
// deliver one outbox message (written in Visor's own terms, see
// sync/changes.hpp). A ConnectorDriver validates connection settings and
// builds connectors; the composition root (app/) hands the engine the
// driver of the CMMS in use (connectors/odoo/ for Odoo). Failures are
// CmmsError.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/records.hpp"
#include "util/secret.hpp"

namespace visor::sync {

/// What a CMMS model holds, in Visor's terms.
enum class RecordKind { stage, team, user, category, equipment, task };
std::string_view to_string(RecordKind kind);

/// What one pull (or the fetching part of a reconcile) of one model did.
struct ModelPull {
  std::string model;          // the CMMS's name ("maintenance.request")
  std::int64_t fetched = 0;   // records received
  std::int64_t created = 0;   // new local records
  std::int64_t updated = 0;   // local records changed (re-linked ones included)
  std::int64_t removed = 0;   // archived or deactivated because the CMMS says so
  std::int64_t rejected = 0;  // records that could not be mapped (see the mapping metric)
  std::int64_t calls = 0;     // CMMS calls made
  std::chrono::nanoseconds remote_time{0};  // time spent waiting on the CMMS
};

/// One linked local record the CMMS deleted.
struct GoneRecord {
  std::int64_t cmms_id = 0;
  std::int64_t local_id = 0;
};

/// The comparison of one model's linked local records with the CMMS.
struct Reconciliation {
  ModelPull pull;  // fetching the records missing locally
  RecordKind kind = RecordKind::task;
  std::int64_t linked = 0;        // local records linked to the model
  std::vector<GoneRecord> gone;   // deleted in the CMMS: a read of their ids proved it
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

/// What a connection test saw.
struct Probe {
  std::string server;                          // "Odoo 19.0 (json2)"
  std::map<std::string, std::int64_t> visible;  // records the key may read, per model
  std::vector<std::string> warnings;           // e.g. "sees no maintenance requests"
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
  /// Connects and proves the credentials and the read rights on the models
  /// the work lives in, changing nothing. Throws CmmsError.
  virtual Probe probe() = 0;

  /// The models pulled, in dependency order (referenced models first).
  virtual std::vector<std::string> models() const = 0;
  /// Pulls what changed in `model` since the stored watermark into the store,
  /// page by page, each page in one transaction with its watermark.
  virtual ModelPull pull(const std::string& model) = 0;
  /// Fetches records of `model` missing locally and finds the linked local
  /// records the CMMS deleted — by reading their ids: a record hidden from
  /// the connection's user is not deleted, and the CMMS saying so (an access
  /// error) throws CmmsError(access). Removes nothing itself: the engine
  /// decides (sync/removal.hpp).
  virtual Reconciliation reconcile(const std::string& model) = 0;

  /// Whether a retry of `m` could repeat an effect the CMMS already applied
  /// (a create, a chatter note): the engine then records the attempt before
  /// sending, so that after a crash the next attempt checks first.
  virtual bool needs_intent(const storage::OutboxMessage& m) const = 0;
  /// Delivers one message. `uncertain`: an earlier attempt may have reached
  /// the CMMS (check before repeating a non-idempotent effect).
  virtual Delivery deliver(const storage::OutboxMessage& m, bool uncertain) = 0;
};

/// Where and how to reach the CMMS, as an admin set it (sync/connector_settings.hpp).
struct ConnectionSettings {
  std::string url;
  std::string database;
  std::string login;
  std::string protocol = "auto";  // the driver's own values
  bool verify_tls = true;
  std::string ca_file;
  std::string proxy;
  std::chrono::seconds timeout{30};
  Secret secret;
};

/// One kind of CMMS: validates connection settings and builds connectors.
class ConnectorDriver {
 public:
  virtual ~ConnectorDriver() = default;
  /// "Odoo".
  virtual std::string name() const = 0;
  /// The protocols an admin may choose ("auto" first).
  virtual std::vector<std::string> protocols() const = 0;
  /// What is wrong with `settings`, one sentence each (empty: usable).
  /// `has_secret`: a secret is stored or given (its value is not checked).
  virtual std::vector<std::string> problems(const ConnectionSettings& settings, bool has_secret) const = 0;
  /// A connector for `settings` (not connected yet).
  virtual std::unique_ptr<Connector> make(const ConnectionSettings& settings) const = 0;
};

}  // namespace visor::sync
