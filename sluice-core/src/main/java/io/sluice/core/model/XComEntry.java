package io.sluice.core.model;

import java.time.Instant;

/**
 * One stored XCom of a task instance.
 *
 * @param value the value as stored (JSON text)
 * @param timestamp when the value was written
 */
public record XComEntry(
    String dagId, String runId, String taskId, String key, String value, Instant timestamp) {}
