-- Scoped invalidation (decision 0018): the revision value at which a
-- committed change last touched each scope ("u12" a user's tasks, "t3" a
-- team's, "k7" one task's card, "a" every task row, "n" names, "r" reports).
-- Rendered lists, cards and reports are cached under their scopes' stamps.
CREATE TABLE change_stamps (
  scope TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
-- A card pages the work log newest first by (at, id); it reads the session
-- entries (time on tool) and the reports the first start and last
-- completion per task through (task_id, kind, at).
DROP INDEX work_log_task_idx;
CREATE INDEX work_log_task_idx ON work_log (task_id, at, id);
CREATE INDEX work_log_kind_idx ON work_log (task_id, kind, at);
