#pragma once
// The sync's Prometheus metrics, registered once in the composition root's
// Registry and shared by the engine and the connector.
#include "util/metrics.hpp"

namespace visor::sync {

struct SyncMetrics {
  explicit SyncMetrics(metrics::Registry& r);

  metrics::Family<metrics::Counter>& pulls;            // {model, outcome}
  metrics::Family<metrics::Counter>& records;          // {model, action}: created, updated, removed, rejected
  metrics::Family<metrics::Counter>& mapping_errors;   // {model, field}
  metrics::Family<metrics::Counter>& deliveries;       // {operation, outcome}: delivered, skipped, retry, parked, wait
  metrics::Family<metrics::Counter>& failures;         // {kind}
  metrics::Family<metrics::Counter>& conflicts;        // {field, resolution}
  metrics::Gauge& outbox_depth;                        // pending messages
  metrics::Gauge& outbox_failed;                       // parked messages
  metrics::Gauge& outbox_oldest_age;                   // seconds since the oldest pending message
  metrics::Gauge& lag;                                 // seconds since the last fully successful pull
  metrics::Gauge& alert;                               // 1 while an admin alert is raised
  metrics::Gauge& insecure_transport;                  // 1 while the CMMS is reached unverified or in plain
  metrics::Family<metrics::Histogram>& cycle_seconds;  // {phase}: push, pull, reconcile
};

}  // namespace visor::sync
