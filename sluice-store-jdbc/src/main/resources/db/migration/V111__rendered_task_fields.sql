-- The template fields each try of a task instance rendered, one row per field, as the task used
-- them (Airflow's rendered_task_instance_fields, kept per try). The same SQL runs on H2
-- (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE rendered_task_field (
  dag_id VARCHAR(250) NOT NULL,
  run_id VARCHAR(250) NOT NULL,
  task_id VARCHAR(250) NOT NULL,
  try_number INT NOT NULL,
  ordinal INT NOT NULL,
  field VARCHAR(250) NOT NULL,
  rendered TEXT,
  PRIMARY KEY (dag_id, run_id, task_id, try_number, ordinal),
  CONSTRAINT rendered_task_field_ti_fk FOREIGN KEY (dag_id, run_id, task_id) REFERENCES task_instance (dag_id, run_id, task_id) ON DELETE CASCADE
);
