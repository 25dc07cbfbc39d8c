-- Who supervises the process of a service task (a streaming job's JVM): one row per process, held
-- by one executor's task instance until it expires. Only the holder starts, re-attaches to or stops
-- the process; a holder that dies stops renewing, and the next owner takes over with the pid it
-- recorded.
CREATE TABLE service_lease (
  name VARCHAR(250) PRIMARY KEY,
  token VARCHAR(64) NOT NULL,
  owner VARCHAR(250) NOT NULL,
  owner_host VARCHAR(250) NOT NULL,
  owner_pid BIGINT NOT NULL,
  dag_id VARCHAR(250) NOT NULL,
  run_id VARCHAR(250) NOT NULL,
  task_id VARCHAR(250) NOT NULL,
  try_number INT NOT NULL,
  pid BIGINT,
  query_ids VARCHAR(1000),
  acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
  renewed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
