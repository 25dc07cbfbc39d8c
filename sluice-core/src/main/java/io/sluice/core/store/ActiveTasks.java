package io.sluice.core.store;

import java.util.Map;

/**
 * What limits a dispatch, read at once: queued and running task instances per DAG (against {@code
 * max_active_tasks}), pool slots they take per pool, and each pool's size ({@code -1}: unlimited).
 * A DAG or pool missing from a map has none; a pool missing from {@code poolSlots} does not exist.
 */
public record ActiveTasks(
    Map<String, Integer> perDag, Map<String, Integer> usedSlots, Map<String, Integer> poolSlots) {
  public int active(String dagId) {
    return perDag.getOrDefault(dagId, 0);
  }

  public int used(String pool) {
    return usedSlots.getOrDefault(pool, 0);
  }
}
