-- One two-task run (a >> b, no-op tasks) as the orchestrator's statements make it on PostgreSQL,
-- transaction by transaction, taken from log_statement=all of bench/orchestrator-workers.sh at
-- main 0080c1e (bench/orchestrator-budget.sh replays it with pgbench -M prepared). The engine's
-- timestamps are parameters; here they are now(). Left out: the engine loops' polling passes
-- (stale heartbeats, retries, the DAG list), which cost per pass, not per task. The SKIP LOCKED
-- claims also filter on their own run, so that concurrent clients do not lock each other's rows
-- (in the engine a claimer works on the rows it locked).
\set rid random(1, 1000000000000)
-- 1. trigger (the API): the DAG's row, the run
BEGIN;
SELECT * FROM dag WHERE dag_id = 'two';
INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state, run_type, conf, queued_at, start_date, end_date) VALUES ('two', :rid, timestamptz '2000-01-01 00:00:00+00' + :rid::bigint * interval '1 millisecond', timestamptz '2000-01-01 00:00:00+00' + :rid::bigint * interval '1 millisecond', timestamptz '2000-01-01 00:00:00+00' + :rid::bigint * interval '1 millisecond', 'queued', 'manual', '{}', now(), NULL, NULL) ON CONFLICT DO NOTHING;
COMMIT;
-- 2. start (the scheduler): lock the queued run, count running runs, start it, insert its tasks
BEGIN;
SELECT * FROM dag_run WHERE dag_id = 'two' AND state = 'queued' AND run_id = :rid ORDER BY logical_date LIMIT 100 FOR UPDATE SKIP LOCKED;
SELECT COUNT(*) FROM dag_run WHERE dag_id = 'two' AND state = 'running' AND run_type <> 'backfill';
UPDATE dag_run SET state = 'running', start_date = now(), end_date = NULL WHERE dag_id = 'two' AND run_id = :rid AND state = 'queued';
SELECT * FROM task_instance WHERE dag_id = 'two' AND run_id = :rid ORDER BY task_id;
INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, priority_weight, pool, pool_slots, queued_at, start_date, end_date, ready_at, first_attempt_start, rescheduled, executor_id, heartbeat_at, note) VALUES ('two', :rid, 'a', 'scheduled', 0, 0, 2, 'default_pool', 1, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL), ('two', :rid, 'b', 'none', 0, 0, 1, 'default_pool', 1, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL);
COMMIT;
-- 3. dispatch a (a worker's poll): claim scheduled tasks, read the limits, queue it
BEGIN;
SELECT * FROM task_instance WHERE state = 'scheduled' AND run_id = :rid ORDER BY priority_weight DESC, queued_at LIMIT 32 FOR UPDATE SKIP LOCKED;
SELECT 'd' AS k, dag_id AS name, COUNT(*) AS n FROM task_instance WHERE state IN ('queued', 'running') GROUP BY dag_id UNION ALL SELECT 'u', pool, SUM(pool_slots) FROM task_instance WHERE state IN ('queued', 'running') GROUP BY pool UNION ALL SELECT 's', pool, slots FROM slot_pool;
UPDATE task_instance SET state = 'queued', queued_at = now(), executor_id = 'worker-1', heartbeat_at = now() WHERE dag_id = 'two' AND run_id = :rid AND task_id = 'a' AND state = 'scheduled';
COMMIT;
-- 4. claim a (an executor thread)
BEGIN;
SELECT t.*, r.logical_date AS r_logical_date, r.data_interval_start AS r_data_interval_start, r.data_interval_end AS r_data_interval_end, r.state AS r_state, r.run_type AS r_run_type, r.conf AS r_conf, r.queued_at AS r_queued_at, r.start_date AS r_start_date, r.end_date AS r_end_date FROM task_instance t JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id WHERE t.dag_id = 'two' AND t.run_id = :rid AND t.task_id = 'a';
UPDATE task_instance SET state = 'running', try_number = 1, start_date = now(), first_attempt_start = now(), heartbeat_at = now() WHERE dag_id = 'two' AND run_id = :rid AND task_id = 'a' AND state = 'queued';
COMMIT;
-- 5. finish a: log lines, the run's lock, the trigger rule's rows, the outcome, b scheduled; then
-- the same transaction dispatches b
BEGIN;
INSERT INTO task_log (dag_id, run_id, task_id, try_number, line) VALUES ('two', :rid, 'a', 1, '[2026-12-07T03:30:57.673492437Z] INFO starting try 1 of 1 (two/manual__2000-01-02T00:00:50+00:00/a)'), ('two', :rid, 'a', 1, '[2026-12-07T03:30:57.673623572Z] INFO try 1 ended: success');
SELECT * FROM dag_run WHERE dag_id = 'two' AND run_id = :rid FOR UPDATE;
SELECT * FROM task_instance WHERE dag_id = 'two' AND run_id = :rid AND task_id IN ('b', 'a');
UPDATE task_instance SET state = 'success', end_date = now() WHERE dag_id = 'two' AND run_id = :rid AND task_id = 'a' AND state = 'running';
UPDATE task_instance SET state = 'scheduled' WHERE dag_id = 'two' AND run_id = :rid AND task_id = 'b' AND state = 'none';
SELECT * FROM task_instance WHERE state = 'scheduled' AND run_id = :rid ORDER BY priority_weight DESC, queued_at LIMIT 32 FOR UPDATE SKIP LOCKED;
SELECT 'd' AS k, dag_id AS name, COUNT(*) AS n FROM task_instance WHERE state IN ('queued', 'running') GROUP BY dag_id UNION ALL SELECT 'u', pool, SUM(pool_slots) FROM task_instance WHERE state IN ('queued', 'running') GROUP BY pool UNION ALL SELECT 's', pool, slots FROM slot_pool;
UPDATE task_instance SET state = 'queued', queued_at = now(), executor_id = 'worker-1', heartbeat_at = now() WHERE dag_id = 'two' AND run_id = :rid AND task_id = 'b' AND state = 'scheduled';
COMMIT;
-- 6. claim b
BEGIN;
SELECT t.*, r.logical_date AS r_logical_date, r.data_interval_start AS r_data_interval_start, r.data_interval_end AS r_data_interval_end, r.state AS r_state, r.run_type AS r_run_type, r.conf AS r_conf, r.queued_at AS r_queued_at, r.start_date AS r_start_date, r.end_date AS r_end_date FROM task_instance t JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id WHERE t.dag_id = 'two' AND t.run_id = :rid AND t.task_id = 'b';
UPDATE task_instance SET state = 'running', try_number = 1, start_date = now(), first_attempt_start = now(), heartbeat_at = now() WHERE dag_id = 'two' AND run_id = :rid AND task_id = 'b' AND state = 'queued';
COMMIT;
-- 7. finish b and the run, then look for a queued run to start
BEGIN;
INSERT INTO task_log (dag_id, run_id, task_id, try_number, line) VALUES ('two', :rid, 'b', 1, '[2026-12-07T03:30:58.155117809Z] INFO starting try 1 of 1 (two/manual__2000-01-02T00:00:50+00:00/b)'), ('two', :rid, 'b', 1, '[2026-12-07T03:30:58.155181273Z] INFO try 1 ended: success');
SELECT * FROM dag_run WHERE dag_id = 'two' AND run_id = :rid FOR UPDATE;
SELECT * FROM task_instance WHERE dag_id = 'two' AND run_id = :rid ORDER BY task_id;
UPDATE task_instance SET state = 'success', end_date = now() WHERE dag_id = 'two' AND run_id = :rid AND task_id = 'b' AND state = 'running';
UPDATE dag_run SET state = 'success', end_date = now() WHERE dag_id = 'two' AND run_id = :rid AND state = 'running';
SELECT * FROM dag_run WHERE dag_id = 'two' AND state = 'queued' AND run_id = :rid ORDER BY logical_date LIMIT 100 FOR UPDATE SKIP LOCKED;
COMMIT;
