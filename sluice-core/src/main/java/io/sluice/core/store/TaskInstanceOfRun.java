package io.sluice.core.store;

import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;

/** A task instance with its run, read together. */
public record TaskInstanceOfRun(TaskInstance instance, DagRun run) {}
