-- The claim path must not slow down as history grows (Kestra issue #2600: a 12 s SKIP LOCKED poll
-- on a 137k-row queue). Partial indexes hold only the rows the hot queries look for, so their size
-- follows the number of scheduled / active tasks, not the number of finished ones.

-- claimScheduled: WHERE state = 'scheduled' ORDER BY priority_weight DESC, queued_at ... SKIP LOCKED
CREATE INDEX task_instance_scheduled_idx ON task_instance (priority_weight DESC, queued_at)
  WHERE state = 'scheduled';

-- heartbeat (by executor) and zombie detection (stale heartbeats) of queued and running tasks
CREATE INDEX task_instance_active_idx ON task_instance (executor_id, heartbeat_at)
  WHERE state IN ('queued', 'running');

-- due retries and reschedules
CREATE INDEX task_instance_ready_idx ON task_instance (ready_at)
  WHERE state IN ('up_for_retry', 'up_for_reschedule');

-- history pruning: finished runs by end date
CREATE INDEX dag_run_finished_idx ON dag_run (end_date) WHERE state IN ('success', 'failed');
