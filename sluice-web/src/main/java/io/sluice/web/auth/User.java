package io.sluice.web.auth;

import java.time.Instant;

/** A user of the web UI and REST API, without the password hash. */
public record User(String username, Role role, Instant createdAt, Instant lastLoginAt) {}
