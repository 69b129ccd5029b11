-- Issue 11: live events across instances are a PostgreSQL matter (decision
-- 0015; see the PostgreSQL script of this version): one SQLite process keeps
-- its events in memory (events::make_local_bus) and never uses these tables.
-- They exist so that both backends hold the same tables.
CREATE TABLE event_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL
);
INSERT INTO event_counter (id, last_id) VALUES (1, 0);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  users TEXT NOT NULL DEFAULT '{}',
  team INTEGER,
  planners_only INTEGER NOT NULL DEFAULT 0,
  admins_only INTEGER NOT NULL DEFAULT 0,
  everyone INTEGER NOT NULL DEFAULT 0
);
