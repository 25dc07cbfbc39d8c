package io.sluice.core.model;

import java.time.Instant;

/** A DAG as stored: what the CLI and UI list, and the paused flag. */
public record DagRecord(
    String dagId,
    boolean paused,
    String schedule,
    String description,
    String source,
    boolean active,
    Instant lastParsedAt) {}
