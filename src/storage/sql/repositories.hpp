#pragma once
// The repositories, written once over sql::Session for both backends. Each
// is bound to one transaction (TxContext); SQL text lives as named constants
// in the .cpp of each repository. Internal to the storage layer.
#include "storage/catalog.hpp"
#include "storage/change_scope.hpp"
#include "storage/records.hpp"
#include "storage/sql/session.hpp"
#include "storage/tasks.hpp"
#include "storage/triage.hpp"
#include "storage/users.hpp"

namespace visor::storage::sql {

/// What the repositories of one transaction share: the session, and the
/// change scopes its writes touched (decision 0018).
class TxContext {
 public:
  TxContext(Session& session, bool writable) : session_(session), writable_(writable) {}
  Session& db() { return session_; }
  Backend backend() const { return session_.backend(); }
  bool writable() const { return writable_; }
  /// Throws Error(internal) in a read-only transaction.
  void require_writable() const;

  /// Notes that a change touched `scope`. Just before commit the revision
  /// moves once and every touched scope takes its value (flush_changes).
  void touch(ChangeScope scope);
  /// A task row was inserted, updated or deleted while assigned to
  /// `assignee` in `team`: its card, those lists, every-task lists, reports.
  void task_row_changed(TaskId id, std::optional<UserId> assignee, std::optional<TeamId> team);
  /// Something a task's list row shows besides the row itself (its step
  /// counts) changed: its card and the lists that may show it.
  void task_shown_changed(TaskId id);
  /// Names that task rows and reports show (stage, machine, user) changed.
  void names_changed();

  /// What this transaction knows of a task's assignee and team (rows it
  /// read or wrote), so that a change need not read them again.
  void remember(const Task& task);
  /// The assignee and team of task `id` as stored now (remembered, else read).
  std::pair<std::optional<UserId>, std::optional<TeamId>> placement(TaskId id);
  void forget(TaskId id);

  /// Moves the revision and the touched scopes' stamps now, if anything
  /// was touched since the last flush. The store calls it before COMMIT.
  void flush_changes();
  /// The stamps of `scopes` as this transaction sees them.
  std::vector<std::int64_t> stamps(const std::vector<ChangeScope>& scopes);
  /// Notes a change that may end or narrow a credential; the credential
  /// revision is bumped once per transaction, just before commit.
  void credentials_changed() { credentials_pending_ = true; }
  /// Bumps the credential revision now if a change is pending.
  void flush_credentials();

 private:
  struct Placement {
    TaskId id;
    std::optional<UserId> assignee;
    std::optional<TeamId> team;
  };
  Session& session_;
  bool writable_;
  std::vector<ChangeScope> touched_;
  std::vector<Placement> known_;
  bool credentials_pending_ = false;
};

class SqlTaskRepository final : public TaskRepository {
 public:
  explicit SqlTaskRepository(TxContext& ctx) : ctx_(ctx) {}
  std::optional<Task> get(TaskId id) override;
  std::optional<TaskRow> get_row(TaskId id) override;
  std::optional<Task> get_by_odoo(OdooId id) override;
  TaskPage list(const TaskQuery& query) override;
  std::int64_t count(const TaskQuery& query) override;
  TaskId insert(Task& task) override;
  void update(Task& task, std::int64_t expected_version) override;
  void remove(TaskId id) override;
  std::vector<Step> steps(TaskId id) override;
  void replace_steps(TaskId id, const std::vector<Step>& steps) override;
  void save_step(TaskId id, const Step& step) override;
  std::vector<WorkLogEntry> work_log(TaskId id) override;
  WorkLogPage work_log_page(TaskId id, const WorkLogQuery& query) override;
  WorkLogSummary summary(TaskId id) override;
  std::optional<WorkLogEntry> log_entry_by_action(TaskId id, const std::string& client_action_id) override;
  bool append_log(WorkLogEntry& entry) override;
  std::int64_t revision() override;
  Stamps stamps(std::vector<ChangeScope> scopes) override;

 private:
  void require_task(TaskId id);
  TxContext& ctx_;
};

class SqlCatalogRepository final : public CatalogRepository {
 public:
  explicit SqlCatalogRepository(TxContext& ctx) : ctx_(ctx) {}
  std::vector<Stage> stages() override;
  std::optional<Stage> stage(StageId id) override;
  std::optional<Stage> stage_by_odoo(OdooId id) override;
  void save_stage(Stage& stage) override;
  void remove_stage(StageId id) override;
  std::vector<Team> teams() override;
  std::optional<Team> team(TeamId id) override;
  std::optional<Team> team_by_odoo(OdooId id) override;
  void save_team(Team& team) override;
  std::vector<Category> categories() override;
  std::optional<Category> category_by_odoo(OdooId id) override;
  void save_category(Category& category) override;

 private:
  TxContext& ctx_;
};

class SqlEquipmentRepository final : public EquipmentRepository {
 public:
  explicit SqlEquipmentRepository(TxContext& ctx) : ctx_(ctx) {}
  std::optional<Equipment> get(EquipmentId id) override;
  std::optional<Equipment> get_by_code(std::string_view code) override;
  std::optional<Equipment> get_by_odoo(OdooId id) override;
  std::vector<EquipmentRow> list(const EquipmentQuery& query) override;
  EquipmentId insert(Equipment& equipment) override;
  void update(Equipment& equipment, std::int64_t expected_version) override;

 private:
  void check_code_free(const Equipment& e);
  TxContext& ctx_;
};

class SqlUserRepository final : public UserRepository {
 public:
  explicit SqlUserRepository(TxContext& ctx) : ctx_(ctx) {}
  std::optional<User> get(UserId id) override;
  std::optional<User> get_by_login(std::string_view login) override;
  std::optional<User> get_by_odoo(OdooId id) override;
  std::vector<User> list(bool include_inactive) override;
  UserId insert(User& user, const std::string& password_hash) override;
  void update(const User& user) override;
  std::string password_hash(UserId id) override;
  void set_password_hash(UserId id, const std::string& hash) override;

 private:
  void check_unique(const User& user);
  TxContext& ctx_;
};

class SqlAuthRepository final : public AuthRepository {
 public:
  explicit SqlAuthRepository(TxContext& ctx) : ctx_(ctx) {}
  void insert_session(const SessionRecord& s) override;
  std::optional<SessionRecord> find_session(std::string_view token_hash) override;
  void touch_session(std::string_view token_hash, TimePoint seen, TimePoint expires) override;
  void delete_session(std::string_view token_hash) override;
  void delete_sessions_of(UserId user) override;
  void delete_expired_sessions(TimePoint now) override;
  DeviceId insert_device(DeviceRecord& d) override;
  std::optional<DeviceRecord> find_device_by_token(std::string_view token_hash) override;
  std::optional<DeviceRecord> device(DeviceId id) override;
  std::vector<DeviceRecord> devices(std::optional<UserId> user) override;
  void touch_device(DeviceId id, TimePoint used) override;
  void revoke_device(DeviceId id, TimePoint at) override;
  void set_device_profile(DeviceId id, const std::string& profile) override;
  void insert_pairing(const PairingRecord& p) override;
  std::optional<PairingRecord> take_pairing(std::string_view code_hash, TimePoint now) override;
  void record_login_failure(std::string_view key, TimePoint at) override;
  int login_failures_since(std::string_view key, TimePoint since) override;
  void clear_login_failures(std::string_view key) override;
  std::optional<std::int64_t> try_record_failure(std::string_view key, TimePoint at, TimePoint since,
                                                 int max) override;
  void forget_failure(std::int64_t id) override;
  std::int64_t credential_revision() override;

 private:
  TxContext& ctx_;
};

class SqlAuditRepository final : public AuditRepository {
 public:
  explicit SqlAuditRepository(TxContext& ctx) : ctx_(ctx) {}
  void append(AuditEntry& entry) override;
  std::vector<AuditEntry> list(const AuditQuery& query) override;

 private:
  TxContext& ctx_;
};

class SqlOutboxRepository final : public OutboxRepository {
 public:
  explicit SqlOutboxRepository(TxContext& ctx) : ctx_(ctx) {}
  std::int64_t enqueue(OutboxMessage& message) override;
  std::vector<OutboxMessage> due(TimePoint now, int limit) override;
  void mark_delivered(std::int64_t id, TimePoint at) override;
  void mark_retry(std::int64_t id, int attempts, TimePoint next_attempt, const std::string& error) override;
  void mark_failed(std::int64_t id, const std::string& error) override;
  void requeue(std::int64_t id, TimePoint at) override;
  std::vector<OutboxMessage> list(std::optional<OutboxStatus> status, int limit) override;
  OutboxStats stats() override;

 private:
  TxContext& ctx_;
};

class SqlSyncStateRepository final : public SyncStateRepository {
 public:
  explicit SqlSyncStateRepository(TxContext& ctx) : ctx_(ctx) {}
  Watermark watermark(std::string_view model) override;
  void save_watermark(const Watermark& mark) override;
  void record_pull(std::string_view model, TimePoint at, bool ok, const std::string& error) override;
  std::vector<PullStatus> pulls() override;
  std::int64_t add_conflict(Conflict& c) override;
  std::vector<Conflict> conflicts(bool unreviewed_only, int limit) override;
  void review_conflict(std::int64_t id, UserId by, TimePoint at) override;
  void remember_unlinked(std::string_view model, std::int64_t cmms_id, std::int64_t local_id,
                         TimePoint at) override;
  std::optional<std::int64_t> unlinked(std::string_view model, std::int64_t cmms_id) override;
  void forget_unlinked(std::string_view model, std::int64_t cmms_id) override;

 private:
  TxContext& ctx_;
};

class SqlSettingsRepository final : public SettingsRepository {
 public:
  explicit SqlSettingsRepository(TxContext& ctx) : ctx_(ctx) {}
  std::optional<std::string> get(std::string_view key) override;
  void put(std::string_view key, const std::string& value) override;
  void remove(std::string_view key) override;
  std::vector<std::pair<std::string, std::string>> all() override;

 private:
  TxContext& ctx_;
};

class SqlMediaRepository final : public MediaRepository {
 public:
  explicit SqlMediaRepository(TxContext& ctx) : ctx_(ctx) {}
  MediaId insert(Media& media) override;
  std::optional<Media> get(MediaId id) override;
  std::vector<Media> for_task(TaskId id) override;

 private:
  TxContext& ctx_;
};

class SqlTriageRepository final : public TriageRepository {
 public:
  explicit SqlTriageRepository(TxContext& ctx) : ctx_(ctx) {}
  void insert(const TriageRecord& record) override;
  std::optional<TriageRecord> get(TaskId task) override;
  void decide(const TriageRecord& record) override;
  std::vector<TriageRecord> list(const TriageQuery& query) override;
  std::int64_t count(TriageState state) override;

 private:
  TxContext& ctx_;
};

/// Parses an enum's text form read from the database; unknown text is a
/// corrupt or newer database: Error(internal), never a default.
template <class E>
E stored_enum(std::optional<E> parsed, std::string_view what, std::string_view text) {
  if (!parsed)
    throw Error(ErrorCode::internal, "The database holds an unknown " + std::string(what) + " \"" + std::string(text) + "\".",
                "unknown " + std::string(what) + " value \"" + std::string(text) + "\" read from the database");
  return *parsed;
}

}  // namespace visor::storage::sql
