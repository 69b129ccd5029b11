-- The planners' inbox of faults reported from the floor (glasses, the public
-- QR form, the API): one row per reported task, pending until a planner
-- approves, rejects or merges it (domain/triage.hpp).
CREATE TABLE triage (
  task_id BIGINT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  reported_at BIGINT NOT NULL,
  reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  device_name TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  decided_at BIGINT,
  decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  reason TEXT NOT NULL DEFAULT '',
  merged_into BIGINT REFERENCES tasks(id) ON DELETE SET NULL
);
-- The inbox, oldest report first, and its badge count.
CREATE INDEX triage_state_idx ON triage (state, reported_at, task_id);
