-- Issue 11: live events across instances (decision 0015). Every instance
-- appends the events it publishes here and reads the others' back, woken by
-- NOTIFY visor_events. One counter row numbers them: a publishing
-- transaction holds the row until it commits, so ids become visible in
-- increasing order and a reader that has seen id N never later finds an
-- event numbered below N. The table keeps a bounded history (pruned by the
-- instances); the audience columns are those of events::Audience.
CREATE TABLE event_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL
);
INSERT INTO event_counter (id, last_id) VALUES (1, 0);

CREATE TABLE events (
  id BIGINT PRIMARY KEY,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  users BIGINT[] NOT NULL DEFAULT '{}',
  team BIGINT,
  planners_only BOOLEAN NOT NULL DEFAULT FALSE,
  admins_only BOOLEAN NOT NULL DEFAULT FALSE,
  everyone BOOLEAN NOT NULL DEFAULT FALSE
);
