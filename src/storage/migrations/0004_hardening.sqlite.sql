-- Issue 10. One row per throttle key: the transaction that checks and
-- records an attempt first writes the key's row, so that two checks of one
-- key never run side by side (SQLite has one writer anyway; PostgreSQL locks
-- the row until commit).
CREATE TABLE throttle_keys (
  key TEXT PRIMARY KEY
);

-- One row: moves whenever a credential may have ended or narrowed (a session
-- deleted, a device revoked, an account's role, team, state or password
-- changed), here or in another process; open event streams re-check their
-- credential when it moves.
CREATE TABLE credential_revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO credential_revision (id, value) VALUES (1, 0);
