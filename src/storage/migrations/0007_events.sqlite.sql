-- Issue 11: live events across instances are a PostgreSQL matter (see the
-- PostgreSQL script of this version); one SQLite process keeps its events
-- in memory (events::make_local_bus). Nothing changes here.
SELECT 1;
