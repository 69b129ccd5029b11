#pragma once
// The transaction object both stores hand to Store::write/read callbacks:
// the repositories bound to one sql::Session, plus after-commit callbacks.
#include <functional>
#include <vector>

#include "storage/sql/procedure_repos.hpp"
#include "storage/sql/report_repo.hpp"
#include "storage/sql/repositories.hpp"
#include "storage/store.hpp"

namespace visor::storage::sql {

class SqlTx final : public Tx {
 public:
  SqlTx(Session& session, bool writable);

  TaskRepository& tasks() override { return tasks_; }
  CatalogRepository& catalog() override { return catalog_; }
  EquipmentRepository& equipment() override { return equipment_; }
  UserRepository& users() override { return users_; }
  AuthRepository& auth() override { return auth_; }
  AuditRepository& audit() override { return audit_; }
  OutboxRepository& outbox() override { return outbox_; }
  SyncStateRepository& sync() override { return sync_; }
  SettingsRepository& settings() override { return settings_; }
  MediaRepository& media() override { return media_; }
  ReportRepository& reports() override { return reports_; }
  ProcedureRepository& procedures() override { return procedures_; }
  FollowUpRepository& follow_ups() override { return follow_ups_; }
  MeterRepository& meters() override { return meters_; }
  FailureCodeRepository& failure_codes() override { return failure_codes_; }
  TriageRepository& triage() override { return triage_; }
  void after_commit(std::function<void()> fn) override;

  /// The store calls this right before COMMIT (moves the revision and the
  /// stamps of the scopes this transaction touched; bumps the credential
  /// revision).
  void prepare_commit() {
    ctx_.flush_changes();
    ctx_.flush_credentials();
  }
  /// The store calls this after COMMIT succeeded, on the caller's thread.
  /// A throwing callback is logged; the others still run (the data is
  /// committed, so the write must not look failed).
  void run_after_commit();

 private:
  TxContext ctx_;
  SqlTaskRepository tasks_{ctx_};
  SqlCatalogRepository catalog_{ctx_};
  SqlEquipmentRepository equipment_{ctx_};
  SqlUserRepository users_{ctx_};
  SqlAuthRepository auth_{ctx_};
  SqlAuditRepository audit_{ctx_};
  SqlOutboxRepository outbox_{ctx_};
  SqlSyncStateRepository sync_{ctx_};
  SqlSettingsRepository settings_{ctx_};
  SqlMediaRepository media_{ctx_};
  SqlReportRepository reports_{ctx_};
  SqlProcedureRepository procedures_{ctx_};
  SqlFollowUpRepository follow_ups_{ctx_};
  SqlMeterRepository meters_{ctx_};
  SqlFailureCodeRepository failure_codes_{ctx_};
  SqlTriageRepository triage_{ctx_};
  std::vector<std::function<void()>> after_commit_;
};

}  // namespace visor::storage::sql
