-- Connections to external systems; password and extra are encrypted by the application (SecretBox).
CREATE TABLE connection (
  conn_id VARCHAR(250) NOT NULL PRIMARY KEY,
  conn_type VARCHAR(100) NOT NULL,
  description VARCHAR(4000),
  host VARCHAR(500),
  port INTEGER,
  login VARCHAR(500),
  password_enc VARCHAR(4000),
  schema_name VARCHAR(500),
  extra_enc TEXT,
  updated_at TIMESTAMP NOT NULL
);
