package io.sluice.core.store;

import io.sluice.core.model.TaskInstance;
import java.util.List;

/**
 * Scheduled task instances a dispatch has locked, and the limits it checks them against, read after
 * them.
 *
 * @see StoreTransaction#claimScheduledAndLimits
 */
public record ClaimedScheduled(List<TaskInstance> instances, ActiveTasks limits) {}
