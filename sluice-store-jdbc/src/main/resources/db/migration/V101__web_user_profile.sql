-- The name and e-mail address Airflow's `users create` records with each user.
ALTER TABLE web_user ADD COLUMN first_name VARCHAR(100);
ALTER TABLE web_user ADD COLUMN last_name VARCHAR(100);
ALTER TABLE web_user ADD COLUMN email VARCHAR(256);
