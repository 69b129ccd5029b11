-- Scoped invalidation (decision 0018): the revision value at which a
-- committed change last touched each scope ("u12" a user's tasks, "t3" a
-- team's, "k7" one task's card, "a" every task row, "n" names, "r" reports).
-- Rendered lists, cards and reports are cached under their scopes' stamps.
CREATE TABLE change_stamps (
  scope TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
-- A card reads the newest work-log entries and the session entries (time on
-- tool); the reports read the first start and last completion per task.
CREATE INDEX work_log_kind_idx ON work_log (task_id, kind, at);
