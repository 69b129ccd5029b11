-- Indexes for the task list sorts. TaskSort::priority (priority descending,
-- then schedule with unscheduled last, then id), so that unfiltered planner
-- views need no sort.
CREATE INDEX tasks_priority_idx ON tasks (priority DESC, (COALESCE(schedule_start, 9223372036854775807)), id);
-- The technician's view (assigned to them OR their team) by schedule: one
-- index-ordered scan per side (see sql/task_list.cpp).
CREATE INDEX tasks_assignee_schedule_idx ON tasks (assignee_id, (COALESCE(schedule_start, 9223372036854775807)), id);
CREATE INDEX tasks_team_schedule_idx ON tasks (team_id, (COALESCE(schedule_start, 9223372036854775807)), id);
