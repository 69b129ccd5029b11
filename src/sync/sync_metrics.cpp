#include "sync/sync_metrics.hpp"

namespace visor::sync {

SyncMetrics::SyncMetrics(metrics::Registry& r)
    : pulls(r.counter("visor_sync_pulls_total", "CMMS pulls per model and outcome (ok, error)", {"model", "outcome"})),
      records(r.counter("visor_sync_records_total", "CMMS records applied locally per model and action",
                        {"model", "action"})),
      mapping_errors(r.counter("visor_sync_mapping_errors_total",
                               "CMMS records Visor could not map (unknown stage, selection value, bad type)",
                               {"model", "field"})),
      deliveries(r.counter("visor_sync_deliveries_total", "Outbox delivery attempts per operation and outcome",
                           {"operation", "outcome"})),
      failures(r.counter("visor_sync_failures_total", "CMMS call failures by kind", {"kind"})),
      conflicts(r.counter("visor_sync_conflicts_total", "Conflicting edits per field and resolution",
                          {"field", "resolution"})),
      outbox_depth(r.gauge("visor_sync_outbox_pending", "Outbox messages waiting for delivery").get()),
      outbox_failed(r.gauge("visor_sync_outbox_failed", "Outbox messages parked for an operator").get()),
      outbox_oldest_age(
          r.gauge("visor_sync_outbox_oldest_age_seconds", "Age of the oldest pending outbox message").get()),
      lag(r.gauge("visor_sync_lag_seconds", "Seconds since the last fully successful pull").get()),
      alert(r.gauge("visor_sync_alert", "1 while a CMMS alert needs an admin (e.g. API key expired)").get()),
      insecure_transport(r.gauge("visor_sync_insecure_transport",
                                 "1 while the CMMS is reached over plain HTTP across the network or TLS without "
                                 "certificate verification")
                             .get()),
      cycle_seconds(r.histogram("visor_sync_phase_seconds", "Duration of sync phases", {"phase"})) {}

}  // namespace visor::sync
