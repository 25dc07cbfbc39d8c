-- Users, roles and API tokens of the web server and REST API (sluice-web).
-- The same SQL runs on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE web_user (
  username VARCHAR(100) PRIMARY KEY,
  password_hash VARCHAR(100) NOT NULL,
  role VARCHAR(20) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_login_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT web_user_role_ck CHECK (role IN ('admin', 'op', 'viewer'))
);

-- A token is shown once as "slc_<token_id>_<secret>"; only the SHA-256 of the secret is kept.
CREATE TABLE web_api_token (
  token_id VARCHAR(32) PRIMARY KEY,
  username VARCHAR(100) NOT NULL,
  name VARCHAR(200) NOT NULL,
  secret_sha256 VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_used_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT web_api_token_user_fk FOREIGN KEY (username) REFERENCES web_user (username) ON DELETE CASCADE
);
CREATE INDEX web_api_token_user_idx ON web_api_token (username);
