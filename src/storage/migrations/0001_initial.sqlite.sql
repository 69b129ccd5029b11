-- Visor's initial schema (SQLite). Keep in step with 0001_initial.postgres.sql:
-- same tables, columns, constraint and index names. Times are unix seconds,
-- dates are days since the epoch, enums are their text forms, booleans 0/1.
-- AUTOINCREMENT: ids are never reused after a delete (outbox keys and audit
-- entries refer to them).

CREATE TABLE stages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  odoo_id INTEGER CONSTRAINT stages_odoo_id_key UNIQUE,
  name TEXT NOT NULL,
  sequence INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  folded INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE teams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  odoo_id INTEGER CONSTRAINT teams_odoo_id_key UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  odoo_id INTEGER CONSTRAINT users_odoo_id_key UNIQUE,
  login TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  team_id INTEGER REFERENCES teams(id) ON DELETE SET NULL,
  locale TEXT NOT NULL DEFAULT 'en',
  active INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_login_key ON users (lower(login));
CREATE INDEX users_team_idx ON users (team_id);

CREATE TABLE categories (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  odoo_id INTEGER CONSTRAINT categories_odoo_id_key UNIQUE,
  name TEXT NOT NULL,
  technician_id INTEGER REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE equipment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  odoo_id INTEGER CONSTRAINT equipment_odoo_id_key UNIQUE,
  name TEXT NOT NULL,
  serial_no TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
  location TEXT NOT NULL DEFAULT '',
  technician_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  team_id INTEGER REFERENCES teams(id) ON DELETE SET NULL,
  note TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL CONSTRAINT equipment_code_key UNIQUE,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);
CREATE INDEX equipment_category_idx ON equipment (category_id);
CREATE INDEX equipment_team_idx ON equipment (team_id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  odoo_id INTEGER CONSTRAINT tasks_odoo_id_key UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  equipment_id INTEGER REFERENCES equipment(id) ON DELETE SET NULL,
  assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  team_id INTEGER REFERENCES teams(id) ON DELETE SET NULL,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  priority INTEGER NOT NULL DEFAULT 1,
  type TEXT NOT NULL,
  request_date INTEGER,
  schedule_start INTEGER,
  schedule_end INTEGER,
  close_date INTEGER,
  instructions_kind TEXT NOT NULL,
  instructions_text TEXT NOT NULL DEFAULT '',
  instructions_url TEXT NOT NULL DEFAULT '',
  recurrence_enabled INTEGER NOT NULL DEFAULT 0,
  recurrence_interval INTEGER NOT NULL DEFAULT 1,
  recurrence_unit TEXT NOT NULL,
  recurrence_type TEXT NOT NULL,
  recurrence_until INTEGER,
  archived INTEGER NOT NULL DEFAULT 0,
  execution TEXT NOT NULL,
  reported_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  reporter_contact TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The list query's hot paths: each index ends with id so that "newest first"
-- (id descending) within a filter is an index scan, not a sort.
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, id);
CREATE INDEX tasks_team_idx ON tasks (team_id, id);
CREATE INDEX tasks_stage_idx ON tasks (stage_id, id);
CREATE INDEX tasks_equipment_idx ON tasks (equipment_id, id);
CREATE INDEX tasks_schedule_start_idx ON tasks (schedule_start);
-- Sort keys of TaskSort::schedule (unscheduled last) and TaskSort::updated.
CREATE INDEX tasks_schedule_key_idx ON tasks (COALESCE(schedule_start, 9223372036854775807), id);
CREATE INDEX tasks_updated_idx ON tasks (updated_at, id);

CREATE TABLE steps (
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  text TEXT NOT NULL,
  wants_value INTEGER NOT NULL DEFAULT 0,
  unit TEXT NOT NULL DEFAULT '',
  done INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL DEFAULT '',
  done_at INTEGER,
  done_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT steps_pkey PRIMARY KEY (task_id, number)
);

CREATE TABLE media (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX media_task_idx ON media (task_id, id);

CREATE TABLE work_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  step INTEGER,
  text TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL DEFAULT '',
  media_id INTEGER,
  client_action_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_log_task_idx ON work_log (task_id, at);
CREATE UNIQUE INDEX work_log_client_action_key ON work_log (task_id, client_action_id)
  WHERE client_action_id <> '';

-- One row: grows with every committed change to tasks, steps or the work log.
CREATE TABLE revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO revision (id, value) VALUES (1, 0);

CREATE TABLE sessions (
  token_hash TEXT NOT NULL CONSTRAINT sessions_pkey PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  remote_addr TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE devices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  profile TEXT NOT NULL,
  token_hash TEXT NOT NULL CONSTRAINT devices_token_hash_key UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX devices_user_idx ON devices (user_id);

CREATE TABLE pairings (
  code_hash TEXT NOT NULL CONSTRAINT pairings_pkey PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_name TEXT NOT NULL,
  profile TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_id INTEGER,
  actor_label TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',
  remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at_idx ON audit (at, id);
CREATE INDEX audit_actor_idx ON audit (actor_id, id);
CREATE INDEX audit_target_idx ON audit (target_type, target_id, id);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_key TEXT NOT NULL,
  model TEXT NOT NULL,
  operation TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  idempotency_key TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_record_idx ON outbox (record_key, id);

-- Per CMMS model: the incremental pull's watermark and its last outcome.
CREATE TABLE sync_state (
  model TEXT NOT NULL CONSTRAINT sync_state_pkey PRIMARY KEY,
  write_date INTEGER,
  ids_at_mark TEXT NOT NULL DEFAULT '',
  last_success INTEGER,
  last_attempt INTEGER,
  last_error TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
  field TEXT NOT NULL,
  local_value TEXT NOT NULL DEFAULT '',
  remote_value TEXT NOT NULL DEFAULT '',
  resolution TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL,
  reviewed_at INTEGER,
  reviewed_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX conflicts_unreviewed_idx ON conflicts (reviewed_at, id);

CREATE TABLE settings (
  key TEXT NOT NULL CONSTRAINT settings_pkey PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
