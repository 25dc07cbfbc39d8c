package io.sluice.core.store;

import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import java.util.List;

/**
 * A run whose row this transaction has locked, and its task instances as read after the lock.
 *
 * @see StoreTransaction#appendLogAndLockRun
 */
public record LockedRun(DagRun run, List<TaskInstance> instances) {}
